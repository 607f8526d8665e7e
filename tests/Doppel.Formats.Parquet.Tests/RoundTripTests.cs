namespace Doppel.Formats.Parquet.Tests;

public sealed class RoundTripTests
{
    private static readonly ParquetWriterOptions SmallGroups = ParquetWriterOptions.Default with
    {
        RowGroupMaxRows = 3000,
        DataPageMaxBytes = 4096,
    };

    [Theory]
    [InlineData(ParquetCompression.None)]
    [InlineData(ParquetCompression.Gzip)]
    [InlineData(ParquetCompression.Brotli)]
    public void All_types_with_nulls_unicode_and_extremes_read_back_identically_in_DuckDB_and_hyparquet(ParquetCompression compression)
    {
        // Given 10,000 rows over 4 row groups and many small pages
        // When both independent readers read the file, Then every value matches
        Tables.AllTypes(10_000).ShouldRoundTrip(SmallGroups with { Compression = compression }, batchRows: 777, path =>
        {
            var meta = NodeReaders.Metadata(path);
            meta.GetProperty("file").GetProperty("num_row_groups").GetString().Should().Be("4");
            var expectedCodec = compression switch
            {
                ParquetCompression.None => "UNCOMPRESSED",
                ParquetCompression.Gzip => "GZIP",
                _ => "BROTLI",
            };
            meta.GetProperty("columns").EnumerateArray().Should().OnlyContain(c => c.GetProperty("compression").GetString() == expectedCodec);
        });
    }

    [Fact]
    public void Schema_maps_to_the_documented_physical_and_logical_types()
    {
        var path = Tables.AllTypes(10).WriteFile(ParquetWriterOptions.Default);
        try
        {
            var schema = NodeReaders.Metadata(path).GetProperty("schema").EnumerateArray()
                .Skip(1)
                .ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
            string Duck(string name) => schema[name].GetProperty("duckdb_type").GetString()!;
            string Physical(string name) => schema[name].GetProperty("type").GetString()!;

            Duck("id").Should().Be("BIGINT");
            Duck("i32").Should().Be("INTEGER");
            Duck("dbl").Should().Be("DOUBLE");
            Duck("flag").Should().Be("BOOLEAN");
            Duck("name").Should().Be("VARCHAR");
            Duck("day").Should().Be("DATE");
            Duck("at").Should().Be("TIMESTAMP WITH TIME ZONE");
            Physical("name").Should().Be("BYTE_ARRAY");
            Physical("day").Should().Be("INT32");
            Physical("at").Should().Be("INT64");
            schema["at"].GetProperty("converted_type").GetString().Should().Be("TIMESTAMP_MICROS");
            schema["at"].GetProperty("logical_type").GetString().Should().Contain("isAdjustedToUTC=1").And.Contain("MICROS=MicroSeconds()");
            schema["name"].GetProperty("converted_type").GetString().Should().Be("UTF8");
            schema["id"].GetProperty("repetition_type").GetString().Should().Be("REQUIRED");
            schema["i32"].GetProperty("repetition_type").GetString().Should().Be("OPTIONAL");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_without_rows_is_valid_for_both_readers()
    {
        // Both readers return no rows (a table of 0 rows), and DuckDB counts 0
        Tables.AllTypes(0).ShouldRoundTrip(ParquetWriterOptions.Default, alsoCheck: path =>
            NodeReaders.Query(path, "SELECT count(*) AS n FROM t")[0].GetProperty("n").GetString().Should().Be("0"));
    }

    [Fact]
    public void All_null_and_single_row_chunks_round_trip()
    {
        // Given a row group of one row and a nullable column that is entirely null
        var schema = new ParquetSchema(
            new ParquetColumn("n", ParquetType.Int64, true),
            new ParquetColumn("s", ParquetType.String, true),
            new ParquetColumn("d", ParquetType.Double, true),
            new ParquetColumn("b", ParquetType.Boolean, true));
        var rows = 5;
        var columns = new object?[4][];
        for (var c = 0; c < 4; c++)
        {
            columns[c] = new object?[rows];
        }

        columns[0][2] = 7L;
        columns[3][4] = false;
        new TestTable(schema, columns).ShouldRoundTrip(ParquetWriterOptions.Default with { RowGroupMaxRows = 3 }, batchRows: 2);
    }
}

public sealed class WideSchemaTests
{
    [Fact]
    public void Forty_columns_and_twenty_row_groups_round_trip()
    {
        // Given more than 14 columns and row groups (Thrift's long list header form)
        var types = Enum.GetValues<ParquetType>();
        var schema = new ParquetSchema(Enumerable.Range(0, 40).Select(i => new ParquetColumn($"c{i}", types[i % types.Length], i % 3 == 0)));
        const int rows = 200;
        var random = new Random(9);
        var columns = new object?[schema.Count][];
        for (var c = 0; c < schema.Count; c++)
        {
            columns[c] = new object?[rows];
            for (var r = 0; r < rows; r++)
            {
                columns[c][r] = schema[c].Nullable && random.Next(4) == 0 ? null : schema[c].Type switch
                {
                    ParquetType.Int32 => random.Next(),
                    ParquetType.Int64 => random.NextInt64(),
                    ParquetType.Double => random.NextDouble(),
                    ParquetType.Boolean => random.Next(2) == 0,
                    ParquetType.String => Tables.Names[random.Next(Tables.Names.Length)],
                    ParquetType.Date => new DateOnly(2000, 1, 1).AddDays(random.Next(10_000)),
                    _ => DateTime.UnixEpoch.AddTicks(random.NextInt64(1L << 50) * 10),
                };
            }
        }

        new TestTable(schema, columns).ShouldRoundTrip(ParquetWriterOptions.Default with { RowGroupMaxRows = 10 }, batchRows: 33);
    }
}

public sealed class LargeValueTests
{
    [Fact]
    public void A_value_larger_than_a_page_gets_a_page_of_its_own()
    {
        // Given 3 MB strings with 1 KB pages
        var schema = new ParquetSchema(new ParquetColumn("s", ParquetType.String, true), new ParquetColumn("n", ParquetType.Int64, false));
        var big = string.Concat(Enumerable.Repeat("ab€😀", 400_000));
        new TestTable(schema, [[big, null, "small", big + "z"], [1L, 2L, 3L, 4L]])
            .ShouldRoundTrip(ParquetWriterOptions.Default with { DataPageMaxBytes = 1024, Compression = ParquetCompression.Brotli });
    }
}
