using System.Text.Json;
using Doppel.Execution;
using Doppel.Formats;

namespace Doppel.Core.Tests;

public class FilePerParentTest
{
    private const string Recipe = """
        tables:
          files:
            rows: 4
            columns:
              name: "'batch_' + pad(row + 1, 3)"
          rows:
            parent: files
            per_parent: { dist: uniform, min: 1, max: 20 }
            file: "out/{name}"
            file_per_parent: true
            checksum_file: "sums/{file}.sha256"
            columns:
              file: parent.name
              n: { gen: sequence }
        """;

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("jsonl")]
    public void One_valid_file_per_parent_row_with_sidecars_elsewhere(string format)
    {
        var dir = TestRecipes.TempDir();
        var result = DoppelRecipe.Parse(Recipe).WriteTo(dir, new RunOptions { Format = TableFormats.BuiltIn[format], Checksums = true, BatchSize = 7 });
        var files = result.Files.Where(f => f.Table == "rows").ToList();
        files.Select(f => f.Path).Should().Equal(Enumerable.Range(1, 4).Select(i => $"out/batch_{i:000}.{format}"));
        files.Sum(f => f.Rows).Should().Be(result.Tables.Single(t => t.Table == "rows").Rows);
        foreach (var f in files)
        {
            var text = File.ReadAllText(Path.Combine(dir, f.Path));
            var rows = format switch
            {
                "json" => JsonDocument.Parse(text).RootElement.GetArrayLength(),
                "jsonl" => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).Count(),
                _ => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1,
            };
            rows.Should().Be((int)f.Rows);
            f.ChecksumPath.Should().Be($"sums/{Path.GetFileName(f.Path)}.sha256");
            File.ReadAllText(Path.Combine(dir, f.ChecksumPath!)).Should().Be($"{f.Sha256}  {Path.GetFileName(f.Path)}\n");
        }
    }
}
