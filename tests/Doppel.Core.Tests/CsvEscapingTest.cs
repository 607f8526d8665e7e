using Microsoft.VisualBasic.FileIO;

namespace Doppel.Core.Tests;

public class CsvEscapingTest
{
    [Fact]
    public void An_independent_parser_reads_back_every_awkward_value()
    {
        var dir = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(TestRecipes.Clinic).WithSeed(11);
        recipe.WriteTo(dir);
        var expected = recipe.Rows("patients").Select(r => (string)r["note"]!).ToList();

        // The BCL's TextFieldParser is an RFC 4180 reader written independently of Doppel.
        using var parser = new TextFieldParser(Path.Combine(dir, "patients.csv")) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        var header = parser.ReadFields()!;
        var ni = Array.IndexOf(header, "note");
        var read = new List<string>();
        while (!parser.EndOfData)
        {
            read.Add(parser.ReadFields()![ni]);
        }

        read.Should().Equal(expected);
        read.Should().Contain(["has,comma", "has \"quote\"", "two\nlines", string.Empty]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rows_longer_than_the_output_buffer_are_written_cell_by_cell_and_read_back_whole(bool writerEncodes)
    {
        // 600,000 chars of commas and quotes double to 1.2 MB quoted: more than the 1 MB output buffer.
        var huge = string.Concat(Enumerable.Repeat("a,\"", 200_000));
        var large = string.Concat(Enumerable.Repeat("b\"", 150_000));
        var yaml = $$"""
            doppel: 1
            tables:
              t:
                rows: 3
                columns:
                  id: { gen: sequence }
                  huge: { gen: choice, values: ['{{huge}}'] }
                  large: { gen: choice, values: ['{{large}}'] }
                  day: { gen: date, min: 2020-01-01, max: 2020-12-31 }
            """;
        var dir = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(yaml).WithSeed(4);
        // A row limit makes the file's writer encode (its 1 MB buffer); otherwise the workers do, into growing buffers.
        recipe.WriteTo(dir, new Execution.RunOptions { RowLimits = writerEncodes ? new Dictionary<string, long> { ["t"] = 100 } : null });
        var expected = recipe.Rows("t").Select(r => new[] { r["id"]!.ToString()!, (string)r["huge"]!, (string)r["large"]!, ((DateOnly)r["day"]!).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }).ToList();

        using var parser = new TextFieldParser(Path.Combine(dir, "t.csv")) { HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        parser.ReadFields();
        var read = new List<string[]>();
        while (!parser.EndOfData)
        {
            read.Add(parser.ReadFields()!);
        }

        read.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        read[0][1].Length.Should().Be(600_000);
    }
}
