using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.Clinical;

/// <summary>The kind of a clinical note.</summary>
public enum NoteType
{
    Admission,
    Progress,
    Discharge,
}

/// <summary>
/// The clinical model of one day: everything about encounter <c>row</c> (scenario, acuity, stay, every
/// vital sign, lab and note) is a pure function of (seed, date, row, patient sex and date of birth).
/// </summary>
/// <remarks>
/// An encounter's rows are computed together as an <see cref="EncounterPlan"/> because they depend on
/// each other (the next observation is due sooner when NEWS2 is high; a fever with tachycardia orders a
/// sepsis screen; a note quotes the latest values). The plan is small (≤ <see cref="MaxVitals"/> vitals)
/// and cached per thread for the encounter being generated, so the child tables (vitals, labs, notes)
/// read it by ordinal without recomputing it and without materialising any table.
/// Ranges are the generator heuristics of domain-reference §8.3 (the §8 "Open points" say they are heuristics).
/// </remarks>
public sealed class EncounterModel
{
    /// <summary>Most observation sets recorded for one encounter (the schedule stops there).</summary>
    public const int MaxVitals = 96;

    /// <summary>Most progress notes (one per ward round) for one encounter.</summary>
    public const int MaxProgressNotes = 14;

    internal const long Minute = 60_000_000L;
    internal const long Hour = 60 * Minute;
    internal const long Day = 24 * Hour;

    [ThreadStatic]
    private static EncounterPlan? t_plan;

    private readonly double[] _mix;

    /// <summary>A model for one batch date.</summary>
    /// <param name="seed">The model's key (from the recipe seed).</param>
    /// <param name="day">The batch date, days since 1970-01-01: every encounter is admitted on it.</param>
    /// <param name="mix">Scenario weights in <see cref="Scenario"/> order.</param>
    /// <param name="complicationRate">Probability that a non-sepsis stay of 2 days or more develops a hospital-acquired infection.</param>
    public EncounterModel(ulong seed, long day, IReadOnlyList<double> mix, double complicationRate)
    {
        Seed = seed;
        DayNumber = day;
        _mix = [.. mix];
        ComplicationRate = complicationRate;
        EncounterSeed = SeedTree.Combine(seed, "encounter");
        VitalSeed = SeedTree.Combine(seed, "vital");
        LabParamSeed = SeedTree.Combine(seed, "lab_param");
        LabNoiseSeed = SeedTree.Combine(seed, "lab_noise");
        LabOrderSeed = SeedTree.Combine(seed, "lab_order");
        NoteSeed = SeedTree.Combine(seed, "note");
    }

    public ulong Seed { get; }

    public long DayNumber { get; }

    public double ComplicationRate { get; }

    public IReadOnlyList<double> Mix => _mix;

    internal ulong EncounterSeed { get; }

    internal ulong VitalSeed { get; }

    internal ulong LabParamSeed { get; }

    internal ulong LabNoiseSeed { get; }

    internal ulong LabOrderSeed { get; }

    internal ulong NoteSeed { get; }

    /// <summary>The plan of encounter <paramref name="row"/> for a patient of <paramref name="sex"/> ('F'/'M') born on <paramref name="dateOfBirth"/>.</summary>
    /// <remarks>The returned object is reused by the next call on this thread: read it, don't keep it.</remarks>
    public EncounterPlan Plan(long row, char sex, long dateOfBirth)
    {
        var p = t_plan;
        if (p is not null && ReferenceEquals(p.Model, this) && p.Row == row && p.Sex == sex && p.DateOfBirth == dateOfBirth)
        {
            return p;
        }

        p ??= new EncounterPlan();
        p.Compute(this, row, sex, dateOfBirth);
        t_plan = p;
        return p;
    }

    /// <summary>A fresh plan that is never reused (tests and tools).</summary>
    public EncounterPlan PlanCopy(long row, char sex, long dateOfBirth)
    {
        var p = new EncounterPlan();
        p.Compute(this, row, sex, dateOfBirth);
        return p;
    }

    internal double MixWeight(Scenario s) => _mix[(int)s];
}

/// <summary>One encounter with all its rows. See <see cref="EncounterModel"/>.</summary>
public sealed partial class EncounterPlan
{
    internal EncounterModel? Model { get; private set; }

    public long Row { get; private set; } = -1;

    public char Sex { get; private set; }

    public long DateOfBirth { get; private set; }

    public int Age { get; private set; }

    public Scenario Scenario { get; private set; }

    /// <summary>Manchester-style triage category: 1 (immediate) … 5 (non-urgent).</summary>
    public int Acuity { get; private set; }

    public bool Emergency => Scenario != Scenario.Routine;

    /// <summary>0 … 1: how unwell the patient is on arrival (drives how deranged the first values are).</summary>
    public double Severity { get; private set; }

    public long AdmitTime { get; private set; }

    public long DischargeTime { get; private set; }

    /// <summary>SpO₂ Scale 2 (COPD with a documented 88–92 % target).</summary>
    public bool Scale2 => Scenario == Scenario.CopdExacerbation;

    /// <summary>Recovery time constant in hours: deranged values relax towards the patient's baseline as exp(−t/τ).</summary>
    public double Tau { get; private set; }

    /// <summary>A hospital-acquired infection starts at <see cref="ComplicationOnsetHours"/> (fever, tachycardia, raised inflammatory markers).</summary>
    public bool Complication { get; private set; }

    public double ComplicationOnsetHours { get; private set; }

    /// <summary>Variant of the presenting complaint / sepsis source, for note wording.</summary>
    internal int Variant { get; private set; }

