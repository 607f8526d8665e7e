using Doppel.Execution;

namespace Doppel.Core.Tests;

/// <summary>Children read their parent's text intact, whether or not the parent table is written.</summary>
public class ParentTextPerTableTest
{
    private const string Recipe = """
        tables:
          parents:
            rows: 200
            columns:
              id: "'PARENT-' + pad(row + 1, 6)"
              secret: { expr: "'hidden-' + str(row)", hidden: true }
          children:
            parent: parents
            per_parent: 3
            columns:
              parent_id: parent.id
              parent_secret: parent.secret
              note: "'child ' + str(ordinal) + ' of ' + parent.id"
        """;

    [Fact]
    public void A_child_written_alone_sees_the_same_parent_text_as_in_a_full_run()
    {
        var full = TestRecipes.TempDir();
        var alone = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(Recipe, "r.yaml");

        recipe.WriteTo(full, new RunOptions { Threads = 2, BatchSize = 16 });
        recipe.WriteTo(alone, new RunOptions { Threads = 2, BatchSize = 16, Tables = new HashSet<string> { "children" } });

        var lines = File.ReadAllLines(Path.Combine(alone, "children.csv"));
        lines.Should().Equal(File.ReadAllLines(Path.Combine(full, "children.csv")));
        lines.Skip(1).Should().OnlyContain(l => l.StartsWith("PARENT-", StringComparison.Ordinal) && l.Contains(",hidden-", StringComparison.Ordinal));
    }
}
