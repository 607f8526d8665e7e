namespace Doppel.Formats.Parquet.Internal;

/// <summary>Serialises FileMetaData (parquet.thrift) with the compact protocol. Field ids are quoted from the IDL.</summary>
internal static class FooterWriter
{
    public static void Write(ByteBuffer output, ParquetSchema schema, IReadOnlyList<RowGroupInfo> rowGroups, string createdBy)
    {
        var t = new ThriftCompactWriter(output);
        t.BeginStruct();
        t.FieldI32(1, 1); // version: "writers should always populate 1"
        t.FieldListBegin(2, ThriftCompactWriter.Struct, schema.Count + 1);
        WriteRootElement(t, schema.Count);
        foreach (var column in schema.Columns)
        {
            WriteSchemaElement(t, column);
        }

        long totalRows = 0;
        foreach (var group in rowGroups)
        {
            totalRows += group.NumRows;
        }

        t.FieldI64(3, totalRows);
        t.FieldListBegin(4, ThriftCompactWriter.Struct, rowGroups.Count);
        for (var i = 0; i < rowGroups.Count; i++)
        {
            WriteRowGroup(t, rowGroups[i], i);
        }

        t.FieldString(6, createdBy);

        // column_orders: TYPE_ORDER for every column, so readers trust min_value/max_value.
        t.FieldListBegin(7, ThriftCompactWriter.Struct, schema.Count);
        for (var i = 0; i < schema.Count; i++)
        {
            t.BeginStruct();
            t.FieldEmptyStruct(1); // TYPE_ORDER: TypeDefinedOrder
            t.EndStruct();
        }

        t.EndStruct();
    }

    private static void WriteRootElement(ThriftCompactWriter t, int columnCount)
    {
        t.BeginStruct();
        t.FieldI32(3, 0); // repetition_type REQUIRED
        t.FieldString(4, "schema");
        t.FieldI32(5, columnCount); // num_children
        t.EndStruct();
    }

    private static void WriteSchemaElement(ThriftCompactWriter t, ParquetColumn column)
    {
        t.BeginStruct();
        t.FieldI32(1, (int)ToPhysical(column.Type));
        t.FieldI32(3, column.Nullable ? 1 : 0); // OPTIONAL : REQUIRED
        t.FieldString(4, column.Name);
        switch (column.Type)
        {
            case ParquetType.String:
                t.FieldI32(6, 0); // converted_type UTF8
                t.FieldStructBegin(10); // logicalType
                t.FieldEmptyStruct(1); // STRING
                t.EndStruct();
                break;
            case ParquetType.Date:
                t.FieldI32(6, 6); // converted_type DATE
                t.FieldStructBegin(10);
                t.FieldEmptyStruct(6); // DATE
                t.EndStruct();
                break;
            case ParquetType.TimestampMicrosUtc:
                t.FieldI32(6, 10); // converted_type TIMESTAMP_MICROS (implies UTC-adjusted)
                t.FieldStructBegin(10);
                t.FieldStructBegin(8); // TIMESTAMP
                t.FieldBool(1, true); // isAdjustedToUTC
                t.FieldStructBegin(2); // unit: TimeUnit
                t.FieldEmptyStruct(2); // MICROS
                t.EndStruct();
                t.EndStruct();
                t.EndStruct();
                break;
        }

        t.EndStruct();
    }

    private static void WriteRowGroup(ThriftCompactWriter t, RowGroupInfo group, int ordinal)
    {
        long uncompressed = 0;
        long compressed = 0;
        foreach (var c in group.Columns)
        {
            uncompressed += c.TotalUncompressedSize;
            compressed += c.TotalCompressedSize;
        }

        t.BeginStruct();
        t.FieldListBegin(1, ThriftCompactWriter.Struct, group.Columns.Count);
        foreach (var column in group.Columns)
        {
            WriteColumnChunk(t, column);
        }

        t.FieldI64(2, uncompressed); // total_byte_size
        t.FieldI64(3, group.NumRows);
        t.FieldI64(5, group.Columns[0].FirstPageOffset); // file_offset
        t.FieldI64(6, compressed); // total_compressed_size
        if (ordinal <= short.MaxValue)
        {
            t.FieldI16(7, (short)ordinal);
        }

        t.EndStruct();
    }

    private static void WriteColumnChunk(ThriftCompactWriter t, ColumnChunkInfo c)
    {
        t.BeginStruct();
        t.FieldI64(2, 0); // file_offset: deprecated, 0 when no metadata is written outside the footer
        t.FieldStructBegin(3); // meta_data
        t.FieldI32(1, (int)c.Type);
        t.FieldListBegin(2, ThriftCompactWriter.I32, c.Encodings.Count);
        foreach (var e in c.Encodings)
        {
            t.I32Value((int)e);
        }

        t.FieldListBegin(3, ThriftCompactWriter.Binary, 1);
        t.StringValue(c.Name);
        t.FieldI32(4, (int)c.Codec);
        t.FieldI64(5, c.NumValues);
        t.FieldI64(6, c.TotalUncompressedSize);
        t.FieldI64(7, c.TotalCompressedSize);
        t.FieldI64(9, c.DataPageOffset);
        if (c.DictionaryPageOffset is { } dictionaryOffset)
        {
            t.FieldI64(11, dictionaryOffset);
        }

        WriteStatistics(t, c.Statistics);
        var hasDictionary = c.DictionaryPageOffset is not null;
        t.FieldListBegin(13, ThriftCompactWriter.Struct, hasDictionary ? 2 : 1); // encoding_stats
        if (hasDictionary)
        {
            WritePageEncodingStats(t, PageType.DictionaryPage, Encoding.Plain, 1);
        }

        WritePageEncodingStats(t, PageType.DataPage, c.DataPageEncoding, c.DataPageCount);
        t.EndStruct();
        t.EndStruct();
    }

    private static void WriteStatistics(ThriftCompactWriter t, ChunkStatistics s)
    {
        t.FieldStructBegin(12);
        if (s.WriteLegacy && s.Max is not null && s.Min is not null)
        {
            t.FieldBinary(1, s.Max);
            t.FieldBinary(2, s.Min);
        }

        t.FieldI64(3, s.NullCount);
        if (s.DistinctCount is { } distinct)
        {
            t.FieldI64(4, distinct);
        }

        if (s.Max is not null && s.Min is not null)
        {
            t.FieldBinary(5, s.Max);
            t.FieldBinary(6, s.Min);
            t.FieldBool(7, s.MaxExact);
            t.FieldBool(8, s.MinExact);
        }

        if (s.NanCount is { } nanCount)
        {
            t.FieldI64(9, nanCount);
        }

        t.EndStruct();
    }

    private static void WritePageEncodingStats(ThriftCompactWriter t, PageType type, Encoding encoding, int count)
    {
        t.BeginStruct();
        t.FieldI32(1, (int)type);
        t.FieldI32(2, (int)encoding);
        t.FieldI32(3, count);
        t.EndStruct();
    }

    public static PhysicalType ToPhysical(ParquetType type) => type switch
    {
        ParquetType.Int32 or ParquetType.Date => PhysicalType.Int32,
        ParquetType.Int64 or ParquetType.TimestampMicrosUtc => PhysicalType.Int64,
        ParquetType.Double => PhysicalType.Double,
        ParquetType.Boolean => PhysicalType.Boolean,
        _ => PhysicalType.ByteArray,
    };
}
