using Doppel.Diagnostics;
using Doppel.Validation;

namespace Doppel.Core.Tests;

public class TableFormatTest
{
    private const string Recipe = """
        doppel: 1
        name: mixed
        tables:
          encounters:
            rows: 20
            columns:
              encounter_id: { gen: sequence }
              admit_time: { gen: timestamp, min: 2026-03-14, max: 2026-03-15 }
              discharge_time: { gen: offset, from: admit_time, min: 1h, max: 2d }
          notes:
            parent: encounters
            per_parent: 2
            format: jsonl
            columns:
              encounter_id: parent.encounter_id
              note_time: { gen: timestamp, between: [parent.admit_time, parent.discharge_time] }
              text: "'note, with \"quotes\"'"
        """;

    [Fact]
    public void A_table_with_its_own_format_is_written_in_it_beside_csv_tables_and_validates()
    {
        var dir = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(Recipe);
        var result = recipe.WriteTo(dir);

        result.Files.Select(f => f.Path).Should().Contain(["encounters.csv", "notes.jsonl"]);
        result.Files.Single(f => f.Path == "notes.jsonl").ContentType.Should().Be("application/x-ndjson");
        var lines = File.ReadAllLines(Path.Combine(dir, "notes.jsonl"));
        lines.Should().HaveCount(40);
        lines[0].Should().StartWith("{\"encounter_id\":1,");
        Validator.Validate(dir, recipe.Plan()).Passed.Should().BeTrue();
    }

    [Fact]
    public void An_unknown_table_format_is_a_recipe_error_with_a_suggestion()
    {
        var act = () => DoppelRecipe.Parse(Recipe.Replace("format: jsonl", "format: jsnl", StringComparison.Ordinal)).Plan();
        act.Should().Throw<RecipeException>().Which.Message.Should().Contain("unknown format 'jsnl'").And.Contain("jsonl");
    }
}
