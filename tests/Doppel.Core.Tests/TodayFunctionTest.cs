using Doppel.Diagnostics;

namespace Doppel.Core.Tests;

/// <summary><c>today()</c>: the wall clock, read once at plan time and recorded in the params.</summary>
public class TodayFunctionTest
{
    private const string Recipe = """
        params:
          start: { type: timestamp, default: "${today()}" }
        tables:
          t:
            rows: 2
            columns:
              at: start
        """;

    [Fact]
    public void A_param_default_of_today_resolves_to_midnight_utc_and_is_recorded()
    {
        var before = DateTime.UtcNow.Date;
        var plan = DoppelRecipe.Parse(Recipe, "r.yaml").Plan();
        var after = DateTime.UtcNow.Date;

        var recorded = DateTime.Parse(plan.Params["start"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        recorded.Should().BeOneOf(before, after);
        recorded.TimeOfDay.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void A_set_value_wins_over_today()
    {
        var rows = DoppelRecipe.Parse(Recipe, "r.yaml").WithParam("start", "2025-06-01T12:00:00Z").Rows("t").ToList();

        rows.Should().OnlyContain(r => (DateTime)r["at"]! == new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Today_in_a_row_expression_is_rejected()
    {
        var act = () => DoppelRecipe.Parse("""
            tables:
              t:
                rows: 1
                columns:
                  at: "today()"
            """, "r.yaml").Plan();

        act.Should().Throw<RecipeException>().Which.Message.Should().Contain("today() reads the clock and can be used only at plan time");
    }
}
