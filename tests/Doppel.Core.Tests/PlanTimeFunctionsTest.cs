namespace Doppel.Core.Tests;

public class PlanTimeFunctionsTest
{
    [Fact]
    public void Text_functions_work_in_plan_time_expressions()
    {
        var recipe = DoppelRecipe.Parse("""
            params:
              day: { type: date, default: 2026-03-14 }
              n: { type: int, default: 7 }
            tables:
              t:
                rows: ${n}
                file: "out/${format_date(day, 'yyyyMMdd')}-${pad(n, 3)}"
                columns:
                  a: { gen: sequence }
            """);
        recipe.Plan().Tables[0].FileTemplate.Should().Be("out/20260314-007");
    }
}
