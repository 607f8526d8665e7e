namespace Doppel.Formats.Parquet.Internal;

// Enum values of parquet-format src/main/thrift/parquet.thrift, as written on the wire.
internal enum PhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Double = 5,
    ByteArray = 6,
}

internal enum Encoding
{
    Plain = 0,
    Rle = 3,
    RleDictionary = 8,
}

internal enum PageType
{
    DataPage = 0,
    DictionaryPage = 2,
}

internal enum CompressionCodec
{
    Uncompressed = 0,
    Gzip = 2,
    Brotli = 4,
}

/// <summary>Statistics of one column chunk, already PLAIN-encoded (strings without length prefix).</summary>
internal sealed class ChunkStatistics
{
    public long NullCount { get; init; }

    public long? DistinctCount { get; init; }

    public long? NanCount { get; init; }

    public byte[]? Min { get; init; }

    public byte[]? Max { get; init; }

    public bool MinExact { get; init; } = true;

    public bool MaxExact { get; init; } = true;

    /// <summary>Also fill the deprecated min/max fields (only where their signed order is the type's order).</summary>
    public bool WriteLegacy { get; init; }
}

/// <summary>What the footer needs to know about one written column chunk.</summary>
internal sealed class ColumnChunkInfo
{
    public required PhysicalType Type { get; init; }

    public required string Name { get; init; }

    public required CompressionCodec Codec { get; init; }

    public required long NumValues { get; init; }

    public required long TotalUncompressedSize { get; init; }

    public required long TotalCompressedSize { get; init; }

    public required long DataPageOffset { get; init; }

    public long? DictionaryPageOffset { get; init; }

    public required IReadOnlyList<Encoding> Encodings { get; init; }

    /// <summary>Page counts: dictionary pages (0 or 1) and data pages, with the data page encoding.</summary>
    public required int DataPageCount { get; init; }

    public required Encoding DataPageEncoding { get; init; }

    public required ChunkStatistics Statistics { get; init; }

    public long FirstPageOffset => DictionaryPageOffset ?? DataPageOffset;
}

internal sealed class RowGroupInfo
{
    public required IReadOnlyList<ColumnChunkInfo> Columns { get; init; }

    public required long NumRows { get; init; }
}
