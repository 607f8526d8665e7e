using System.Globalization;

namespace Doppel.Packs.Clinical;

/// <summary>The presentations an encounter follows (domain-reference §8.3, plus routine/elective admissions).</summary>
public enum Scenario
{
    Sepsis,
    AcuteCoronarySyndrome,
    CopdExacerbation,
    Dka,
    Stroke,
    Routine,
}

/// <summary>Scenario names as written in data and in <c>scenario_mix</c>, and the mix parser.</summary>
public static class Scenarios
{
    /// <summary>Data names, in <see cref="Scenario"/> order.</summary>
    public static readonly IReadOnlyList<string> Names = ["sepsis", "acute_coronary_syndrome", "copd_exacerbation", "dka", "stroke", "routine"];

    /// <summary>The default mix (relative weights; adjusted per patient by age, see <see cref="AgeFactor"/>).</summary>
    public const string DefaultMix = "sepsis:15,acute_coronary_syndrome:15,copd_exacerbation:15,dka:8,stroke:12,routine:35";

    public static string NameOf(Scenario s) => Names[(int)s];

    /// <summary>
    /// Parses <c>name:weight,name:weight,…</c>. Names not listed get weight 0; at least one weight must be
    /// positive. Returns null and an error message for bad input.
    /// </summary>
    public static double[]? ParseMix(string text, out string? error)
    {
        var weights = new double[Names.Count];
        error = null;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOfAny([':', '=']);
            var name = colon < 0 ? part : part[..colon].Trim();
            var index = IndexOf(name);
            if (index < 0)
            {
                error = $"unknown scenario '{name}' in scenario_mix; {Diagnostics.Suggest.DidYouMean(name, Names, $"scenarios: {string.Join(", ", Names)}")}";
                return null;
            }

            if (colon < 0 || !double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !double.IsFinite(w) || w < 0)
            {
                error = $"scenario_mix entry '{part}' needs a weight ≥ 0, e.g. {name}:10";
                return null;
            }

            weights[index] = w;
        }

        if (weights.Sum() <= 0)
        {
            error = $"scenario_mix '{text}' gives no scenario a positive weight; e.g. {DefaultMix}";
            return null;
        }

        return weights;
    }

    public static int IndexOf(string name)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// How much more (or less) likely a scenario is at an age than the mix says: DKA is a disease of the
    /// young, COPD, stroke and ACS of the old (a heuristic so a 90-year-old rarely presents in DKA).
    /// </summary>
    public static double AgeFactor(Scenario s, int age) => s switch
    {
        Scenario.Dka => age < 40 ? 2.5 : age < 60 ? 1.0 : 0.3,
        Scenario.CopdExacerbation => age < 45 ? 0.05 : age < 60 ? 0.7 : 1.4,
        Scenario.Stroke => age < 50 ? 0.3 : age < 70 ? 1.0 : 1.5,
        Scenario.AcuteCoronarySyndrome => age < 40 ? 0.2 : age < 60 ? 1.0 : 1.3,
        _ => 1.0,
    };
}
