namespace Doppel.Data;

/// <summary>The logical type of a column. Every format and sink maps these and only these.</summary>
/// <remarks>
/// Physical storage in a <see cref="ColumnBuffer"/>: <see cref="Int"/>, <see cref="Bool"/> (0/1),
/// <see cref="Date"/> (days since 1970-01-01) and <see cref="Timestamp"/> (microseconds since
/// 1970-01-01T00:00:00Z, always UTC) live in <see cref="ColumnBuffer.Int64"/>; <see cref="Float"/> in
/// <see cref="ColumnBuffer.Float64"/>; <see cref="String"/> and <see cref="Json"/> as UTF-8 in
/// <see cref="ColumnBuffer.Utf8"/>.
/// </remarks>
public enum DataType
{
    String,
    Int,
    Float,
    Bool,
    Date,
    Timestamp,
    /// <summary>A string that holds a JSON document; formats may embed it unquoted (JSONL) or as text (CSV).</summary>
    Json,
}

/// <summary>Names and helpers for <see cref="DataType"/>.</summary>
public static class DataTypes
{
    public static string Name(this DataType type) => type switch
    {
        DataType.String => "string",
        DataType.Int => "int",
        DataType.Float => "float",
        DataType.Bool => "bool",
        DataType.Date => "date",
        DataType.Timestamp => "timestamp",
        DataType.Json => "json",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string name, out DataType type)
    {
        switch (name)
        {
            case "string": type = DataType.String; return true;
            case "int": case "integer": type = DataType.Int; return true;
            case "float": case "double": case "number": type = DataType.Float; return true;
            case "bool": case "boolean": type = DataType.Bool; return true;
            case "date": type = DataType.Date; return true;
            case "timestamp": case "datetime": type = DataType.Timestamp; return true;
            case "json": type = DataType.Json; return true;
            default: type = DataType.String; return false;
        }
    }

    public static bool UsesInt64(this DataType t) => t is DataType.Int or DataType.Bool or DataType.Date or DataType.Timestamp;

    public static bool UsesUtf8(this DataType t) => t is DataType.String or DataType.Json;

    /// <summary>Microseconds since the Unix epoch for a UTC instant.</summary>
    public static long ToMicros(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    public static DateTime FromMicros(long micros) => new(DateTime.UnixEpoch.Ticks + (micros * 10), DateTimeKind.Utc);

    /// <summary>Days since 1970-01-01.</summary>
    public static long ToDays(DateOnly date) => date.DayNumber - UnixEpochDay;

    public static DateOnly FromDays(long days) => DateOnly.FromDayNumber((int)(days + UnixEpochDay));

    public const int UnixEpochDay = 719162; // DateOnly(1970,1,1).DayNumber
}
