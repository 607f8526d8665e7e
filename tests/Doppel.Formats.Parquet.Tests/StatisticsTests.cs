using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Doppel.Formats.Parquet.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void Column_chunk_min_max_and_null_counts_match_the_data_in_every_row_group()
    {
        // Given 4 row groups of all types
        const int groupRows = 3000;
        var table = Tables.AllTypes(10_000, seed: 7);
        var path = table.WriteFile(ParquetWriterOptions.Default with { RowGroupMaxRows = groupRows });
        try
        {
            var meta = NodeReaders.Metadata(path);
            meta.GetProperty("file").GetProperty("column_orders").EnumerateArray()
                .Should().HaveCount(table.Schema.Count).And.OnlyContain(o => o.GetString()!.Contains("TYPE_ORDER", StringComparison.Ordinal));

            foreach (var chunk in meta.GetProperty("columns").EnumerateArray())
            {
                var group = int.Parse(chunk.GetProperty("row_group_id").GetString()!, CultureInfo.InvariantCulture);
                var name = chunk.GetProperty("path_in_schema").GetString()!;
                var c = table.Schema.IndexOf(name);
                var values = table.Columns[c].Skip(group * groupRows).Take(groupRows).ToArray();
                var context = $"row group {group} column {name}";

                chunk.GetProperty("stats_null_count").GetString().Should().Be(values.Count(v => v is null).ToString(CultureInfo.InvariantCulture), context);
                var present = values.Where(v => v is not null && v is not double.NaN).ToArray();
                var (min, max) = MinMax(table.Schema[c].Type, present);
                ShouldMatch(table.Schema[c].Type, chunk.GetProperty("stats_min_value"), min, context + " min");
                ShouldMatch(table.Schema[c].Type, chunk.GetProperty("stats_max_value"), max, context + " max");
                chunk.GetProperty("min_is_exact").GetBoolean().Should().BeTrue(context);
                if (name is "city" or "small" or "ok")
                {
                    // Dictionary-encoded (or boolean) chunks carry an exact distinct count
                    chunk.GetProperty("stats_distinct_count").GetString().Should().Be(present.Distinct().Count().ToString(CultureInfo.InvariantCulture), context);
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Double_statistics_follow_the_TYPE_ORDER_rules_for_NaN_and_zero()
    {
        // Given chunks with zeros and NaN, and one with only NaN
        var schema = new ParquetSchema(new ParquetColumn("d", ParquetType.Double, true));
        object?[] values = [0.0, double.NaN, 0.0, null, /* next group */ double.NaN, double.NaN, null, double.NaN, /* next */ -0.0, 5.0, -0.0, 0.0];
        var table = new TestTable(schema, [values]);
        var path = table.WriteFile(ParquetWriterOptions.Default with { RowGroupMaxRows = 4 });
        try
        {
            var chunks = NodeReaders.Metadata(path).GetProperty("columns").EnumerateArray().ToArray();

            // Then a zero min is written as -0.0 and a zero max as +0.0; NaN never becomes min or max
            chunks[0].GetProperty("stats_min_value").GetString().Should().Be("-0.0");
            chunks[0].GetProperty("stats_max_value").GetString().Should().Be("0.0");

            // All-NaN chunk: no min/max at all
            chunks[1].GetProperty("stats_min_value").ValueKind.Should().Be(JsonValueKind.Null);
            chunks[1].GetProperty("stats_max_value").ValueKind.Should().Be(JsonValueKind.Null);
            chunks[2].GetProperty("stats_min_value").GetString().Should().Be("-0.0");
            chunks[2].GetProperty("stats_max_value").GetString().Should().Be("5.0");

            // DuckDB uses the statistics to prune: a filter must still find the NaN and zero rows
            NodeReaders.Query(path, "SELECT count(*) AS n FROM t WHERE isnan(d)")[0].GetProperty("n").GetString().Should().Be("4");
            NodeReaders.Query(path, "SELECT count(*) AS n FROM t WHERE d = 0")[0].GetProperty("n").GetString().Should().Be("5");
            table.ShouldEqual(NodeReaders.ReadRows(path, "hyparquet"), "hyparquet");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Long_string_bounds_are_truncated_to_valid_inexact_bounds_and_filters_still_work()
    {
        var schema = new ParquetSchema(new ParquetColumn("s", ParquetType.String, false));
        var low = new string('a', 100);
        var high = new string('z', 70) + "é";
        var table = new TestTable(schema, [[low, high, "m"]]);
        var path = table.WriteFile(ParquetWriterOptions.Default);
        try
        {
            var chunk = NodeReaders.Metadata(path).GetProperty("columns")[0];
            chunk.GetProperty("stats_min_value").GetString().Should().Be(new string('a', 64));
            chunk.GetProperty("stats_max_value").GetString().Should().Be(new string('z', 63) + "{");
            chunk.GetProperty("min_is_exact").GetBoolean().Should().BeFalse();
            chunk.GetProperty("max_is_exact").GetBoolean().Should().BeFalse();
            NodeReaders.Query(path, $"SELECT count(*) AS n FROM t WHERE s = '{high}'")[0].GetProperty("n").GetString().Should().Be("1");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("abc", 2, "ac")]
    [InlineData("a\u007f\u007f", 2, "a\u0080")]
    [InlineData("a\uD7FF\uD7FF", 4, "a\uE000")]
    [InlineData("é\U0010FFFF\U0010FFFF", 6, "ê")]
    public void Upper_bounds_increment_the_last_whole_character(string value, int limit, string expected)
    {
        var bound = Internal.ByteArrayColumnWriter.TruncateUpperBound(Encoding.UTF8.GetBytes(value), limit);
        Encoding.UTF8.GetString(bound!).Should().Be(expected);
        bound.AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(value)).Should().BePositive();
    }

    [Fact]
    public void No_upper_bound_exists_for_a_prefix_of_maximal_characters()
    {
        Internal.ByteArrayColumnWriter.TruncateUpperBound(Encoding.UTF8.GetBytes("\U0010FFFF\U0010FFFF"), 4).Should().BeNull();
        Encoding.UTF8.GetString(Internal.ByteArrayColumnWriter.TruncateLowerBound(Encoding.UTF8.GetBytes("aé"), 2)).Should().Be("a");
    }

    private static (object? Min, object? Max) MinMax(ParquetType type, object?[] values)
    {
        if (values.Length == 0)
        {
            return (null, null);
        }

        if (type == ParquetType.String)
        {
            // UTF-8 byte order, not .NET string order (which is UTF-16 code unit order)
            var ordered = values.Cast<string>().OrderBy(s => Encoding.UTF8.GetBytes(s), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToArray();
            return (ordered[0], ordered[^1]);
        }

        var sorted = values.OrderBy(v => v).ToArray();
        return (sorted[0], sorted[^1]);
    }

    private static void ShouldMatch(ParquetType type, JsonElement actual, object? expected, string context)
    {
        if (expected is null)
        {
            actual.ValueKind.Should().Be(JsonValueKind.Null, context);
            return;
        }

        if (expected is double d && double.IsInfinity(d))
        {
            // The file holds ±Infinity (the true bound); DuckDB's parquet_metadata shows non-finite bounds as NULL.
            actual.ValueKind.Should().Be(JsonValueKind.Null, context);
            return;
        }

        var text = actual.GetString()!;
        switch (type)
        {
            case ParquetType.Double:
                double.Parse(text, CultureInfo.InvariantCulture).Should().Be((double)expected, context);
                break;
            case ParquetType.Boolean:
                text.Should().Be((bool)expected ? "true" : "false", context);
                break;
            case ParquetType.Date:
                text.Should().Be(((DateOnly)expected).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), context);
                break;
            case ParquetType.TimestampMicrosUtc:
                var parsed = DateTimeOffset.Parse(text.Replace("+00", "+00:00", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                parsed.UtcDateTime.Should().Be((DateTime)expected, context);
                break;
            case ParquetType.String:
                text.Should().Be((string)expected, context);
                break;
            default:
                text.Should().Be(Convert.ToInt64(expected, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), context);
                break;
        }
    }
}
