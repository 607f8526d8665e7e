using Doppel.Diagnostics;

namespace Doppel.Core.Tests;

/// <summary><c>checks:</c> conditions on the params, checked at plan time with the usual file:line:column errors.</summary>
public class RecipeChecksTest
{
    private const string Recipe = """
        doppel: 1
        params:
          low: { type: int, default: 1 }
          high: { type: int, default: 3 }
          start: { type: date, default: 2026-01-01 }
          end: { type: date, default: 2026-02-01 }
        checks:
          - "low <= high"
          - { expr: "end > start", message: "end must be after start" }
        tables:
          t:
            rows: 2
            columns:
              n: { gen: int, min: "${low}", max: "${high}" }
        """;

    private static string ErrorOf(string yaml, params (string Name, string Value)[] set)
    {
        var act = () =>
        {
            var recipe = DoppelRecipe.Parse(yaml, "r.yaml");
            foreach (var (name, value) in set)
            {
                recipe = recipe.WithParam(name, value);
            }

            return recipe.Plan();
        };
        return act.Should().Throw<RecipeException>().Which.Message;
    }

    [Fact]
    public void Checks_that_hold_let_the_recipe_plan()
    {
        DoppelRecipe.Parse(Recipe, "r.yaml").Plan().Table("t").RootRows.Should().Be(2);
    }

    [Fact]
    public void A_failed_check_points_at_it_and_names_the_params_and_their_flags()
    {
        var error = ErrorOf(Recipe, ("low", "5"));
        error.Should().Contain("r.yaml:8:5: error: check failed: low <= high (here high=3, low=5)")
            .And.Contain("hint: change --high or --low (or --set high=…)");
    }

    [Fact]
    public void A_failed_check_says_its_message()
    {
        ErrorOf(Recipe, ("end", "2025-12-01")).Should().Contain("r.yaml:9:13: error: check failed: end must be after start (here end=2025-12-01, start=2026-01-01)");
    }

    [Fact]
    public void A_check_must_be_a_condition()
    {
        ErrorOf(Recipe.Replace("\"low <= high\"", "\"low + high\"", StringComparison.Ordinal)).Should().Contain("r.yaml:8:5: error: a check must be a condition (bool), not int");
    }

    [Fact]
    public void A_check_naming_an_unknown_param_suggests_the_closest()
    {
        ErrorOf(Recipe.Replace("\"low <= high\"", "\"lo <= high\"", StringComparison.Ordinal)).Should().Contain("in check \"lo <= high\": unknown name 'lo'").And.Contain("did you mean 'low'?");
    }

    [Fact]
    public void A_check_can_only_see_params_not_columns()
    {
        ErrorOf(Recipe.Replace("\"low <= high\"", "\"n > 0\"", StringComparison.Ordinal)).Should().Contain("unknown name 'n'");
    }

    [Fact]
    public void Unknown_keys_in_a_check_are_errors()
    {
        ErrorOf(Recipe.Replace("message:", "mesage:", StringComparison.Ordinal)).Should().Contain("unknown key 'mesage' in check").And.Contain("did you mean 'message'?");
    }

    [Fact]
    public void Checks_must_be_a_list()
    {
        ErrorOf(Recipe.Replace("checks:\n  - \"low <= high\"\n  - { expr: \"end > start\", message: \"end must be after start\" }", "checks: \"low <= high\"", StringComparison.Ordinal)).Should().Contain("'checks' must be a list of conditions on the params");
    }
}
