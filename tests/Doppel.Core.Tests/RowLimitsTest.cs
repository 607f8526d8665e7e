using Doppel.Execution;

namespace Doppel.Core.Tests;

public class RowLimitsTest
{
    [Fact]
    public void A_row_limit_writes_the_first_rows_of_a_child_table_exactly_as_a_full_run_does()
    {
        // Given the clinic recipe written once in full and once with encounters capped at 25 rows
        var full = TestRecipes.TempDir();
        var capped = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(TestRecipes.Clinic).WithParam("patients", "40");
        recipe.WriteTo(full, new RunOptions { Threads = 2, BatchSize = 7 });

        // When
        var result = recipe.WriteTo(capped, new RunOptions { Threads = 2, BatchSize = 7, RowLimits = new Dictionary<string, long> { ["encounters"] = 25 } });

        // Then the capped file holds the header plus the full run's first 25 rows, other tables are untouched
        var fullLines = File.ReadAllLines(Path.Combine(full, "encounters.csv"));
        File.ReadAllLines(Path.Combine(capped, "encounters.csv")).Should().Equal(fullLines.Take(26));
        result.Tables.Single(t => t.Table == "encounters").Rows.Should().Be(25);
        File.ReadAllText(Path.Combine(capped, "patients.csv")).Should().Be(File.ReadAllText(Path.Combine(full, "patients.csv")));
    }
}