    public double LengthOfStayHours => (DischargeTime - AdmitTime) / (double)EncounterModel.Hour;

    // ---- computation ------------------------------------------------------------------------

    internal void Compute(EncounterModel model, long row, char sex, long dateOfBirth)
    {
        Model = model;
        Row = row;
        Sex = sex;
        DateOfBirth = dateOfBirth;
        Age = PatientRegistry.AgeOn(dateOfBirth, model.DayNumber);
        var rng = SeedTree.Cell(model.EncounterSeed, row);
        Scenario = PickScenario(model, Age, ref rng);
        Acuity = PickAcuity(Scenario, ref rng);
        Severity = Acuity switch
        {
            1 => 0.75 + (0.25 * rng.NextDouble()),
            2 => 0.45 + (0.35 * rng.NextDouble()),
            3 => 0.25 + (0.25 * rng.NextDouble()),
            4 => 0.05 + (0.15 * rng.NextDouble()),
            _ => 0.1 * rng.NextDouble(),
        };
        Variant = rng.NextInt(1024);
        AdmitTime = (model.DayNumber * EncounterModel.Day) + AdmitSecondOfDay(Emergency, ref rng) * 1_000_000L;
        var (losLo, losHi) = Scenario switch
        {
            Scenario.Sepsis => (72.0, 240.0),
            Scenario.AcuteCoronarySyndrome => (48.0, 120.0),
            Scenario.CopdExacerbation => (72.0, 192.0),
            Scenario.Dka => (36.0, 96.0),
            Scenario.Stroke => (96.0, 336.0),
            _ => (4.0, 30.0),
        };
        var losHours = losLo + ((losHi - losLo) * Math.Clamp((0.5 * Severity) + (0.5 * rng.NextDouble()), 0, 1));
        DischargeTime = AdmitTime + ((long)(losHours * 3600) * 1_000_000L);
        var (tauLo, tauHi) = Scenario switch
        {
            Scenario.Sepsis => (18.0, 36.0),
            Scenario.AcuteCoronarySyndrome => (24.0, 48.0),
            Scenario.CopdExacerbation => (36.0, 72.0),
            Scenario.Dka => (8.0, 16.0),
            Scenario.Stroke => (48.0, 96.0),
            _ => (12.0, 12.0),
        };
        Tau = tauLo + ((tauHi - tauLo) * rng.NextDouble());
        Complication = false;
        ComplicationOnsetHours = double.PositiveInfinity;
        var complicationDraw = rng.NextDouble();
        var onsetDraw = rng.NextDouble();
        if (Scenario != Scenario.Sepsis && losHours >= 48 && complicationDraw < model.ComplicationRate)
        {
            Complication = true;
            ComplicationOnsetHours = 20 + ((losHours - 36) * onsetDraw);
        }

        SetUpVitals(ref rng);
        ComputeVitals();
        ComputeLabs();
        ComputeNotes();
    }

    private static Scenario PickScenario(EncounterModel model, int age, ref Rng rng)
    {
        Span<double> w = stackalloc double[Scenarios.Names.Count];
        var total = 0.0;
        for (var i = 0; i < w.Length; i++)
        {
            w[i] = model.MixWeight((Scenario)i) * Scenarios.AgeFactor((Scenario)i, age);
            total += w[i];
        }

        if (total <= 0)
        {
            // Only age-excluded scenarios have weight: fall back to the mix as given.
            for (var i = 0; i < w.Length; i++)
            {
                w[i] = model.MixWeight((Scenario)i);
                total += w[i];
            }
        }

        var u = rng.NextDouble() * total;
        for (var i = 0; i < w.Length; i++)
        {
            u -= w[i];
            if (u < 0 && w[i] > 0)
            {
                return (Scenario)i;
            }
        }

        for (var i = w.Length - 1; i >= 0; i--)
        {
            if (w[i] > 0)
            {
                return (Scenario)i;
            }
        }

        return Scenario.Routine;
    }

    private static int PickAcuity(Scenario s, ref Rng rng)
    {
        var u = rng.NextDouble();
        return s switch
        {
            Scenario.Sepsis => u < 0.4 ? 1 : 2,
            Scenario.AcuteCoronarySyndrome => u < 0.8 ? 2 : 3,
            Scenario.CopdExacerbation => u < 0.5 ? 2 : 3,
            Scenario.Dka => u < 0.15 ? 1 : u < 0.85 ? 2 : 3,
            Scenario.Stroke => u < 0.3 ? 1 : 2,
            _ => u < 0.4 ? 4 : 5,
        };
    }

    /// <summary>Emergency arrivals follow an ED day (quiet 02:00–07:00, busy late morning to evening); elective ones arrive 07:00–11:00.</summary>
    private static long AdmitSecondOfDay(bool emergency, ref Rng rng)
    {
        ReadOnlySpan<double> ed = [2.2, 1.8, 1.4, 1.2, 1.1, 1.1, 1.4, 2.2, 3.6, 5.0, 5.8, 6.0, 5.8, 5.6, 5.4, 5.3, 5.3, 5.4, 5.2, 4.8, 4.2, 3.6, 3.0, 2.6];
        int hour;
        if (emergency)
        {
            var total = 0.0;
            foreach (var x in ed)
            {
                total += x;
            }

            var u = rng.NextDouble() * total;
            hour = 0;
            while (hour < 23 && (u -= ed[hour]) >= 0)
            {
                hour++;
            }
        }
        else
        {
            hour = 7 + rng.NextInt(4);
        }

        return (hour * 3600L) + rng.NextLong(0, 3599);
    }
}
