namespace Doppel.Core.Tests;

internal static class TestRecipes
{
    public const string Clinic = """
        doppel: 1
        name: clinic
        params:
          patients: { type: int, default: 300 }
        tables:
          patients:
            rows: ${patients}
            columns:
              patient_id: "'P' + pad(row + 1, 6)"
              sex: { gen: choice, values: { F: 51, M: 49 } }
              first_name: { gen: first_name, sex: sex }
              nhs_number: { gen: nhs_number, unique: true, invalid: { rate: 0.05, kinds: [bad_checksum, wrong_length] } }
              postcode: { gen: postcode }
              note: { gen: choice, values: ['plain', 'has,comma', 'has "quote"', "two\nlines", ''] }
          encounters:
            parent: patients
            per_parent: { dist: poisson, mean: 2 }
            columns:
              encounter_id: { gen: sequence }
              patient_id: parent.patient_id
              admit_time: { gen: timestamp, min: 2026-03-14, max: 2026-03-15 }
              discharge_time: { gen: offset, from: admit_time, min: 1h, max: 3d }
              status: { gen: choice, values: { OPEN: 1, CLOSED: 3 } }
              closed_at: { gen: offset, from: discharge_time, max: 1h, null_when: "status == 'OPEN'" }
          vitals:
            parent: encounters
            per_parent: { expr: "diff_hours(parent.discharge_time, parent.admit_time) / 6", max: 40 }
            columns:
              encounter_id: parent.encounter_id
              event_time: { gen: timestamp, between: [parent.admit_time, parent.discharge_time] }
              heart_rate: { gen: int, dist: normal, mean: 80, stddev: 12, min: 30, max: 200 }
        """;

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "doppel-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
