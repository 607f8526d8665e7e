using System.IO.Compression;

namespace Doppel.Formats.Parquet;

/// <summary>Page compression codecs supported by <see cref="ParquetFileWriter"/>.</summary>
public enum ParquetCompression
{
    /// <summary>UNCOMPRESSED: fastest to write and read, largest files.</summary>
    None,

    /// <summary>GZIP (RFC 1952): read by every Parquet implementation. The default.</summary>
    Gzip,

    /// <summary>BROTLI: smaller than GZIP at similar speed, but not every reader supports it.</summary>
    Brotli,
}

/// <summary>Options for <see cref="ParquetFileWriter"/>. Change them with <c>with</c>: <c>ParquetWriterOptions.Default with { Compression = ParquetCompression.None }</c>.</summary>
/// <remarks>
/// <para>A row group is flushed when it reaches <see cref="RowGroupMaxRows"/> rows or when its buffered
/// (uncompressed) values reach <see cref="RowGroupMaxBytes"/>, whichever comes first; that pair bounds the
/// writer's memory. Every column chunk is then split into data pages of about <see cref="DataPageMaxBytes"/>
/// uncompressed bytes.</para>
/// <para>With <see cref="EnableDictionary"/>, every column except booleans starts a row group
/// dictionary-encoded and falls back to PLAIN for that column chunk when the dictionary grows past
/// <see cref="DictionaryMaxBytes"/> or does not make the chunk smaller than PLAIN would.</para>
/// </remarks>
public sealed record ParquetWriterOptions
{
    // Declared before Default: static initialisers run in textual order.
    internal static string DefaultCreatedBy { get; } =
        "Doppel version " + (typeof(ParquetWriterOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>The defaults: GZIP at <see cref="System.IO.Compression.CompressionLevel.Fastest"/>, 131,072-row / 64 MiB row groups, 1 MiB pages, dictionaries up to 1 MiB.</summary>
    public static ParquetWriterOptions Default { get; } = new();

    /// <summary>Page compression codec (default <see cref="ParquetCompression.Gzip"/>).</summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Gzip;

    /// <summary>
    /// Compression effort (default <see cref="System.IO.Compression.CompressionLevel.Fastest"/>: GZIP level 1, Brotli quality 1).
    /// <see cref="System.IO.Compression.CompressionLevel.Optimal"/> is GZIP level 6 / Brotli quality 4;
    /// <see cref="System.IO.Compression.CompressionLevel.SmallestSize"/> is GZIP level 9 / Brotli quality 11 (slow).
    /// Ignored for <see cref="ParquetCompression.None"/>.
    /// </summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;

    /// <summary>Maximum rows per row group (default 131,072; at least 1).</summary>
    public int RowGroupMaxRows { get; init; } = 128 * 1024;

    /// <summary>
    /// Flush a row group once its buffered values reach this many bytes (default 64 MiB; at least 1 KiB). Checked every
    /// 4,096 rows of the row group, so a row group may overshoot by up to 4,096 rows' worth of data.
    /// </summary>
    public long RowGroupMaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Target uncompressed size of one data page in bytes (default 1 MiB; at least 1 KiB). A page always holds at least one value.</summary>
    public int DataPageMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>Try dictionary encoding for every non-boolean column (default true).</summary>
    public bool EnableDictionary { get; init; } = true;

    /// <summary>Largest PLAIN-encoded dictionary per column chunk, in bytes, before falling back to PLAIN (default 1 MiB; at least 1 KiB).</summary>
    public int DictionaryMaxBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// String min/max statistics longer than this are truncated to a shorter lower/upper bound and marked inexact
    /// (default 64 bytes; at least 8).
    /// </summary>
    public int StatisticsMaxStringBytes { get; init; } = 64;

    /// <summary>The footer's <c>created_by</c> field (default "Doppel version &lt;assembly version&gt;"). No timestamps are written anywhere.</summary>
    public string CreatedBy { get; init; } = DefaultCreatedBy;

    internal void Validate()
    {
        Check(Enum.IsDefined(Compression), nameof(Compression), Compression.ToString(), "None, Gzip or Brotli");
        Check(Enum.IsDefined(CompressionLevel), nameof(CompressionLevel), CompressionLevel.ToString(), "a System.IO.Compression.CompressionLevel value");
        Check(RowGroupMaxRows >= 1, nameof(RowGroupMaxRows), Str(RowGroupMaxRows), ">= 1");
        Check(RowGroupMaxBytes >= 1024, nameof(RowGroupMaxBytes), Str(RowGroupMaxBytes), ">= 1024");
        Check(DataPageMaxBytes >= 1024, nameof(DataPageMaxBytes), Str(DataPageMaxBytes), ">= 1024");
        Check(DictionaryMaxBytes >= 1024, nameof(DictionaryMaxBytes), Str(DictionaryMaxBytes), ">= 1024");
        Check(StatisticsMaxStringBytes >= 8, nameof(StatisticsMaxStringBytes), Str(StatisticsMaxStringBytes), ">= 8");
        if (CreatedBy is null)
        {
            throw new ArgumentException("ParquetWriterOptions.CreatedBy must not be null.");
        }

        static string Str(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        static void Check(bool ok, string name, string value, string allowed)
        {
            if (!ok)
            {
                throw new ArgumentException($"ParquetWriterOptions.{name} = {value} is invalid; use {allowed}.");
            }
        }
    }
}

/// <summary>Conversions from .NET date/time values to the integers Parquet stores.</summary>
public static class ParquetValues
{
    private const int UnixEpochDayNumber = 719_162; // new DateOnly(1970, 1, 1).DayNumber

    /// <summary>Days since 1970-01-01, the storage of <see cref="ParquetType.Date"/>.</summary>
    public static int ToDays(DateOnly date) => date.DayNumber - UnixEpochDayNumber;

    /// <summary>
    /// Microseconds since 1970-01-01T00:00:00Z, the storage of <see cref="ParquetType.TimestampMicrosUtc"/>.
    /// A <see cref="DateTimeKind.Local"/> value is converted to UTC; sub-microsecond ticks are truncated toward minus infinity.
    /// </summary>
    public static long ToMicros(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        return Math.DivRem(utc.Ticks - DateTime.UnixEpoch.Ticks, 10, out var rest) - (rest < 0 ? 1 : 0);
    }

    /// <summary>Microseconds since 1970-01-01T00:00:00Z of an offset-aware instant.</summary>
    public static long ToMicros(DateTimeOffset value) => ToMicros(value.UtcDateTime);
}
