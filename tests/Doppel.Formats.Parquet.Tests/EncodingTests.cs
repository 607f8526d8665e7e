using System.Globalization;
using System.Text.Json;
using Doppel.Formats.Parquet.Internal;

namespace Doppel.Formats.Parquet.Tests;

public sealed class EncodingTests
{
    [Fact]
    public void Bit_packing_matches_the_example_in_Encodings_md()
    {
        // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010, after header (1 group << 1) | 1
        var buffer = new ByteBuffer();
        RleHybridEncoder.Encode([0, 1, 2, 3, 4, 5, 6, 7], 3, buffer);
        buffer.WrittenSpan.ToArray().Should().Equal(0x03, 0b10001000, 0b11000110, 0b11111010);
    }

    [Fact]
    public void Long_runs_become_RLE_runs_with_a_varint_header()
    {
        var buffer = new ByteBuffer();
        RleHybridEncoder.Encode(Enumerable.Repeat(5, 100).ToArray(), 3, buffer);
        buffer.WrittenSpan.ToArray().Should().Equal(0xC8, 0x01, 0x05); // varint(100 << 1), value in 1 byte
    }

    [Fact]
    public void Mixed_levels_switch_between_bit_packed_and_RLE_runs()
    {
        // 3 values bit-packed (padded to a group of 8), then a run of 20 ones
        byte[] levels = [1, 0, 1, .. Enumerable.Repeat((byte)1, 20)];
        var buffer = new ByteBuffer();
        RleHybridEncoder.Encode(levels, 1, buffer);
        buffer.WrittenSpan.ToArray().Should().Equal(0x03, 0b11111101, 0x1E, 0x01); // 8 packed, then RLE 15 × 1
    }

    [Fact]
    public void Thrift_fields_use_short_headers_for_small_deltas_and_long_headers_otherwise()
    {
        var buffer = new ByteBuffer();
        var t = new ThriftCompactWriter(buffer);
        t.BeginStruct();
        t.FieldI32(1, -1);   // delta 1, type 5, zigzag(-1) = 1
        t.FieldI64(20, 300); // delta 19: long form, zigzag field id 40, zigzag(300) = 600 = 0xD8 0x04
        t.FieldBool(21, true);
        t.FieldListBegin(22, ThriftCompactWriter.I32, 20);
        t.EndStruct();
        buffer.WrittenSpan.ToArray().Should().Equal(0x15, 0x01, 0x06, 0x28, 0xD8, 0x04, 0x11, 0x19, 0xF5, 0x14, 0x00);
    }

    [Fact]
    public void Low_cardinality_columns_use_a_dictionary_and_others_fall_back_to_plain()
    {
        // Given 100,000 rows: low and high cardinality strings and ints, and a string column that starts with
        // 5 values and then turns unique until its dictionary outgrows 1 MiB mid-chunk
        const int rows = 100_000;
        var schema = new ParquetSchema(
            new ParquetColumn("low", ParquetType.String, false),
            new ParquetColumn("high", ParquetType.String, true),
            new ParquetColumn("lowInt", ParquetType.Int64, false),
            new ParquetColumn("highInt", ParquetType.Int64, false),
            new ParquetColumn("drift", ParquetType.String, false),
            new ParquetColumn("day", ParquetType.Date, true));
        var random = new Random(3);
        var columns = new object?[schema.Count][];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = new object?[rows];
        }

        for (var r = 0; r < rows; r++)
        {
            columns[0][r] = Tables.Cities[random.Next(Tables.Cities.Length)];
            columns[1][r] = r % 10 == 0 ? null : "id-" + r.ToString(CultureInfo.InvariantCulture);
            columns[2][r] = (long)random.Next(100) * 1_000_000_007L;
            columns[3][r] = random.NextInt64();
            columns[4][r] = r < 20_000 ? Tables.Cities[r % 5] : "unique-value-with-some-length-" + r.ToString(CultureInfo.InvariantCulture);
            columns[5][r] = r % 3 == 0 ? null : new DateOnly(2024, 1, 1).AddDays(random.Next(365));
        }

        new TestTable(schema, columns).ShouldRoundTrip(ParquetWriterOptions.Default with { RowGroupMaxRows = rows }, batchRows: 10_000, path =>
        {
            var encodings = NodeReaders.Metadata(path).GetProperty("columns").EnumerateArray()
                .ToDictionary(c => c.GetProperty("path_in_schema").GetString()!, c => c.GetProperty("encodings").GetString()!);
            encodings["low"].Should().Contain("RLE_DICTIONARY");
            encodings["lowInt"].Should().Contain("RLE_DICTIONARY");
            encodings["day"].Should().Contain("RLE_DICTIONARY");
            encodings["high"].Should().NotContain("RLE_DICTIONARY");
            encodings["highInt"].Should().NotContain("RLE_DICTIONARY");
            encodings["drift"].Should().NotContain("RLE_DICTIONARY");
        });
    }

    [Theory]
    [InlineData(true, 1024)]
    [InlineData(false, 1024 * 1024)]
    public void A_dictionary_over_the_size_limit_or_disabled_gives_plain_pages(bool enableDictionary, int dictionaryMaxBytes)
    {
        // Given 10 distinct 200-byte values: 2 KB of dictionary
        var schema = new ParquetSchema(new ParquetColumn("s", ParquetType.String, false), new ParquetColumn("n", ParquetType.Int32, false));
        var strings = Enumerable.Range(0, 5000).Select(i => (object?)new string((char)('a' + (i % 10)), 200)).ToArray();
        var ints = Enumerable.Range(0, 5000).Select(i => (object?)(i % 3)).ToArray();
        var table = new TestTable(schema, [strings, ints]);
        var path = table.WriteFile(ParquetWriterOptions.Default with { EnableDictionary = enableDictionary, DictionaryMaxBytes = dictionaryMaxBytes });
        try
        {
            var chunks = NodeReaders.Metadata(path).GetProperty("columns").EnumerateArray().ToArray();
            chunks[0].GetProperty("encodings").GetString().Should().Be("PLAIN");
            chunks[0].GetProperty("dictionary_page_offset").ValueKind.Should().Be(JsonValueKind.Null);
            chunks[1].GetProperty("encodings").GetString().Should().Be(enableDictionary ? "PLAIN, RLE_DICTIONARY" : "PLAIN");
            table.ShouldEqual(NodeReaders.ReadRows(path, "hyparquet"), "hyparquet");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
