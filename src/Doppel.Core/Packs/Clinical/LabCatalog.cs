namespace Doppel.Packs.Clinical;

/// <summary>The laboratory tests the clinical pack orders (domain-reference §8.2).</summary>
public enum LabTest
{
    Lactate,
    WhiteCellCount,
    Haemoglobin,
    Platelets,
    TroponinT,
    CReactiveProtein,
    Creatinine,
    Sodium,
    Potassium,
    Chloride,
    Bicarbonate,
    AnionGap,
    Glucose,
    PhArterial,
    BetaHydroxybutyrate,
    Procalcitonin,
    NtProBnp,
    BloodCulture,
}

/// <summary>
/// What a lab row carries about its test: LOINC code and display, UCUM unit, the reference interval
/// attached to the result, decimals reported, and critical limits (flags LL/HH). <c>RefLow</c> is null
/// for an upper-limit-only interval (troponin, CRP); <c>RefLowFemale</c>/<c>RefHighFemale</c> are set
/// where women's interval differs (haemoglobin).
/// </summary>
public sealed record LabInfo(LabTest Test, string Loinc, string Name, string? Unit, double? RefLow, double? RefHigh, int Decimals, double? CriticalLow = null, double? CriticalHigh = null, double? RefLowFemale = null, double? RefHighFemale = null);

/// <summary>
/// LOINC codes, units and typical adult UK reference intervals from domain-reference §8.2 (intervals vary
/// by laboratory; each row carries the interval it was flagged against). Critical limits are heuristics.
/// </summary>
public static class LabCatalog
{
    private static readonly LabInfo[] Tests =
    [
        new(LabTest.Lactate, "2524-7", "Lactate", "mmol/L", 0.5, 2.2, 1, CriticalHigh: 4.0),
        new(LabTest.WhiteCellCount, "6690-2", "White cell count", "10*3/uL", 4.0, 11.0, 1, CriticalLow: 1.0, CriticalHigh: 30.0),
        new(LabTest.Haemoglobin, "718-7", "Haemoglobin", "g/dL", 13.0, 17.0, 1, CriticalLow: 7.0, RefLowFemale: 11.5, RefHighFemale: 15.0),
        new(LabTest.Platelets, "777-3", "Platelets", "10*3/uL", 150, 400, 0, CriticalLow: 20),
        new(LabTest.TroponinT, "67151-1", "Troponin T (high-sensitivity)", "ng/L", null, 14, 0),
        new(LabTest.CReactiveProtein, "1988-5", "C-reactive protein", "mg/L", null, 5, 0),
        new(LabTest.Creatinine, "14682-9", "Creatinine", "umol/L", 60, 120, 0, CriticalHigh: 500),
        new(LabTest.Sodium, "2951-2", "Sodium", "mmol/L", 135, 145, 0, CriticalLow: 120, CriticalHigh: 160),
        new(LabTest.Potassium, "2823-3", "Potassium", "mmol/L", 3.5, 5.3, 1, CriticalLow: 2.8, CriticalHigh: 6.0),
        new(LabTest.Chloride, "2075-0", "Chloride", "mmol/L", 95, 105, 0),
        new(LabTest.Bicarbonate, "1963-8", "Bicarbonate", "mmol/L", 22, 28, 0, CriticalLow: 10),
        new(LabTest.AnionGap, "33037-3", "Anion gap", "mmol/L", 8, 16, 0),
        new(LabTest.Glucose, "15074-8", "Glucose", "mmol/L", 4.0, 6.0, 1, CriticalLow: 2.5, CriticalHigh: 25.0),
        new(LabTest.PhArterial, "2744-1", "pH (arterial blood)", "[pH]", 7.35, 7.45, 2, CriticalLow: 7.2, CriticalHigh: 7.6),
        new(LabTest.BetaHydroxybutyrate, "53060-9", "Beta-hydroxybutyrate", "mmol/L", null, 0.6, 1, CriticalHigh: 3.0),
        new(LabTest.Procalcitonin, "33959-8", "Procalcitonin", "ng/mL", null, 0.1, 2),
        new(LabTest.NtProBnp, "33762-6", "NT-proBNP", "pg/mL", null, 125, 0),
        new(LabTest.BloodCulture, "600-7", "Blood culture", null, null, null, 0),
    ];

    /// <summary>All tests, in <see cref="LabTest"/> order.</summary>
    public static IReadOnlyList<LabInfo> All => Tests;

    public static LabInfo Of(LabTest test) => Tests[(int)test];

    /// <summary>The reference interval that applies to a patient of the given sex ('F' or 'M').</summary>
    public static (double? Low, double? High) Reference(LabTest test, char sex)
    {
        var t = Tests[(int)test];
        return sex == 'F' && t.RefLowFemale is not null ? (t.RefLowFemale, t.RefHighFemale) : (t.RefLow, t.RefHigh);
    }

    /// <summary>HL7-style abnormal flag: N, L, H, or LL / HH beyond the critical limits.</summary>
    public static string Flag(LabTest test, double value, char sex)
    {
        var t = Tests[(int)test];
        var (low, high) = Reference(test, sex);
        if (t.CriticalLow is { } cl && value <= cl)
        {
            return "LL";
        }

        if (t.CriticalHigh is { } ch && value >= ch)
        {
            return "HH";
        }

        return low is { } l && value < l ? "L" : high is { } h && value > h ? "H" : "N";
    }

    /// <summary>Every flag a lab row may carry (A = abnormal non-numeric result, e.g. a positive culture).</summary>
    public static readonly IReadOnlyList<string> Flags = ["N", "L", "H", "LL", "HH", "A"];
}
