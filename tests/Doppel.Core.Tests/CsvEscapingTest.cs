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
}
