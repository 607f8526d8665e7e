using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Doppel.Seeding;

namespace Doppel.Packs.Clinical;

/// <summary>
/// Notes: an admission note, a ward-round progress note per day and a discharge summary. Every number a
/// note quotes is read from this encounter's own vitals and labs (or the patient's age), collected at or
/// before the note's time, and formatted exactly as the CSV files write it.
/// </summary>
public sealed partial class EncounterPlan
{
    /// <summary>Most notes per encounter: admission, progress notes, discharge.</summary>
    public const int MaxNotes = EncounterModel.MaxProgressNotes + 2;

    /// <summary>Room for one note's text.</summary>
    public const int MaxNoteLength = 2048;

    private readonly long[] _nTime = new long[MaxNotes];
    private readonly NoteType[] _nType = new NoteType[MaxNotes];

    public int NoteCount { get; private set; }

    public long NoteTime(int j) => _nTime[j];

    public NoteType NoteTypeOf(int j) => _nType[j];

    public static string NoteTypeName(NoteType t) => t switch
    {
        NoteType.Admission => "admission",
        NoteType.Progress => "progress",
        _ => "discharge",
    };

    private void ComputeNotes()
    {
        var rng = SeedTree.Cell(Model!.NoteSeed, Row);
        NoteCount = 0;
        var firstResult = LabCount > 0 ? _lTime[0] : _vTime[0];
        var admission = Within(Math.Max(_vTime[0], firstResult) + Minutes(ref rng, 30, 90));
        AddNote(admission, NoteType.Admission);
        var dayStart = Math.DivRem(AdmitTime, EncounterModel.Day, out _) * EncounterModel.Day;
        for (var d = 1; NoteCount - 1 < EncounterModel.MaxProgressNotes; d++)
        {
            var round = dayStart + (d * EncounterModel.Day) + (9 * EncounterModel.Hour) + Minutes(ref rng, 0, 120);
            if (round > DischargeTime - (2 * EncounterModel.Hour))
            {
                break;
            }

            if (round >= admission + (6 * EncounterModel.Hour))
            {
                AddNote(round, NoteType.Progress);
            }
        }

        var discharge = Math.Max(DischargeTime - Minutes(ref rng, 10, 60), _nTime[NoteCount - 1]);
        AddNote(discharge, NoteType.Discharge);
    }

    private void AddNote(long time, NoteType type)
    {
        _nTime[NoteCount] = time;
        _nType[NoteCount] = type;
        NoteCount++;
    }

    /// <summary>Writes note <paramref name="j"/>'s text into <paramref name="dest"/> (at least <see cref="MaxNoteLength"/> chars); returns its length.</summary>
    public int WriteNote(int j, Span<char> dest)
    {
        var rng = SeedTree.Cell(SeedTree.Combine(Model!.NoteSeed, (ulong)Row), j);
        var w = new TextBuilder(dest);
        var time = _nTime[j];
        var k = Math.Max(0, LastVitalAtOrBefore(time));
        switch (_nType[j])
        {
            case NoteType.Admission:
                w.Append(Age).Append("-year-old ").Append(Sex == 'F' ? "woman" : "man");
                w.Append(Emergency ? " presenting to the emergency department with " : " admitted electively for ").Append(Complaint(ref rng)).Append(". ");
                w.Append("On arrival: ");
                Observations(ref w, 0);
                w.Append(". NEWS2 ").Append(_vNews[0]).Append(" (").Append(_vRisk[0]).Append(" risk). ");
                AdmissionBloods(ref w, time);
                w.Append("Impression: ").Append(Impression()).Append(". Plan: ").Append(AdmissionPlan()).Append('.');
                break;
            case NoteType.Progress:
                var trend = _vNews[k] < _vNews[0] - 1 ? "Improving" : _vNews[k] > _vNews[0] + 1 ? "Deteriorating" : "Stable";
                w.Append("Ward round review. ").Append(trend).Append(". Latest observations: ");
                Observations(ref w, k);
                w.Append("; NEWS2 ").Append(_vNews[k]).Append(_vNews[k] < _vNews[0] ? ", down from " : _vNews[k] > _vNews[0] ? ", up from " : ", as on arrival: ").Append(_vNews[0]).Append(". ");
                LabTrend(ref w, time);
                var infection = FeverTriggerVital > 0 && Complication && _vTime[FeverTriggerVital] <= time;
                if (infection)
                {
                    InfectionSentence(ref w, time);
                }

                w.Append("Plan: ").Append(infection ? "treat hospital-acquired infection with antibiotics, review cultures" : ProgressPlan(ref rng)).Append('.');
                break;
            default:
                w.Append("Discharge summary. Admitted with ").Append(Impression()).Append(". ");
                Course(ref w, time);
                if (Complication && FeverTriggerVital > 0 && _vTime[FeverTriggerVital] <= time)
                {
                    w.Append("Stay complicated by a hospital-acquired infection");
                    var culture = LastLab(LabTest.BloodCulture, time);
                    if (culture >= 0 && _lFlag[culture] == "A")
                    {
                        w.Append(" (blood cultures grew ").Append(_lText[culture]!).Append(')');
                    }

                    w.Append(", treated with antibiotics. ");
                }

                w.Append("Observations at discharge: ");
                Observations(ref w, k);
                w.Append("; NEWS2 ").Append(_vNews[k]).Append(". ").Append(Disposition(ref rng)).Append('.');
                break;
        }

        return w.Length;
    }

