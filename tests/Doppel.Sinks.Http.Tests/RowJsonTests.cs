using System.Buffers;
using System.Text;
using System.Text.Json;
using Doppel.Data;

namespace Doppel.Sinks.Http.Tests;

public sealed class RowJsonTests
{
    private static readonly TableSchema Schema = new("t",
    [
        new ColumnSchema("s", DataType.String, true),
        new ColumnSchema("i", DataType.Int, false),
        new ColumnSchema("f", DataType.Float, false),
        new ColumnSchema("b", DataType.Bool, false),
        new ColumnSchema("d", DataType.Date, false),
        new ColumnSchema("ts", DataType.Timestamp, false),
        new ColumnSchema("j", DataType.Json, true),
    ]);

    private static RowBatch Row(string? s, long i, double f, bool b, DateOnly d, long tsMicros, string? j)
    {
        var batch = new RowBatch(Schema, 1);
        batch.Reset(0);
        if (s is null)
        {
            batch.Columns[0].Nulls[0] = true;
        }
        else
        {
            batch.Columns[0].Utf8.Set(0, s);
        }

        batch.Columns[1].Int64[0] = i;
        batch.Columns[2].Float64[0] = f;
        batch.Columns[3].Int64[0] = b ? 1 : 0;
        batch.Columns[4].Int64[0] = DataTypes.ToDays(d);
        batch.Columns[5].Int64[0] = tsMicros;
        if (j is null)
        {
            batch.Columns[6].Nulls[0] = true;
        }
        else
        {
            batch.Columns[6].Utf8.Set(0, j);
        }

        batch.Count = 1;
        return batch;
    }

    private static string Json(RowBatch batch, RowJsonStyle style)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, RowJson.WriterOptions))
        {
            RowJson.Write(writer, batch, 0, RowJson.EncodeNames(batch.Schema), style);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static readonly long Micros = DataTypes.ToMicros(new DateTime(2026, 3, 14, 8, 15, 30, DateTimeKind.Utc)) + 123_456;

    [Fact]
    public void Given_every_type_when_written_in_the_standard_style_then_the_documented_forms_appear()
    {
        var json = Json(Row("café \"😀\"", -42, 0.1, true, new DateOnly(2026, 3, 14), Micros, """{"a":[1,2]}"""), RowJsonStyle.Standard);

        // Characters outside the BMP are escaped as a surrogate pair (valid JSON; ClickHouse 18.16 decodes it).
        json.Should().Be("""{"s":"café \"\uD83D\uDE00\"","i":-42,"f":0.1,"b":true,"d":"2026-03-14","ts":"2026-03-14T08:15:30.123456Z","j":{"a":[1,2]}}""");
    }

    [Fact]
    public void Given_nulls_and_non_finite_floats_when_written_then_they_are_null_and_named_strings()
    {
        Json(Row(null, 0, double.NaN, false, new DateOnly(1970, 1, 1), 0, null), RowJsonStyle.Standard)
            .Should().Be("""{"s":null,"i":0,"f":"NaN","b":false,"d":"1970-01-01","ts":"1970-01-01T00:00:00.000000Z","j":null}""");
        Json(Row(null, 0, double.NegativeInfinity, false, new DateOnly(1970, 1, 1), 0, null), RowJsonStyle.ClickHouse)
            .Should().Contain("\"f\":\"-inf\"");
    }

    [Fact]
    public void Given_the_clickhouse_style_when_written_then_seconds_bools_as_numbers_and_json_as_text()
    {
        Json(Row("x", 1, 2.5, true, new DateOnly(2026, 3, 14), Micros, """{"a":1}"""), RowJsonStyle.ClickHouse)
            .Should().Be("""{"s":"x","i":1,"f":2.5,"b":1,"d":"2026-03-14","ts":"2026-03-14 08:15:30","j":"{\"a\":1}"}""");
    }

    [Fact]
    public void Given_milliseconds_style_and_a_pre_1970_instant_when_written_then_it_truncates_toward_the_past()
    {
        var micros = DataTypes.ToMicros(new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc)) + 999_999;

        Json(Row("x", 1, 1, true, new DateOnly(1969, 12, 31), micros, null), RowJsonStyle.StandardMilliseconds)
            .Should().Contain("\"d\":\"1969-12-31\",\"ts\":\"1969-12-31T23:59:59.999Z\"");
        Json(Row("x", 1, 1, true, new DateOnly(1969, 12, 31), -1, null), RowJsonStyle.ClickHouse)
            .Should().Contain("\"ts\":\"1969-12-31 23:59:59\"");
    }

    [Fact]
    public void Given_invalid_json_in_a_json_column_when_written_then_the_error_names_row_and_column()
    {
        var write = () => Json(Row("x", 1, 1, true, new DateOnly(2026, 1, 1), 0, "{not json"), RowJsonStyle.Standard);

        write.Should().Throw<DoppelException>().WithMessage("Row 0 of table 't', column 'j' (json) cannot be written as JSON: *");
    }
}
