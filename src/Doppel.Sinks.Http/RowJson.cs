using System.Text.Encodings.Web;
using System.Text.Json;
using Doppel.Data;

namespace Doppel.Sinks.Http;

/// <summary>How <see cref="RowJson"/> renders the types JSON has no native form for.</summary>
public enum RowJsonStyle
{
    /// <summary>
    /// For APIs: bools as <c>true</c>/<c>false</c>, dates <c>2026-03-14</c>, timestamps ISO-8601 UTC
    /// with microseconds <c>2026-03-14T08:15:30.123456Z</c>, json columns embedded unquoted, non-finite
    /// floats as the strings <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>.
    /// </summary>
    Standard,

    /// <summary>Like <see cref="Standard"/> but timestamps with milliseconds: <c>2026-03-14T08:15:30.123Z</c> (truncated).</summary>
    StandardMilliseconds,

    /// <summary>
    /// ClickHouse JSONEachRow input (checked against 18.16): bools as <c>0</c>/<c>1</c> (UInt8), timestamps
    /// <c>2026-03-14 08:15:30</c> (DateTime has whole seconds; sub-seconds are truncated), json
    /// columns as a JSON string holding the document (stored in a String column), non-finite floats
    /// as the quoted strings <c>"nan"</c>, <c>"inf"</c>, <c>"-inf"</c> (ClickHouse rejects them unquoted).
    /// </summary>
    ClickHouse,
}

