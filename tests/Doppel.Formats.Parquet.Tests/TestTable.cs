using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Doppel.Formats.Parquet.Tests;

/// <summary>
/// A table held as boxed values per column (test code only), written through the public batch API and compared
/// value by value against what a reader returns.
/// </summary>
/// <remarks>
/// Values: Int32 → int, Int64 → long, Double → double, Boolean → bool, String → string, Date → DateOnly,
/// TimestampMicrosUtc → DateTime (UTC, whole microseconds). null is null.
/// </remarks>
internal sealed class TestTable(ParquetSchema schema, object?[][] columns)
{
    public ParquetSchema Schema { get; } = schema;

    public object?[][] Columns { get; } = columns;

    public int RowCount => Columns.Length == 0 ? 0 : Columns[0].Length;

    /// <summary>Writes the table in batches of <paramref name="batchRows"/>; strings alternate between the UTF-8 and string setters.</summary>
    public byte[] Write(ParquetWriterOptions options, int batchRows = 1000)
    {
        using var stream = new MemoryStream();
        using (var writer = new ParquetFileWriter(stream, Schema, options))
        {
            var batch = new ParquetBatch(Schema);
            for (var start = 0; start < RowCount; start += batchRows)
            {
                var n = Math.Min(batchRows, RowCount - start);
                batch.Reset(n);
                for (var c = 0; c < Columns.Length; c++)
                {
                    Fill(batch, c, Columns[c].AsSpan(start, n));
                }

                writer.WriteBatch(batch);
            }
        }

        return stream.ToArray();
    }

    public string WriteFile(ParquetWriterOptions options, int batchRows = 1000)
    {
        var path = Path.Combine(Path.GetTempPath(), $"doppel-parquet-{Guid.NewGuid():N}.parquet");
        File.WriteAllBytes(path, Write(options, batchRows));
        return path;
    }

    /// <summary>
    /// Writes the table to a temporary file, asserts that DuckDB and hyparquet both read it back identically, runs
    /// <paramref name="alsoCheck"/> on the file, and deletes it.
    /// </summary>
    public void ShouldRoundTrip(ParquetWriterOptions options, int batchRows = 1000, Action<string>? alsoCheck = null)
    {
        var path = WriteFile(options, batchRows);
        try
        {
            ShouldEqual(NodeReaders.ReadRows(path, "duckdb"), "duckdb");
            ShouldEqual(NodeReaders.ReadRows(path, "hyparquet"), "hyparquet");
            alsoCheck?.Invoke(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Asserts that the rows a reader returned equal the table, value by value.</summary>
    public void ShouldEqual(IReadOnlyList<JsonElement> rows, string reader)
    {
        rows.Should().HaveCount(RowCount, $"{reader} must return every row");
        for (var r = 0; r < RowCount; r++)
        {
            for (var c = 0; c < Columns.Length; c++)
            {
                var column = Schema[c];
                var actual = rows[r].GetProperty(column.Name);
                var expected = Columns[c][r];
                if (!Same(column.Type, expected, actual))
                {
                    throw new Xunit.Sdk.XunitException(
                        $"{reader}: row {r} column '{column.Name}' ({column.Type}): expected {Describe(expected)} but read {actual.GetRawText()}");
                }
            }
        }
    }

    private static bool Same(ParquetType type, object? expected, JsonElement actual)
    {
        if (expected is null)
        {
            return actual.ValueKind == JsonValueKind.Null;
        }

        switch (type)
        {
            case ParquetType.Int32:
            case ParquetType.Int64:
                return actual.ValueKind == JsonValueKind.Number && actual.GetInt64() == Convert.ToInt64(expected, CultureInfo.InvariantCulture);
            case ParquetType.Double:
                var d = (double)expected;
                if (actual.ValueKind == JsonValueKind.String)
                {
                    return actual.GetString() switch
                    {
                        "NaN" => double.IsNaN(d),
                        "Infinity" => double.IsPositiveInfinity(d),
                        "-Infinity" => double.IsNegativeInfinity(d),
                        _ => false,
                    };
                }

                // Bit-exact: distinguishes -0.0 from +0.0.
                return BitConverter.DoubleToInt64Bits(actual.GetDouble()) == BitConverter.DoubleToInt64Bits(d);
            case ParquetType.Boolean:
                return actual.ValueKind is JsonValueKind.True or JsonValueKind.False && actual.GetBoolean() == (bool)expected;
            case ParquetType.String:
                return actual.ValueKind == JsonValueKind.String && string.Equals(actual.GetString(), (string)expected, StringComparison.Ordinal);
            case ParquetType.Date:
                return actual.GetString() == ((DateOnly)expected).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            default:
                return actual.GetString() == ((DateTime)expected).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Fill(ParquetBatch batch, int c, ReadOnlySpan<object?> values)
    {
        var column = batch.Schema[c];
        var n = values.Length;
        var nulls = new bool[n];
        for (var i = 0; i < n; i++)
        {
            nulls[i] = values[i] is null;
        }

        switch (column.Type)
        {
            case ParquetType.Int32:
            case ParquetType.Date:
                var ints = new int[n];
                for (var i = 0; i < n; i++)
                {
                    ints[i] = values[i] switch
                    {
                        int v => v,
                        DateOnly d => ParquetValues.ToDays(d),
                        _ => -1, // garbage in null slots must be ignored
                    };
                }

                batch.SetInt32(c, ints, nulls);
                break;
            case ParquetType.Int64:
            case ParquetType.TimestampMicrosUtc:
                var longs = new long[n];
                for (var i = 0; i < n; i++)
                {
                    longs[i] = values[i] switch
                    {
                        long v => v,
                        DateTime t => ParquetValues.ToMicros(t),
                        _ => long.MinValue,
                    };
                }

                batch.SetInt64(c, longs, nulls);
                break;
            case ParquetType.Double:
                var doubles = new double[n];
                for (var i = 0; i < n; i++)
                {
                    doubles[i] = values[i] is double v ? v : double.NaN;
                }

                batch.SetDouble(c, doubles, nulls);
                break;
            case ParquetType.Boolean:
                var bools = new bool[n];
                for (var i = 0; i < n; i++)
                {
                    bools[i] = values[i] is true;
                }

                batch.SetBoolean(c, bools, nulls);
                break;
            default:
                var strings = new string?[n];
                for (var i = 0; i < n; i++)
                {
                    strings[i] = (string?)values[i];
                }

                if (c % 2 == 0)
                {
                    batch.SetStrings(c, strings);
                }
                else
                {
                    // Arrow-style offsets over one buffer.
                    var offsets = new int[n + 1];
                    var buffer = new List<byte>();
                    for (var i = 0; i < n; i++)
                    {
                        buffer.AddRange(Encoding.UTF8.GetBytes(strings[i] ?? "ignored"));
                        offsets[i + 1] = buffer.Count;
                    }

                    batch.SetUtf8(c, buffer.ToArray(), offsets, nulls);
                }

                break;
        }
    }
}
