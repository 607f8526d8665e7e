using Doppel.Seeding;

namespace Doppel.Packs.Clinical;

/// <summary>
/// Labs: an admission panel and scheduled repeats chosen by the scenario, plus orders triggered by the
/// vital signs (fever with tachycardia ⇒ sepsis screen; low saturations on Scale 1 ⇒ blood gas).
/// Values follow the scenario's presentation back to the patient's baseline (domain-reference §8.3).
/// </summary>
public sealed partial class EncounterPlan
{
    /// <summary>Most lab results one encounter can have.</summary>
    public const int MaxLabs = 256;

    /// <summary>Trigger: the scenario's admission panel.</summary>
    public const string TriggerAdmission = "scenario_admission";

    /// <summary>Trigger: a repeat the scenario schedules (serial troponin, DKA gases, daily bloods).</summary>
    public const string TriggerRepeat = "scenario_repeat";

    /// <summary>Trigger: first observation with temperature &gt; 38.0 °C and heart rate &gt; 90/min ⇒ lactate, WBC, blood culture.</summary>
    public const string TriggerFever = "vitals_fever_tachycardia";

    /// <summary>Trigger: first observation with SpO₂ ≤ 91 % on Scale 1 ⇒ blood gas (pH, bicarbonate) and lactate.</summary>
    public const string TriggerHypoxia = "vitals_hypoxia";

    /// <summary>Every trigger value.</summary>
    public static readonly IReadOnlyList<string> Triggers = [TriggerAdmission, TriggerRepeat, TriggerFever, TriggerHypoxia];

    /// <summary>Tests the sepsis screen orders.</summary>
    public static readonly IReadOnlyList<LabTest> FeverTests = [LabTest.Lactate, LabTest.WhiteCellCount, LabTest.BloodCulture];

    /// <summary>Tests the hypoxia blood gas orders.</summary>
    public static readonly IReadOnlyList<LabTest> HypoxiaTests = [LabTest.PhArterial, LabTest.Bicarbonate, LabTest.Lactate];

    private static readonly string[] Organisms = ["Escherichia coli", "Staphylococcus aureus", "Klebsiella pneumoniae", "Streptococcus pneumoniae", "Enterococcus faecalis", "Pseudomonas aeruginosa"];

    private readonly long[] _lTime = new long[MaxLabs];
    private readonly LabTest[] _lTest = new LabTest[MaxLabs];
    private readonly double[] _lValue = new double[MaxLabs];
    private readonly string[] _lFlag = new string[MaxLabs];
    private readonly string[] _lTrigger = new string[MaxLabs];
    private readonly string?[] _lText = new string?[MaxLabs];
    private ulong _labParamRow;
    private ulong _labNoiseRow;

    public int LabCount { get; private set; }

    /// <summary>Ordinal of the observation that triggered the sepsis screen, or -1.</summary>
    public int FeverTriggerVital { get; private set; }

    /// <summary>Ordinal of the observation that triggered the blood gas, or -1.</summary>
    public int HypoxiaTriggerVital { get; private set; }

    public long LabTime(int j) => _lTime[j];

    public LabTest LabTestOf(int j) => _lTest[j];

    /// <summary>The numeric result, or null for a non-numeric one (blood culture).</summary>
    public double? LabValue(int j) => double.IsNaN(_lValue[j]) ? null : _lValue[j];

    public string LabFlag(int j) => _lFlag[j];

    public string LabTrigger(int j) => _lTrigger[j];

    /// <summary>The text result of a non-numeric test (culture), else null.</summary>
    public string? LabResultText(int j) => _lText[j];

