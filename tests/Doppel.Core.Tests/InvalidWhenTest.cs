using Doppel.Execution;

namespace Doppel.Core.Tests;

public sealed class InvalidWhenTest
{
    private const string Recipe = """
        doppel: 1
        name: when
        params:
          sums: { type: string, default: "sums/" }
        tables:
          files:
            rows: 3
            columns:
              name: "'f' + str(row)"
          items:
            parent: files
            per_parent: 10
            file: "out/{name}"
            file_per_parent: true
            checksum_file: "${sums}{file}.sha256"
            columns:
              slot: { expr: "ordinal", hidden: true }
              nhs: { gen: nhs_number, invalid: { when: "slot >= 7", kinds: [bad_checksum] } }
        """;

    [Fact]
    public void Faults_with_a_condition_hit_exactly_the_rows_where_it_holds()
    {
        var dir = TestRecipes.TempDir();
        var result = DoppelRecipe.Parse(Recipe).WriteTo(dir, new RunOptions { Checksums = true });

        result.Faults.Should().Be(9, "3 of 10 rows in each of 3 files");
        var faults = File.ReadAllLines(Path.Combine(dir, "faults.jsonl"));
        faults.Should().OnlyContain(l => l.Contains("\"kind\":\"bad_checksum\"", StringComparison.Ordinal));
        foreach (var f in new[] { "f0", "f1", "f2" })
        {
            var rows = File.ReadAllLines(Path.Combine(dir, "out", f + ".csv")).Skip(1).ToList();
            rows.Take(7).Should().OnlyContain(n => Domain.NhsNumber.IsValid(n));
            rows.Skip(7).Should().OnlyContain(n => !Domain.NhsNumber.IsValid(n));
            File.Exists(Path.Combine(dir, "sums", f + ".csv.sha256")).Should().BeTrue("${param} is resolved in checksum_file");
        }
    }

    [Fact]
    public void A_condition_that_is_not_bool_is_a_recipe_error()
    {
        var act = () => DoppelRecipe.Parse(Recipe.Replace("when: \"slot >= 7\"", "when: \"slot\"", StringComparison.Ordinal)).Plan();

        act.Should().Throw<Diagnostics.RecipeException>().WithMessage("*invalid.when must be a condition (bool)*");
    }
}