    private void Observations(ref TextBuilder w, int k)
    {
        w.Append("HR ").Append(_vHr[k]).Append("/min, BP ").Append(_vSbp[k]).Append('/').Append(_vDbp[k]).Append(" mmHg, RR ").Append(_vRr[k]);
        w.Append("/min, SpO2 ").Append(_vSpo2[k]).Append(_vO2[k] ? "% on oxygen, temperature " : "% on air, temperature ").Append(_vTemp[k]).Append(" °C, ");
        w.Append(_vAcvpu[k] switch
        {
            'A' => "alert",
            'C' => "new confusion",
            'V' => "responds to voice",
            'P' => "responds to pain",
            _ => "unresponsive",
        });
    }

    private static readonly LabTest[] SepsisKeys = [LabTest.Lactate, LabTest.WhiteCellCount, LabTest.CReactiveProtein, LabTest.Creatinine, LabTest.Platelets];
    private static readonly LabTest[] AcsKeys = [LabTest.TroponinT, LabTest.Potassium, LabTest.Glucose];
    private static readonly LabTest[] CopdKeys = [LabTest.PhArterial, LabTest.Bicarbonate, LabTest.WhiteCellCount, LabTest.CReactiveProtein];
    private static readonly LabTest[] DkaKeys = [LabTest.Glucose, LabTest.BetaHydroxybutyrate, LabTest.PhArterial, LabTest.Bicarbonate, LabTest.Potassium, LabTest.AnionGap];
    private static readonly LabTest[] StrokeKeys = [LabTest.Glucose, LabTest.Sodium];
    private static readonly LabTest[] RoutineKeys = [LabTest.Haemoglobin, LabTest.Creatinine];

    private LabTest[] KeyTests => Scenario switch
    {
        Scenario.Sepsis => SepsisKeys,
        Scenario.AcuteCoronarySyndrome => AcsKeys,
        Scenario.CopdExacerbation => CopdKeys,
        Scenario.Dka => DkaKeys,
        Scenario.Stroke => StrokeKeys,
        _ => RoutineKeys,
    };

    private void AdmissionBloods(ref TextBuilder w, long time)
    {
        var any = false;
        foreach (var test in KeyTests)
        {
            var j = FirstLab(test, time);
            if (j < 0)
            {
                continue;
            }

            w.Append(any ? ", " : Scenario == Scenario.Routine ? "Pre-admission bloods: " : "Initial bloods: ");
            LabPhrase(ref w, j);
            any = true;
        }

        w.Append(any ? ". " : "Bloods sent. ");
    }

    private void LabPhrase(ref TextBuilder w, int j)
    {
        w.Append(NoteName(_lTest[j])).Append(' ').Append(_lValue[j]);
        if (NoteUnit(_lTest[j]) is { } unit)
        {
            w.Append(' ').Append(unit);
        }
    }

    /// <summary>The test whose course a ward round reports (one that is repeated during the stay).</summary>
    private LabTest? TrendTest => Scenario switch
    {
        Scenario.Sepsis => LabTest.CReactiveProtein,
        Scenario.AcuteCoronarySyndrome => LabTest.TroponinT,
        Scenario.CopdExacerbation => LabTest.PhArterial,
        Scenario.Dka => LabTest.BetaHydroxybutyrate,
        Scenario.Stroke => LabTest.Creatinine,
        _ => null,
    };

    private void LabTrend(ref TextBuilder w, long time)
    {
        if (TrendTest is not { } test)
        {
            return;
        }

        var first = FirstLab(test, time);
        var last = LastLab(test, time);
        if (first < 0 || last == first)
        {
            return;
        }

        w.Append("Trend: ").Append(NoteName(test)).Append(' ').Append(_lValue[first]).Append(" on admission, latest ").Append(_lValue[last]);
        if (NoteUnit(test) is { } unit)
        {
            w.Append(' ').Append(unit);
        }

        w.Append(". ");
    }

