using System.Globalization;
using System.Text.RegularExpressions;

namespace Doppel.Packs.Clinical.Tests;

/// <summary>One larger day, generated once and read back with the independent readers.</summary>
public sealed class RealismDay
{
    public RealismDay()
    {
        Root = Harness.TempDir();
        var (code, _, err) = Harness.Run("generate", "clinical", "--out", Root, "--quiet", "--set", "date=2026-03-14", "--set", "encounters_per_day=1500");
        code.Should().Be(0, err);
        Dir = Harness.DayDir(Root, "2026-03-14");
        Patients = Harness.ReadCsv(Path.Combine(Dir, "patients.csv")).ToDictionary(p => p["patient_id"], StringComparer.Ordinal);
        Encounters = Harness.ReadCsv(Path.Combine(Dir, "encounters.csv"));
        Vitals = Harness.ReadCsv(Path.Combine(Dir, "vitals.csv")).GroupBy(v => v["encounter_id"]).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Labs = Harness.ReadCsv(Path.Combine(Dir, "labs.csv")).GroupBy(v => v["encounter_id"]).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        Notes = Harness.ReadJsonl(Path.Combine(Dir, "notes.jsonl")).GroupBy(n => n.GetProperty("encounter_id").GetString()!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public string Root { get; }

    public string Dir { get; }

    public Dictionary<string, Dictionary<string, string>> Patients { get; }

    public List<Dictionary<string, string>> Encounters { get; }

    public Dictionary<string, List<Dictionary<string, string>>> Vitals { get; }

    public Dictionary<string, List<Dictionary<string, string>>> Labs { get; }

    public Dictionary<string, List<System.Text.Json.JsonElement>> Notes { get; }

    public IEnumerable<Dictionary<string, string>> Of(string scenario) => Encounters.Where(e => e["scenario"] == scenario);

    public List<Dictionary<string, string>> VitalsOf(Dictionary<string, string> e) => Vitals[e["encounter_id"]];

    public List<Dictionary<string, string>> LabsOf(Dictionary<string, string> e) => Labs.GetValueOrDefault(e["encounter_id"]) ?? [];
}

public class RealismTest(RealismDay day) : IClassFixture<RealismDay>
{
    private static int I(Dictionary<string, string> r, string c) => int.Parse(r[c], CultureInfo.InvariantCulture);

    private static double D(Dictionary<string, string> r, string c) => Harness.Num(r[c]);

    [Fact]
    public void Every_scenario_occurs_and_the_mix_and_age_adjustment_show()
    {
        var share = day.Encounters.GroupBy(e => e["scenario"]).ToDictionary(g => g.Key, g => g.Count() / (double)day.Encounters.Count);
        share.Keys.Should().BeEquivalentTo(["sepsis", "acute_coronary_syndrome", "copd_exacerbation", "dka", "stroke", "routine"]);
        share.Values.Should().OnlyContain(s => s > 0.03);
        share["routine"].Should().BeInRange(0.25, 0.45, "routine is 35 % of the default mix");

        double MeanAge(string scenario) => day.Of(scenario).Average(e => Age(e));
        MeanAge("dka").Should().BeLessThan(MeanAge("copd_exacerbation") - 10, "DKA is a disease of the young, COPD of the old");
        day.Of("copd_exacerbation").Should().OnlyContain(e => e["spo2_scale"] == "2");
        day.Encounters.Where(e => e["scenario"] != "copd_exacerbation").Should().OnlyContain(e => e["spo2_scale"] == "1");
        day.Of("routine").Should().OnlyContain(e => e["encounter_type"] == "elective" && I(e, "acuity") >= 4);
        day.Encounters.Where(e => e["scenario"] != "routine").Should().OnlyContain(e => e["encounter_type"] == "emergency" && I(e, "acuity") <= 3);
    }

    private int Age(Dictionary<string, string> e)
    {
        var dob = DateOnly.ParseExact(day.Patients[e["patient_id"]]["date_of_birth"], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var on = DateOnly.FromDateTime(Harness.Ts(e["admit_time"]));
        var age = on.Year - dob.Year;
        return on < dob.AddYears(age) ? age - 1 : age;
    }

    [Theory]
    [InlineData("sepsis")]
    [InlineData("acute_coronary_syndrome")]
    [InlineData("copd_exacerbation")]
    [InlineData("dka")]
    [InlineData("stroke")]
    [InlineData("routine")]
    public void Arrival_observations_fall_in_the_scenario_signature_ranges_of_section_8_3(string scenario)
    {
        var arrivals = day.Of(scenario).Select(e => day.VitalsOf(e)[0]).ToList();
        arrivals.Should().NotBeEmpty();
        foreach (var v in arrivals)
        {
            var (hr, rr, sbp, dbp, spo2, temp) = (I(v, "heart_rate"), I(v, "resp_rate"), I(v, "systolic_bp"), I(v, "diastolic_bp"), I(v, "spo2"), D(v, "temperature"));
            var ok = scenario switch
            {
                "sepsis" => rr is >= 22 and <= 30 && hr is >= 100 and <= 130 && sbp is >= 80 and <= 100 && (temp > 38.0 || temp < 36.0) && spo2 is >= 90 and <= 95,
                "acute_coronary_syndrome" => hr is >= 80 and <= 110 && sbp is >= 130 and <= 170 && rr is >= 16 and <= 22 && spo2 is >= 94 and <= 98 && temp is >= 36.0 and <= 37.5,
                "copd_exacerbation" => rr is >= 22 and <= 30 && spo2 is >= 86 and <= 92 && v["on_oxygen"] == "true" && hr is >= 95 and <= 115 && temp is >= 36.5 and <= 38.0,
                "dka" => rr is >= 25 and <= 35 && hr is >= 100 and <= 130 && sbp is >= 90 and <= 115 && spo2 is >= 97 and <= 99 && temp is >= 36.0 and <= 37.5,
                "stroke" => sbp is >= 160 and <= 200 && dbp is >= 90 and <= 110 && hr is >= 60 and <= 100 && rr is >= 14 and <= 20 && spo2 is >= 95 and <= 99 && temp < 38.0,
                _ => hr is >= 50 and <= 100 && rr is >= 12 and <= 20 && spo2 >= 95 && temp is >= 36.1 and <= 38.0 && v["consciousness"] == "A",
            };
            ok.Should().BeTrue($"{scenario} arrival {v["vital_id"]}: HR {hr} RR {rr} BP {sbp}/{dbp} SpO2 {spo2} T {temp}");
            dbp.Should().BeLessThan(sbp - 20, "DBP < SBP − 20 (§8.1)");
        }
    }

    [Fact]
    public void News2_on_every_row_is_the_score_of_that_rows_observations_and_sick_scenarios_score_high_and_recover()
    {
        foreach (var e in day.Encounters)
        {
            foreach (var v in day.VitalsOf(e))
            {
                var s = News2.Score(new News2Observation(I(v, "resp_rate"), I(v, "spo2"), v["on_oxygen"] == "true", I(v, "systolic_bp"), I(v, "heart_rate"), v["consciousness"][0], D(v, "temperature"), e["spo2_scale"] == "2"));
                I(v, "news2").Should().Be(s.Total, v["vital_id"]);
                v["news2_risk"].Should().Be(s.Risk, v["vital_id"]);
            }
        }

        double Arrival(string s) => day.Of(s).Average(e => I(day.VitalsOf(e)[0], "news2"));
        double Last(string s) => day.Of(s).Average(e => I(day.VitalsOf(e)[^1], "news2"));
        Arrival("sepsis").Should().BeGreaterThanOrEqualTo(9, "sepsis arrives with a high NEWS2");
        Arrival("dka").Should().BeGreaterThanOrEqualTo(6);
        Arrival("routine").Should().BeLessThanOrEqualTo(1);
        foreach (var s in new[] { "sepsis", "acute_coronary_syndrome", "copd_exacerbation", "dka" })
        {
            Last(s).Should().BeLessThan(Arrival(s) / 2, $"{s} patients recover before discharge");
        }
    }

    [Fact]
    public void Observations_are_due_sooner_when_news2_is_high_and_sicker_patients_are_observed_more_often()
    {
        foreach (var e in day.Encounters)
        {
            var vs = day.VitalsOf(e);
            for (var k = 1; k < vs.Count; k++)
            {
                var gap = (Harness.Ts(vs[k]["event_time"]) - Harness.Ts(vs[k - 1]["event_time"])).TotalMinutes;
                gap.Should().BePositive();
                var news = I(vs[k - 1], "news2");
                var limit = news >= 7 ? 35 : news >= 5 ? 70 : news >= 1 ? 280 : 830;
                gap.Should().BeLessThanOrEqualTo(limit, $"after NEWS2 {news} ({vs[k - 1]["vital_id"]})");
            }
        }

        // Observation sets in the first 24 hours, by triage acuity.
        double FirstDay(int acuity) => day.Encounters.Where(e => I(e, "acuity") == acuity).Average(e =>
            day.VitalsOf(e).Count(v => Harness.Ts(v["event_time"]) < Harness.Ts(e["admit_time"]).AddHours(24)) / Math.Min(1, (Harness.Ts(e["discharge_time"]) - Harness.Ts(e["admit_time"])).TotalDays));
        FirstDay(1).Should().BeGreaterThan(FirstDay(2));
        FirstDay(2).Should().BeGreaterThan(FirstDay(3));
        FirstDay(3).Should().BeGreaterThan(FirstDay(5));
        FirstDay(1).Should().BeGreaterThan(20, "category 1 patients are on close observation");
        day.Encounters.Should().OnlyContain(e => day.VitalsOf(e).Count >= 1);
    }

    [Fact]
    public void Vital_signs_stay_in_clinical_ranges_with_realistic_spread()
    {
        var all = day.Vitals.Values.SelectMany(v => v).ToList();
        all.Should().OnlyContain(v => I(v, "heart_rate") >= 30 && I(v, "heart_rate") <= 180 && I(v, "spo2") >= 70 && I(v, "spo2") <= 100 && D(v, "temperature") >= 33 && D(v, "temperature") <= 41.5);
        var routine = day.Of("routine").SelectMany(day.VitalsOf).ToList();
        routine.Average(v => I(v, "heart_rate")).Should().BeInRange(64, 80, "§8.1 healthy mean 72");
        routine.Average(v => D(v, "temperature")).Should().BeInRange(36.6, 37.0, "§8.1 healthy mean 36.8");
        routine.Average(v => I(v, "spo2")).Should().BeInRange(96, 99.5);
        all.Select(v => v["temperature"]).Should().OnlyContain(t => !t.Contains('.', StringComparison.Ordinal) || t.Length - t.IndexOf('.', StringComparison.Ordinal) == 2, "temperatures have one decimal");
    }

    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["2524-7"] = "mmol/L", ["6690-2"] = "10*3/uL", ["718-7"] = "g/dL", ["777-3"] = "10*3/uL", ["67151-1"] = "ng/L", ["1988-5"] = "mg/L",
        ["14682-9"] = "umol/L", ["2951-2"] = "mmol/L", ["2823-3"] = "mmol/L", ["2075-0"] = "mmol/L", ["1963-8"] = "mmol/L", ["33037-3"] = "mmol/L",
        ["15074-8"] = "mmol/L", ["2744-1"] = "[pH]", ["53060-9"] = "mmol/L", ["33959-8"] = "ng/mL", ["33762-6"] = "pg/mL", ["600-7"] = string.Empty,
    };

    [Fact]
    public void Labs_carry_section_8_2_loinc_codes_units_reference_ranges_and_consistent_flags()
    {
        var labs = day.Labs.Values.SelectMany(l => l).ToList();
        labs.Should().NotBeEmpty();
        foreach (var l in labs)
        {
            Units.Should().ContainKey(l["loinc_code"]);
            l["unit"].Should().Be(Units[l["loinc_code"]], l["lab_id"]);
            if (l["loinc_code"] == "600-7")
            {
                l["value"].Should().BeEmpty();
                l["result_text"].Should().NotBeEmpty();
                l["flag"].Should().Be(l["result_text"] == "No growth" ? "N" : "A");
                continue;
            }

            var v = D(l, "value");
            var low = l["ref_low"].Length > 0 ? Harness.Num(l["ref_low"]) : double.NegativeInfinity;
            var high = l["ref_high"].Length > 0 ? Harness.Num(l["ref_high"]) : double.PositiveInfinity;
            var flag = l["flag"];
            if (flag == "N")
            {
                v.Should().BeInRange(low, high, l["lab_id"]);
            }
            else
            {
                (flag.StartsWith('L') ? v < low : v > high).Should().BeTrue($"{l["lab_id"]} {l["test_name"]} {v} flagged {flag} against [{low}, {high}]");
            }
        }

        // Haemoglobin intervals depend on sex (§8.2).
        foreach (var e in day.Encounters)
        {
            foreach (var hb in day.LabsOf(e).Where(l => l["loinc_code"] == "718-7"))
            {
                hb["ref_low"].Should().Be(day.Patients[e["patient_id"]]["sex"] == "F" ? "11.5" : "13");
            }
        }
    }

    [Fact]
    public void Fever_with_tachycardia_triggers_lactate_wbc_and_blood_cultures_and_nothing_else_does()
    {
        var triggered = 0;
        foreach (var e in day.Encounters)
        {
            var first = day.VitalsOf(e).FirstOrDefault(v => D(v, "temperature") > 38.0 && I(v, "heart_rate") > 90);
            var screen = day.LabsOf(e).Where(l => l["trigger"] == "vitals_fever_tachycardia").ToList();
            if (first is null)
            {
                screen.Should().BeEmpty($"{e["encounter_id"]} never had fever with tachycardia");
                continue;
            }

            triggered++;
            screen.Select(l => l["loinc_code"]).Should().BeEquivalentTo(["2524-7", "6690-2", "600-7"], e["encounter_id"]);
            var t = Harness.Ts(first["event_time"]);
            screen.Should().OnlyContain(l => Harness.Ts(l["event_time"]) >= t && Harness.Ts(l["event_time"]) <= t.AddMinutes(30), "the screen follows the observation within 30 minutes");
        }

        triggered.Should().BeGreaterThan(day.Of("sepsis").Count() / 2, "most sepsis arrivals are febrile and tachycardic");
        day.Encounters.Where(e => e["scenario"] != "sepsis").Count(e => day.LabsOf(e).Any(l => l["trigger"] == "vitals_fever_tachycardia")).Should().BePositive("hospital-acquired infections trigger screens too");
    }

    [Fact]
    public void Low_saturations_on_scale_1_trigger_a_blood_gas()
    {
        foreach (var e in day.Encounters.Where(e => e["spo2_scale"] == "1"))
        {
            var first = day.VitalsOf(e).FirstOrDefault(v => I(v, "spo2") <= 91);
            var gas = day.LabsOf(e).Where(l => l["trigger"] == "vitals_hypoxia").Select(l => l["loinc_code"]).ToList();
            if (first is null)
            {
                gas.Should().BeEmpty();
            }
            else
            {
                gas.Should().Contain(["2744-1", "1963-8"], e["encounter_id"]);
            }
        }
    }

    [Fact]
    public void Scenario_panels_show_the_scenario_signatures()
    {
        double? Arrival(Dictionary<string, string> e, string loinc) => day.LabsOf(e).FirstOrDefault(l => l["loinc_code"] == loinc) is { } l ? D(l, "value") : null;
        static double Share<T>(IEnumerable<T> xs, Func<T, bool> p) => xs.Count(p) / (double)Math.Max(1, xs.Count());

        var sepsis = day.Of("sepsis").ToList();
        sepsis.Should().OnlyContain(e => day.LabsOf(e).Any(l => l["loinc_code"] == "600-7") && day.LabsOf(e).Any(l => l["loinc_code"] == "33959-8"), "sepsis work-up: cultures and procalcitonin");
        Share(sepsis, e => Arrival(e, "2524-7") > 2.0).Should().BeGreaterThan(0.9, "sepsis lactate > 2 mmol/L (Sepsis-3)");
        Share(sepsis, e => Arrival(e, "1988-5") >= 100).Should().BeGreaterThan(0.8, "CRP 100–300 mg/L");

        var acs = day.Of("acute_coronary_syndrome").ToList();
        foreach (var e in acs)
        {
            var tnt = day.LabsOf(e).Where(l => l["loinc_code"] == "67151-1").Select(l => D(l, "value")).ToList();
            tnt.Should().HaveCountGreaterThanOrEqualTo(2, "serial troponin");
            tnt[0].Should().BeGreaterThan(14, "above the 99th percentile URL");
            tnt[1].Should().BeGreaterThan(tnt[0], "a rise at the repeat");
        }

        var dka = day.Of("dka").ToList();
        Share(dka, e => Arrival(e, "15074-8") > 11.0 && Arrival(e, "53060-9") >= 3.0 && (Arrival(e, "2744-1") < 7.3 || Arrival(e, "1963-8") < 15)).Should().BeGreaterThan(0.95, "JBDS DKA criteria");
        foreach (var e in dka)
        {
            foreach (var gap in day.LabsOf(e).Where(l => l["loinc_code"] == "33037-3"))
            {
                double At(string loinc) => D(day.LabsOf(e).Single(l => l["loinc_code"] == loinc && l["event_time"] == gap["event_time"]), "value");
                D(gap, "value").Should().BeApproximately(At("2951-2") + At("2823-3") - At("2075-0") - At("1963-8"), 0.51, "anion gap = (Na + K) − (Cl + HCO₃)");
            }
        }

        Share(day.Of("copd_exacerbation"), e => Arrival(e, "2744-1") < 7.35).Should().BeGreaterThan(0.9, "acidotic type 2 respiratory failure");
        Share(day.Of("stroke"), e => Arrival(e, "15074-8") is >= 5.5 and <= 10.5).Should().BeGreaterThan(0.9, "glucose checked, 6–10 mmol/L");
        day.Of("routine").SelectMany(day.LabsOf).Should().OnlyContain(l => l["trigger"] != "scenario_repeat");
    }

    private static readonly Regex Number = new(@"(?<![\p{L}\p{N}.])\d+(?:\.\d+)?", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    [Fact]
    public void Every_number_a_note_quotes_occurs_in_that_encounters_vitals_labs_or_the_patients_age()
    {
        var checkedNumbers = 0;
        foreach (var e in day.Encounters)
        {
            var known = new HashSet<double>();
            foreach (var v in day.VitalsOf(e))
            {
                foreach (var c in new[] { "heart_rate", "resp_rate", "systolic_bp", "diastolic_bp", "spo2", "temperature", "news2" })
                {
                    known.Add(Harness.Num(v[c]));
                }
            }

            foreach (var l in day.LabsOf(e).Where(l => l["value"].Length > 0))
            {
                known.Add(Harness.Num(l["value"]));
            }

            known.Add(Age(e));
            var notes = day.Notes[e["encounter_id"]];
            notes.Select(n => n.GetProperty("note_type").GetString()).Should().StartWith("admission").And.EndWith("discharge");
            notes.Count(n => n.GetProperty("note_type").GetString() == "admission").Should().Be(1);
            notes.Count(n => n.GetProperty("note_type").GetString() == "discharge").Should().Be(1);
            foreach (var n in notes)
            {
                var text = n.GetProperty("text").GetString()!;
                foreach (Match m in Number.Matches(text))
                {
                    known.Should().Contain(Harness.Num(m.Value), $"note {n.GetProperty("note_id").GetString()} quotes {m.Value}: {text}");
                    checkedNumbers++;
                }
            }
        }

        checkedNumbers.Should().BeGreaterThan(day.Encounters.Count * 10);
    }

    [Fact]
    public void Notes_quote_the_observation_set_current_at_their_time()
    {
        foreach (var e in day.Encounters.Take(300))
        {
            var vitals = day.VitalsOf(e);
            var admission = day.Notes[e["encounter_id"]][0].GetProperty("text").GetString()!;
            var v0 = vitals[0];
            admission.Should().Contain($"HR {v0["heart_rate"]}/min, BP {v0["systolic_bp"]}/{v0["diastolic_bp"]} mmHg, RR {v0["resp_rate"]}/min, SpO2 {v0["spo2"]}%").And.Contain($"NEWS2 {v0["news2"]} ");
            var discharge = day.Notes[e["encounter_id"]][^1];
            var t = Harness.Ts(discharge.GetProperty("note_time").GetString()!);
            var current = vitals.Last(v => Harness.Ts(v["event_time"]) <= t);
            discharge.GetProperty("text").GetString().Should().Contain($"HR {current["heart_rate"]}/min, BP {current["systolic_bp"]}/{current["diastolic_bp"]} mmHg");
        }

        day.Of("sepsis").Select(e => day.Notes[e["encounter_id"]][0].GetProperty("text").GetString()).Should().OnlyContain(t => t!.Contains("sepsis", StringComparison.Ordinal));
        day.Of("dka").Select(e => day.Notes[e["encounter_id"]][0].GetProperty("text").GetString()).Should().OnlyContain(t => t!.Contains("ketoacidosis", StringComparison.Ordinal));
    }
}