    /// <summary>The first result of <paramref name="test"/> collected at or before <paramref name="time"/>, or -1.</summary>
    public int FirstLab(LabTest test, long time = long.MaxValue)
    {
        for (var j = 0; j < LabCount && _lTime[j] <= time; j++)
        {
            if (_lTest[j] == test)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The last result of <paramref name="test"/> collected at or before <paramref name="time"/>, or -1.</summary>
    public int LastLab(LabTest test, long time = long.MaxValue)
    {
        var found = -1;
        for (var j = 0; j < LabCount && _lTime[j] <= time; j++)
        {
            if (_lTest[j] == test)
            {
                found = j;
            }
        }

        return found;
    }

    /// <summary>The highest result of <paramref name="test"/> collected at or before <paramref name="time"/>, or -1.</summary>
    public int PeakLab(LabTest test, long time = long.MaxValue)
    {
        var found = -1;
        for (var j = 0; j < LabCount && _lTime[j] <= time; j++)
        {
            if (_lTest[j] == test && !double.IsNaN(_lValue[j]) && (found < 0 || _lValue[j] > _lValue[found]))
            {
                found = j;
            }
        }

        return found;
    }

    private void ComputeLabs()
    {
        var model = Model!;
        _labParamRow = SeedTree.Combine(model.LabParamSeed, (ulong)Row);
        _labNoiseRow = SeedTree.Combine(model.LabNoiseSeed, (ulong)Row);
        var rng = SeedTree.Cell(model.LabOrderSeed, Row);
        LabCount = 0;

        // Vitals-driven orders: the first observation meeting each rule.
        FeverTriggerVital = -1;
        HypoxiaTriggerVital = -1;
        for (var k = 0; k < VitalCount; k++)
        {
            if (FeverTriggerVital < 0 && _vTemp[k] > 38.0 && _vHr[k] > 90)
            {
                FeverTriggerVital = k;
            }

            if (HypoxiaTriggerVital < 0 && !Scale2 && _vSpo2[k] <= 91)
            {
                HypoxiaTriggerVital = k;
            }
        }

        var panelTime = Within(_vTime[0] + Minutes(ref rng, 10, 35));
        Span<bool> skip = stackalloc bool[LabCatalog.All.Count];
        if (FeverTriggerVital >= 0)
        {
            var t = Within(_vTime[FeverTriggerVital] + Minutes(ref rng, 10, 30));
            foreach (var test in FeverTests)
            {
                Order(t, test, TriggerFever);
                skip[(int)test] |= FeverTriggerVital == 0;
            }
        }

        if (HypoxiaTriggerVital >= 0)
        {
            var t = Within(_vTime[HypoxiaTriggerVital] + Minutes(ref rng, 5, 20));
            foreach (var test in HypoxiaTests)
            {
                if (!(HypoxiaTriggerVital == FeverTriggerVital && test == LabTest.Lactate))
                {
                    Order(t, test, TriggerHypoxia);
                }

                skip[(int)test] |= HypoxiaTriggerVital == 0;
            }
        }

        // The admission panel leaves out what an arrival-time trigger already sent.
        foreach (var test in AdmissionPanel(Scenario))
        {
            if (!skip[(int)test])
            {
                Order(panelTime, test, TriggerAdmission);
            }
        }

        foreach (var (hours, tests) in Repeats(Scenario))
        {
            var t = panelTime + (long)(hours * EncounterModel.Hour) + Minutes(ref rng, 0, 20);
            if (t > DischargeTime)
            {
                continue;
            }

            foreach (var test in tests)
            {
                Order(t, test, TriggerRepeat);
            }
        }

        SortOrders();
        for (var j = 0; j < LabCount; j++)
        {
            var test = _lTest[j];
            _lText[j] = null;
            if (test == LabTest.BloodCulture)
            {
                var organism = CultureResult(_lTime[j]);
                _lValue[j] = double.NaN;
                _lText[j] = organism ?? "No growth";
                _lFlag[j] = organism is null ? "N" : "A";
                continue;
            }

            _lValue[j] = Measured(test, _lTime[j]);
            _lFlag[j] = LabCatalog.Flag(test, _lValue[j], Sex);
        }
    }

    private long Within(long t) => Math.Clamp(t, AdmitTime, DischargeTime);

    private static long Minutes(ref Rng rng, int min, int max) => rng.NextLong(min * 60, max * 60) * 1_000_000L;

    private void Order(long time, LabTest test, string trigger)
    {
        if (LabCount == MaxLabs)
        {
            return;
        }

        _lTime[LabCount] = time;
        _lTest[LabCount] = test;
        _lTrigger[LabCount] = trigger;
        LabCount++;
    }

    /// <summary>Stable insertion sort by (time, test): a handful of rows per encounter.</summary>
    private void SortOrders()
    {
        for (var i = 1; i < LabCount; i++)
        {
            var (t, test, trig) = (_lTime[i], _lTest[i], _lTrigger[i]);
            var j = i - 1;
            while (j >= 0 && (_lTime[j] > t || (_lTime[j] == t && _lTest[j] > test)))
            {
                _lTime[j + 1] = _lTime[j];
                _lTest[j + 1] = _lTest[j];
                _lTrigger[j + 1] = _lTrigger[j];
                j--;
            }

            _lTime[j + 1] = t;
            _lTest[j + 1] = test;
            _lTrigger[j + 1] = trig;
        }
    }

    private static LabTest[] AdmissionPanel(Scenario s) => s switch
    {
        Scenario.Sepsis => [LabTest.WhiteCellCount, LabTest.Haemoglobin, LabTest.Platelets, LabTest.Sodium, LabTest.Potassium, LabTest.Creatinine, LabTest.CReactiveProtein, LabTest.Procalcitonin, LabTest.Lactate, LabTest.BloodCulture, LabTest.Glucose],
        Scenario.AcuteCoronarySyndrome => [LabTest.TroponinT, LabTest.WhiteCellCount, LabTest.Haemoglobin, LabTest.Platelets, LabTest.Sodium, LabTest.Potassium, LabTest.Creatinine, LabTest.Glucose, LabTest.NtProBnp],
        Scenario.CopdExacerbation => [LabTest.PhArterial, LabTest.Bicarbonate, LabTest.WhiteCellCount, LabTest.Haemoglobin, LabTest.Platelets, LabTest.Sodium, LabTest.Potassium, LabTest.Creatinine, LabTest.CReactiveProtein],
        Scenario.Dka => [LabTest.Glucose, LabTest.BetaHydroxybutyrate, LabTest.PhArterial, LabTest.Bicarbonate, LabTest.Sodium, LabTest.Potassium, LabTest.Chloride, LabTest.AnionGap, LabTest.Creatinine, LabTest.WhiteCellCount],
        Scenario.Stroke => [LabTest.Glucose, LabTest.WhiteCellCount, LabTest.Haemoglobin, LabTest.Platelets, LabTest.Sodium, LabTest.Potassium, LabTest.Creatinine, LabTest.CReactiveProtein],
        _ => [LabTest.WhiteCellCount, LabTest.Haemoglobin, LabTest.Platelets, LabTest.Sodium, LabTest.Potassium, LabTest.Creatinine, LabTest.Glucose],
    };

    private static readonly LabTest[] DkaGas = [LabTest.Glucose, LabTest.BetaHydroxybutyrate, LabTest.PhArterial, LabTest.Bicarbonate, LabTest.Sodium, LabTest.Potassium, LabTest.Chloride, LabTest.AnionGap];
    private static readonly LabTest[] Renal = [LabTest.Sodium, LabTest.Potassium, LabTest.Creatinine];
    private static readonly LabTest[] SepsisDaily = [LabTest.WhiteCellCount, LabTest.Platelets, LabTest.CReactiveProtein, LabTest.Creatinine];

    /// <summary>Scheduled repeats, hours after the admission panel.</summary>
    private static (double Hours, LabTest[] Tests)[] Repeats(Scenario s) => s switch
    {
        Scenario.Sepsis => [(3, [LabTest.Lactate]), (24, SepsisDaily), (48, SepsisDaily), (72, SepsisDaily), (96, SepsisDaily), (120, SepsisDaily)],
        Scenario.AcuteCoronarySyndrome => [(3, [LabTest.TroponinT]), (24, Renal)],
        Scenario.CopdExacerbation => [(2, [LabTest.PhArterial, LabTest.Bicarbonate]), (48, [LabTest.WhiteCellCount, LabTest.CReactiveProtein])],
        Scenario.Dka => [(2, DkaGas), (4, DkaGas), (6, DkaGas), (12, DkaGas), (24, DkaGas)],
        Scenario.Stroke => [(24, Renal)],
        _ => [],
    };

    // ---- values -------------------------------------------------------------------------------

    /// <summary>The reported (noisy, rounded) value of <paramref name="test"/> on a sample taken at <paramref name="time"/>.</summary>
    /// <remarks>Noise is keyed by (encounter, test, time), so the anion gap recomputes exactly the Na, K, Cl and HCO₃ reported beside it.</remarks>
    private double Measured(LabTest test, long time)
    {
        var info = LabCatalog.Of(test);
        if (test == LabTest.AnionGap)
        {
            var gap = Measured(LabTest.Sodium, time) + Measured(LabTest.Potassium, time) - Measured(LabTest.Chloride, time) - Measured(LabTest.Bicarbonate, time);
            return Math.Round(gap, info.Decimals, MidpointRounding.AwayFromZero);
        }

        var h = (time - AdmitTime) / (double)EncounterModel.Hour;
        var rng = SeedTree.Cell(_labNoiseRow, ((long)test << 40) ^ (time / 1_000_000));
        var v = Underlying(test, h);
        v += test switch
        {
            LabTest.PhArterial => 0.01 * rng.NextGaussian(),
            LabTest.Potassium => 0.1 * rng.NextGaussian(),
            LabTest.Sodium or LabTest.Chloride => rng.NextGaussian(),
            LabTest.Bicarbonate => 0.7 * rng.NextGaussian(),
            _ => 0.035 * v * rng.NextGaussian(),
        };
        if (test == LabTest.PhArterial)
        {
            return Math.Round(Math.Clamp(v, 6.8, 7.7), 2, MidpointRounding.AwayFromZero);
        }

        var smallest = Math.Pow(10, -info.Decimals);
        return Math.Max(smallest, Math.Round(v, info.Decimals, MidpointRounding.AwayFromZero));
    }

    /// <summary>The noiseless level of a test <paramref name="hours"/> after admission.</summary>
    private double Underlying(LabTest test, double hours)
    {
        var (a, b, extra) = Levels(test);
        var o = InfectionAt(hours);
        switch (test)
        {
            case LabTest.TroponinT when Scenario == Scenario.AcuteCoronarySyndrome:
                // A rise over the first hours (rise and/or fall above the 99th percentile), a slow fall after a day.
                return a * (1 + (extra * (1 - Math.Exp(-hours / 4)))) * Math.Exp(-Math.Max(0, hours - 24) / 60);
            case LabTest.PhArterial when Scenario is not (Scenario.Dka or Scenario.CopdExacerbation):
                return b - (0.025 * Math.Max(0, Underlying(LabTest.Lactate, hours) - 2)) - (0.04 * o);
            case LabTest.Bicarbonate when Scenario is not (Scenario.Dka or Scenario.CopdExacerbation):
                return b - (1.2 * Math.Max(0, Underlying(LabTest.Lactate, hours) - 2));
            default:
                break;
        }

        var tau = Tau * test switch
        {
            LabTest.Lactate or LabTest.Potassium => 0.5,
            LabTest.Glucose or LabTest.BetaHydroxybutyrate => Scenario == Scenario.Dka ? 0.7 : 1.0,
            LabTest.Bicarbonate when Scenario == Scenario.CopdExacerbation => 20, // chronic metabolic compensation stays
            LabTest.CReactiveProtein or LabTest.Platelets => 2.0,
            LabTest.WhiteCellCount or LabTest.Creatinine or LabTest.Procalcitonin => 1.5,
            _ => 1.0,
        };
        var v = b + ((a - b) * Math.Exp(-hours / tau));
        // A hospital-acquired infection raises inflammatory markers (CRP lags by hours).
        return v + test switch
        {
            LabTest.Lactate => 1.8 * o,
            LabTest.WhiteCellCount => 7 * o,
            LabTest.CReactiveProtein => 140 * InfectionAt(hours - 8),
            LabTest.Procalcitonin => 2 * o,
            LabTest.Creatinine => 25 * o,
            _ => 0,
        };
    }

    /// <summary>(level on arrival, patient's baseline, a test-specific extra) for this encounter: a pure function of (encounter, test).</summary>
    private (double A, double B, double Extra) Levels(LabTest test)
    {
        var rng = SeedTree.Cell(_labParamRow, (long)test);
        var (bLo, bHi) = test switch
        {
            LabTest.Lactate => (0.6, 1.6),
            LabTest.WhiteCellCount => (4.5, 9.5),
            LabTest.Haemoglobin => Sex == 'F' ? (11.8, 14.5) : (13.2, 16.5),
            LabTest.Platelets => (170.0, 360.0),
            LabTest.TroponinT => (3.0, 11.0),
            LabTest.CReactiveProtein => (0.5, 4.0),
            LabTest.Creatinine => Sex == 'F' ? (62.0, 95.0) : (70.0, 110.0),
            LabTest.Sodium => (136.0, 143.0),
            LabTest.Potassium => (3.7, 4.8),
            LabTest.Chloride => (98.0, 104.0),
            LabTest.Bicarbonate => (23.0, 27.0),
            LabTest.Glucose => (4.3, 5.8),
            LabTest.PhArterial => (7.37, 7.43),
            LabTest.BetaHydroxybutyrate => (0.1, 0.4),
            LabTest.Procalcitonin => (0.02, 0.08),
            LabTest.NtProBnp => (30.0, 115.0),
            _ => (0.0, 0.0),
        };
        var b = bLo + ((bHi - bLo) * rng.NextDouble());
        var u = rng.NextDouble();
        var w = Math.Clamp((0.6 * Severity) + (0.4 * rng.NextDouble()), 0, 1);
        var extra = 1 + (3 * rng.NextDouble());
        // (least, most) severe level on arrival, per §8.3; null = this scenario leaves the test normal.
        (double From, double To)? presentation = (Scenario, test) switch
        {
            (Scenario.Sepsis, LabTest.Lactate) => (2.5, 6.0),
            (Scenario.Sepsis, LabTest.WhiteCellCount) => u < 0.15 ? (3.8, 1.5) : (12.0, 25.0),
            (Scenario.Sepsis, LabTest.Platelets) => (140.0, 60.0),
            (Scenario.Sepsis, LabTest.CReactiveProtein) => (100.0, 300.0),
            (Scenario.Sepsis, LabTest.Creatinine) => (130.0, 250.0),
            (Scenario.Sepsis, LabTest.Procalcitonin) => (0.5, 10.0),
            (Scenario.Sepsis, LabTest.Glucose) => (6.5, 9.0),
            (Scenario.AcuteCoronarySyndrome, LabTest.TroponinT) => (20.0, 80.0),
            (Scenario.AcuteCoronarySyndrome, LabTest.Glucose) => (6.5, 9.0),
            (Scenario.AcuteCoronarySyndrome, LabTest.NtProBnp) => (200.0, 3000.0),
            (Scenario.CopdExacerbation, LabTest.PhArterial) => (7.34, 7.25),
            (Scenario.CopdExacerbation, LabTest.Bicarbonate) => (29.0, 34.0),
            (Scenario.CopdExacerbation, LabTest.WhiteCellCount) => (11.5, 16.0),
            (Scenario.CopdExacerbation, LabTest.CReactiveProtein) => (20.0, 120.0),
            (Scenario.Dka, LabTest.Glucose) => (15.0, 35.0),
            (Scenario.Dka, LabTest.BetaHydroxybutyrate) => (3.0, 7.0),
            (Scenario.Dka, LabTest.PhArterial) => (7.25, 7.0),
            (Scenario.Dka, LabTest.Bicarbonate) => (14.0, 5.0),
            (Scenario.Dka, LabTest.Sodium) => (135.0, 128.0),
            (Scenario.Dka, LabTest.Potassium) => (4.5, 6.5),
            (Scenario.Dka, LabTest.Chloride) => (98.0, 108.0),
            (Scenario.Dka, LabTest.Creatinine) => (90.0, 160.0),
            (Scenario.Dka, LabTest.WhiteCellCount) => (12.0, 20.0),
            (Scenario.Dka, LabTest.Lactate) => (1.2, 2.8),
            (Scenario.Stroke, LabTest.Glucose) => (6.0, 10.0),
            _ => null,
        };
        if (presentation is not { } p)
        {
            return (b, b, extra);
        }

        // DKA: potassium falls below its starting level once insulin runs (replacement keeps it 3.6–4.4).
        if (Scenario == Scenario.Dka && test == LabTest.Potassium)
        {
            b = 3.6 + (0.8 * rng.NextDouble());
        }

        return (p.From + ((p.To - p.From) * w), b, extra);
    }

    /// <summary>Blood culture result: an organism for a share of sepsis and hospital-acquired infections, else null (no growth).</summary>
    private string? CultureResult(long time)
    {
        var rng = SeedTree.Cell(_labParamRow, 1000 + (time / 1_000_000));
        var infected = Scenario == Scenario.Sepsis || InfectionAt((time - AdmitTime) / (double)EncounterModel.Hour) > 0.1;
        var positive = infected && rng.NextDouble() < (Scenario == Scenario.Sepsis ? 0.45 : 0.3);
        return positive ? Organisms[rng.NextInt(Organisms.Length)] : null;
    }
}