    private void InfectionSentence(ref TextBuilder w, long time)
    {
        var k = FeverTriggerVital;
        w.Append("New fever of ").Append(_vTemp[k]).Append(" °C with HR ").Append(_vHr[k]).Append("/min; sepsis screen sent");
        var lactate = LastLab(LabTest.Lactate, time);
        if (lactate >= 0 && _lTrigger[lactate] == TriggerFever)
        {
            w.Append(" (");
            LabPhrase(ref w, lactate);
            var wbc = LastLab(LabTest.WhiteCellCount, time);
            if (wbc >= 0 && _lTrigger[wbc] == TriggerFever)
            {
                w.Append(", ");
                LabPhrase(ref w, wbc);
            }

            w.Append(')');
        }

        w.Append(". ");
    }

    private void Course(ref TextBuilder w, long time)
    {
        switch (Scenario)
        {
            case Scenario.Sepsis:
                Trend(ref w, "Course: ", LabTest.Lactate, time, peak: true);
                break;
            case Scenario.AcuteCoronarySyndrome:
                Trend(ref w, "Course: ", LabTest.TroponinT, time, peak: true);
                break;
            case Scenario.CopdExacerbation:
                Trend(ref w, "Course: ", LabTest.PhArterial, time, peak: false);
                break;
            case Scenario.Dka:
                Trend(ref w, "Course: ", LabTest.BetaHydroxybutyrate, time, peak: false);
                Trend(ref w, string.Empty, LabTest.PhArterial, time, peak: false);
                break;
            case Scenario.Stroke:
                w.Append("Managed on the stroke unit. ");
                Trend(ref w, "Admission ", LabTest.Glucose, time, peak: false);
                break;
            default:
                w.Append("Procedure completed without complication. ");
                break;
        }
    }

    /// <summary>"Lactate peaked at x and was y at last check" / "pH x on admission, y at last check".</summary>
    private void Trend(ref TextBuilder w, string lead, LabTest test, long time, bool peak)
    {
        var first = FirstLab(test, time);
        if (first < 0)
        {
            return;
        }

        var last = LastLab(test, time);
        var top = peak ? PeakLab(test, time) : first;
        var unit = NoteUnit(test);
        w.Append(lead).Append(NoteName(test)).Append(peak ? " peaked at " : " ").Append(_lValue[top]);
        if (unit is not null)
        {
            w.Append(' ').Append(unit);
        }

        if (last != top)
        {
            w.Append(peak ? " and was " : " on admission, ").Append(_lValue[last]);
            if (unit is not null)
            {
                w.Append(' ').Append(unit);
            }

            w.Append(" at last check");
        }
        else if (!peak)
        {
            w.Append(" on admission");
        }

        w.Append(". ");
    }

    private static string NoteName(LabTest t) => t switch
    {
        LabTest.Lactate => "lactate",
        LabTest.WhiteCellCount => "WBC",
        LabTest.Haemoglobin => "Hb",
        LabTest.Platelets => "platelets",
        LabTest.TroponinT => "hs-troponin T",
        LabTest.CReactiveProtein => "CRP",
        LabTest.Creatinine => "creatinine",
        LabTest.Sodium => "sodium",
        LabTest.Potassium => "potassium",
        LabTest.Chloride => "chloride",
        LabTest.Bicarbonate => "bicarbonate",
        LabTest.AnionGap => "anion gap",
        LabTest.Glucose => "glucose",
        LabTest.PhArterial => "pH",
        LabTest.BetaHydroxybutyrate => "ketones",
        LabTest.Procalcitonin => "procalcitonin",
        LabTest.NtProBnp => "NT-proBNP",
        _ => "blood culture",
    };

    /// <summary>Units as prose writes them (no digits, so a note's only numbers are quoted values).</summary>
    private static string? NoteUnit(LabTest t) => t switch
    {
        LabTest.WhiteCellCount or LabTest.Platelets or LabTest.PhArterial or LabTest.BloodCulture => null,
        LabTest.Creatinine => "umol/L",
        _ => LabCatalog.Of(t).Unit,
    };