/// <summary>Writes one row of a <see cref="RowBatch"/> as a JSON object keyed by column name.</summary>
/// <remarks>
/// Strings are written as JSON strings, ints and floats as numbers (floats in shortest round-trip
/// form), nulls as <c>null</c>. Column order is the schema's. No allocation per value: dates and
/// timestamps are formatted into a stack buffer.
/// </remarks>
public static class RowJson
{
    /// <summary>Writer options shared by the sinks: no indentation, non-ASCII kept as UTF-8 (escaped only where JSON requires).</summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    /// <summary>Pre-encoded property names for a table, to pass to <see cref="Write(Utf8JsonWriter, RowBatch, int, JsonEncodedText[], RowJsonStyle)"/>.</summary>
    public static JsonEncodedText[] EncodeNames(TableSchema schema)
    {
        var names = new JsonEncodedText[schema.Columns.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = JsonEncodedText.Encode(schema.Columns[i].Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }

        return names;
    }

    /// <summary>Writes row <paramref name="row"/> of <paramref name="batch"/> in the <see cref="RowJsonStyle.Standard"/> style.</summary>
    public static void Write(Utf8JsonWriter writer, RowBatch batch, int row) =>
        Write(writer, batch, row, EncodeNames(batch.Schema), RowJsonStyle.Standard);

    /// <summary>Writes row <paramref name="row"/> of <paramref name="batch"/> as one JSON object.</summary>
    /// <exception cref="DoppelException">A json column holds invalid JSON, a string is not valid UTF-8, or a date is out of range.</exception>
    public static void Write(Utf8JsonWriter writer, RowBatch batch, int row, JsonEncodedText[] names, RowJsonStyle style)
    {
        writer.WriteStartObject();
        WriteProperties(writer, batch, row, names, style);
        writer.WriteEndObject();
    }

    /// <summary>Writes the row's properties into an object the caller has started (so it can add its own, e.g. a run id).</summary>
    public static void WriteProperties(Utf8JsonWriter writer, RowBatch batch, int row, JsonEncodedText[] names, RowJsonStyle style)
    {
        var columns = batch.Columns;
        for (var c = 0; c < columns.Length; c++)
        {
            writer.WritePropertyName(names[c]);
            WriteValue(writer, batch, columns[c], row, style);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, RowBatch batch, ColumnBuffer column, int row, RowJsonStyle style)
    {
        if (column.Nulls[row])
        {
            writer.WriteNullValue();
            return;
        }

        try
        {
            switch (column.Type)
            {
                case DataType.String:
                    writer.WriteStringValue(column.Utf8.Get(row));
                    break;
                case DataType.Json when style == RowJsonStyle.ClickHouse:
                    writer.WriteStringValue(column.Utf8.Get(row));
                    break;
                case DataType.Json:
                    writer.WriteRawValue(column.Utf8.Get(row), skipInputValidation: false);
                    break;
                case DataType.Int:
                    writer.WriteNumberValue(column.Int64[row]);
                    break;
                case DataType.Float:
                    WriteFloat(writer, column.Float64[row], style);
                    break;
                case DataType.Bool when style == RowJsonStyle.ClickHouse:
                    writer.WriteNumberValue(column.Int64[row] != 0 ? 1 : 0);
                    break;
                case DataType.Bool:
                    writer.WriteBooleanValue(column.Int64[row] != 0);
                    break;
                case DataType.Date:
                {
                    Span<byte> buffer = stackalloc byte[16];
                    var n = DateText.FormatDate(column.Int64[row], buffer);
                    writer.WriteStringValue(buffer[..n]);
                    break;
                }

                case DataType.Timestamp:
                {
                    Span<byte> buffer = stackalloc byte[40];
                    var n = style switch
                    {
                        RowJsonStyle.ClickHouse => DateText.FormatTimestamp(column.Int64[row], buffer, ' ', fractionDigits: 0, zulu: false),
                        RowJsonStyle.StandardMilliseconds => DateText.FormatTimestamp(column.Int64[row], buffer, 'T', fractionDigits: 3, zulu: true),
                        _ => DateText.FormatTimestamp(column.Int64[row], buffer, 'T', fractionDigits: 6, zulu: true),
                    };
                    writer.WriteStringValue(buffer[..n]);
                    break;
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(column), column.Type, "unknown data type");
            }
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new DoppelException(
                $"Row {batch.FirstRowIndex + row} of table '{batch.Table}', column '{column.Name}' ({column.Type.Name()}) cannot be written as JSON: {ex.Message}",
                ExitCodes.RuntimeError,
                ex);
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, double value, RowJsonStyle style)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else if (style == RowJsonStyle.ClickHouse)
        {
            writer.WriteStringValue(double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf");
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}

/// <summary>Allocation-free UTF-8 formatting of dates and timestamps (µs since the Unix epoch, UTC).</summary>
public static class DateText
{
    private const long MicrosPerDay = 86_400_000_000L;

    /// <summary>Writes <c>YYYY-MM-DD</c> for days since 1970-01-01; returns the byte count (10).</summary>
    public static int FormatDate(long daysSinceEpoch, Span<byte> destination)
    {
        var date = ToDate(daysSinceEpoch);
        WriteDate(date, destination);
        return 10;
    }

    /// <summary>
    /// Writes <c>YYYY-MM-DD{separator}hh:mm:ss[.f…][Z]</c> for a UTC instant in µs since the epoch,
    /// truncating to <paramref name="fractionDigits"/> (0, 3 or 6) fractional digits (floor, also before 1970).
    /// </summary>
    public static int FormatTimestamp(long micros, Span<byte> destination, char separator, int fractionDigits, bool zulu)
    {
        var days = Math.DivRem(micros, MicrosPerDay, out var timeOfDay);
        if (timeOfDay < 0)
        {
            days--;
            timeOfDay += MicrosPerDay;
        }

        WriteDate(ToDate(days), destination);
        destination[10] = (byte)separator;
        var seconds = timeOfDay / 1_000_000;
        var fraction = (int)(timeOfDay % 1_000_000);
        Write2(destination[11..], (int)(seconds / 3600));
        destination[13] = (byte)':';
        Write2(destination[14..], (int)(seconds / 60 % 60));
        destination[16] = (byte)':';
        Write2(destination[17..], (int)(seconds % 60));
        var n = 19;
        if (fractionDigits > 0)
        {
            destination[n++] = (byte)'.';
            var value = fractionDigits == 3 ? fraction / 1000 : fraction;
            for (var i = fractionDigits - 1; i >= 0; i--)
            {
                destination[n + i] = (byte)('0' + (value % 10));
                value /= 10;
            }

            n += fractionDigits;
        }

        if (zulu)
        {
            destination[n++] = (byte)'Z';
        }

        return n;
    }

    private static DateOnly ToDate(long daysSinceEpoch)
    {
        var dayNumber = daysSinceEpoch + DataTypes.UnixEpochDay;
        if (dayNumber < DateOnly.MinValue.DayNumber || dayNumber > DateOnly.MaxValue.DayNumber)
        {
            throw new ArgumentOutOfRangeException(nameof(daysSinceEpoch), daysSinceEpoch, "date outside years 1-9999");
        }

        return DateOnly.FromDayNumber((int)dayNumber);
    }

    private static void WriteDate(DateOnly date, Span<byte> d)
    {
        var year = date.Year;
        d[0] = (byte)('0' + (year / 1000));
        d[1] = (byte)('0' + (year / 100 % 10));
        d[2] = (byte)('0' + (year / 10 % 10));
        d[3] = (byte)('0' + (year % 10));
        d[4] = (byte)'-';
        Write2(d[5..], date.Month);
        d[7] = (byte)'-';
        Write2(d[8..], date.Day);
    }

    private static void Write2(Span<byte> d, int value)
    {
        d[0] = (byte)('0' + (value / 10));
        d[1] = (byte)('0' + (value % 10));
    }
}
