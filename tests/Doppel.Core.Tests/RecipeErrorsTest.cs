using Doppel.Diagnostics;

namespace Doppel.Core.Tests;

/// <summary>Golden error texts: file:line:column, what is wrong, and a hint.</summary>
public class RecipeErrorsTest
{
    private static string ErrorOf(string yaml)
    {
        var act = () => DoppelRecipe.Parse(yaml, "r.yaml").Plan();
        return act.Should().Throw<RecipeException>().Which.Message;
    }

    [Fact]
    public void Unknown_key_suggests_the_closest()
    {
        ErrorOf("""
            tables:
              t:
                rowz: 3
                columns:
                  a: { gen: sequence }
            """).Should().Contain("r.yaml:3:5: error: unknown key 'rowz' in table 't'").And.Contain("hint: did you mean 'rows'?");
    }

    [Fact]
    public void Unknown_generator_suggests_the_closest()
    {
        ErrorOf("""
            tables:
              t:
                rows: 3
                columns:
                  a: { gen: sequense }
            """).Should().Contain("r.yaml:5:17: error: unknown generator 'sequense'").And.Contain("did you mean 'sequence'?");
    }

    [Fact]
    public void Unknown_column_in_expression_points_at_it()
    {
        ErrorOf("""
            tables:
              t:
                rows: 3
                columns:
                  a: { gen: int, min: 1, max: 9 }
                  b: "aa + 1"
            """).Should().Contain("r.yaml:6:11: error: in expression \"aa + 1\": unknown name 'aa'").And.Contain("did you mean 'a'?");
    }

    [Fact]
    public void Cycles_are_named()
    {
        ErrorOf("""
            tables:
              t:
                rows: 3
                columns:
                  a: "b + 1"
                  b: "a + 1"
            """).Should().Contain("depends on itself");
    }

    [Fact]
    public void Bad_yaml_is_reported_with_position()
    {
        ErrorOf("tables:\n  t:\n    rows: [1, 2\n").Should().StartWith("r.yaml:").And.Contain("not valid YAML");
    }

    [Fact]
    public void Generator_option_errors_name_the_option()
    {
        ErrorOf("""
            tables:
              t:
                rows: 3
                columns:
                  a: { gen: int, min: 1, maxx: 9 }
            """).Should().Contain("generator 'int' has no option 'maxx'").And.Contain("did you mean 'max'?");
    }

    [Fact]
    public void Set_of_an_undeclared_param_is_an_error()
    {
        var act = () => DoppelRecipe.Parse("params:\n  rows: 5\ntables:\n  t:\n    rows: ${rows}\n    columns:\n      a: { gen: sequence }\n").WithParam("rowz", "1").Plan();
        act.Should().Throw<RecipeException>().Which.Message.Should().Contain("--set names parameter 'rowz'").And.Contain("did you mean 'rows'?");
    }

    [Fact]
    public void Unique_without_a_unique_generator_is_rejected()
    {
        ErrorOf("""
            tables:
              t:
                rows: 3
                columns:
                  a: { gen: int, min: 1, max: 9, contract: { unique: true } }
            """).Should().Contain("does not guarantee unique values");
    }
}