    private string Complaint(ref Rng rng)
    {
        var v = rng.NextInt(3);
        return Scenario switch
        {
            Scenario.Sepsis => v switch { 0 => "fever, rigors and confusion", 1 => "fever and a productive cough", _ => "dysuria, fever and rigors" },
            Scenario.AcuteCoronarySyndrome => v switch { 0 => "central chest pain radiating to the left arm", 1 => "crushing chest pain with sweating", _ => "chest tightness and breathlessness at rest" },
            Scenario.CopdExacerbation => v switch { 0 => "increasing breathlessness and purulent sputum", 1 => "worsening shortness of breath and wheeze", _ => "breathlessness and a cough on a background of COPD" },
            Scenario.Dka => v switch { 0 => "vomiting, abdominal pain and polyuria", 1 => "drowsiness and vomiting on a background of insulin-dependent diabetes", _ => "thirst, polyuria and rapid breathing" },
            Scenario.Stroke => v switch { 0 => "sudden left-sided weakness and slurred speech", 1 => "acute right-sided weakness and expressive dysphasia", _ => "sudden facial droop and arm weakness" },
            _ => v switch { 0 => "a planned procedure", 1 => "a scheduled day-case procedure", _ => "planned investigation and treatment" },
        };
    }

    private string Impression() => Scenario switch
    {
        Scenario.Sepsis => (Variant % 3) switch { 0 => "sepsis, chest source", 1 => "sepsis, urinary source", _ => "sepsis, source unclear" },
        Scenario.AcuteCoronarySyndrome => "acute coronary syndrome (NSTEMI suspected)",
        Scenario.CopdExacerbation => "infective exacerbation of COPD with hypercapnic respiratory failure",
        Scenario.Dka => "diabetic ketoacidosis",
        Scenario.Stroke => "acute ischaemic stroke",
        _ => "elective admission, clinically stable",
    };

    private string AdmissionPlan() => Scenario switch
    {
        Scenario.Sepsis => "sepsis six within the hour: cultures, IV antibiotics, IV fluids, oxygen, lactate and urine output",
        Scenario.AcuteCoronarySyndrome => "aspirin, anticoagulation, serial troponin and cardiology review",
        Scenario.CopdExacerbation => "controlled oxygen to target saturations, nebulisers, steroids and antibiotics; consider NIV if acidosis worsens",
        Scenario.Dka => "fixed-rate insulin infusion, IV fluids, hourly capillary glucose and ketones, potassium replacement",
        Scenario.Stroke => "urgent CT head, stroke team review, swallow screen before oral intake",
        _ => "proceed as planned",
    };

    private string ProgressPlan(ref Rng rng) => Scenario switch
    {
        Scenario.Sepsis => "continue IV antibiotics, review cultures, monitor fluid balance",
        Scenario.AcuteCoronarySyndrome => rng.NextBool(0.5) ? "dual antiplatelet therapy, await angiography" : "continue secondary prevention, echo requested",
        Scenario.CopdExacerbation => "wean oxygen, continue steroids and nebulisers",
        Scenario.Dka => "continue insulin infusion until ketones clear, then subcutaneous insulin",
        Scenario.Stroke => "stroke unit care, physiotherapy and speech and language therapy",
        _ => "mobilise, plan discharge",
    };

    private string Disposition(ref Rng rng) => Scenario switch
    {
        Scenario.Stroke when rng.NextBool(0.5) => "Discharged to stroke rehabilitation",
        Scenario.Routine => "Discharged home",
        _ => "Discharged home with GP follow-up",
    };

    /// <summary>Appends text and numbers (invariant, round-trip) into a span without allocating.</summary>
    private ref struct TextBuilder
    {
        private readonly Span<char> _dest;
        private int _n;

        public TextBuilder(Span<char> dest) => _dest = dest;

        public readonly int Length => _n;

        [UnscopedRef]
        public ref TextBuilder Append(ReadOnlySpan<char> s)
        {
            var take = Math.Min(s.Length, _dest.Length - _n);
            s[..take].CopyTo(_dest[_n..]);
            _n += take;
            return ref this;
        }

        [UnscopedRef]
        public ref TextBuilder Append(string s) => ref Append(s.AsSpan());

        [UnscopedRef]
        public ref TextBuilder Append(char c)
        {
            if (_n < _dest.Length)
            {
                _dest[_n++] = c;
            }

            return ref this;
        }

        [UnscopedRef]
        public ref TextBuilder Append(int v)
        {
            v.TryFormat(_dest[_n..], out var written, default, CultureInfo.InvariantCulture);
            _n += written;
            return ref this;
        }

        /// <summary>Same text as the CSV writer gives a float ("R", invariant).</summary>
        [UnscopedRef]
        public ref TextBuilder Append(double v)
        {
            v.TryFormat(_dest[_n..], out var written, "R", CultureInfo.InvariantCulture);
            _n += written;
            return ref this;
        }
    }
}
