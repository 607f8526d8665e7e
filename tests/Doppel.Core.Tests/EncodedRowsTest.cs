using System.IO.Compression;
using System.Security.Cryptography;
using Doppel.Execution;
using Doppel.Formats;

namespace Doppel.Core.Tests;

/// <summary>
/// CSV, JSON Lines and JSON rows are encoded on the generation threads and only appended by the writer; these tests
/// pin that the bytes are the same as the writer's own encoding, across shards, and through gzip.
/// </summary>
public class EncodedRowsTest
{
    private const string People = """
        doppel: 1
        tables:
          people:
            rows: 2500
            columns:
              id: { gen: sequence }
              sex: { gen: choice, values: [F, M, X] }
              first: { gen: first_name, sex: sex }
              last: { gen: last_name }
              note: { gen: choice, values: ['plain', 'has,comma', 'has "quote"', "two\nlines", ''] }
              born: { gen: date, min: 1930-01-01, max: 2020-12-31 }
              score: { gen: float, min: 0, max: 1 }
              mail: { gen: email, first: first, last: last }
        """;

    private static DoppelRecipe Recipe => DoppelRecipe.Parse(People, "people.recipe.yaml").WithSeed(5);

    private static byte[] Write(string format, RunOptions options)
    {
        var dir = TestRecipes.TempDir();
        Recipe.WriteTo(dir, new RunOptions
        {
            Format = TableFormats.BuiltIn[format],
            Threads = options.Threads,
            BatchSize = 300,
            Shard = options.Shard,
            Gzip = options.Gzip,
            RowLimits = options.RowLimits,
        });
        var name = Directory.GetFiles(dir).Single(p => Path.GetFileName(p).StartsWith("people", StringComparison.Ordinal));
        return File.ReadAllBytes(name);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    [InlineData("json")]
    public void Rows_encoded_by_the_workers_equal_rows_encoded_by_the_writer(string format)
    {
        Recipe.Plan().Table("people").Columnar.Should().NotBeNull("these tests cover the columnar path");
        var byWorkers = Write(format, new RunOptions { Threads = 2 });

        // A row limit makes the writer encode (it may cut a batch); one above the row count cuts nothing.
        var byWriter = Write(format, new RunOptions { Threads = 2, RowLimits = new Dictionary<string, long> { ["people"] = 1_000_000 } });
        byWorkers.Should().Equal(byWriter);
    }

    [Theory]
    [InlineData("csv", 3)]
    [InlineData("csv", 7)]
    [InlineData("jsonl", 3)]
    [InlineData("json", 3)]
    [InlineData("json", 7)]
    public void Shards_of_a_columnar_table_concatenate_to_the_single_run_file(string format, int shards)
    {
        var whole = Write(format, new RunOptions { Threads = 2 });
        var parts = Enumerable.Range(0, shards).SelectMany(i => Write(format, new RunOptions { Threads = 2, Shard = new Shard(i, shards) })).ToArray();
        parts.Should().Equal(whole);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    [InlineData("json")]
    public void Gzip_output_decompresses_to_the_plain_file_and_the_manifest_hashes_the_gz(string format)
    {
        var plain = Write(format, new RunOptions { Threads = 2 });
        var dir = TestRecipes.TempDir();
        var result = Recipe.WriteTo(dir, new RunOptions { Format = TableFormats.BuiltIn[format], Threads = 2, BatchSize = 300, Gzip = true });
        var gz = Path.Combine(dir, $"people.{format}.gz");
        using (var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress))
        using (var copy = new MemoryStream())
        {
            input.CopyTo(copy);
            copy.ToArray().Should().Equal(plain);
        }

        result.Files.Single(f => f.Table == "people").Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(gz))));
    }
}
