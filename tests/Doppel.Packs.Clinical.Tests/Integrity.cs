namespace Doppel.Packs.Clinical.Tests;

/// <summary>Joins one day's files with the independent readers and checks keys, foreign keys and time windows.</summary>
internal static class Integrity
{
    public static void Check(string dayDir, string registryPath)
    {
        var patients = Harness.ReadCsv(Path.Combine(dayDir, "patients.csv"));
        var encounters = Harness.ReadCsv(Path.Combine(dayDir, "encounters.csv"));
        var vitals = Harness.ReadCsv(Path.Combine(dayDir, "vitals.csv"));
        var labs = Harness.ReadCsv(Path.Combine(dayDir, "labs.csv"));
        var notes = Harness.ReadJsonl(Path.Combine(dayDir, "notes.jsonl"));

        var patientIds = patients.Select(p => p["patient_id"]).ToList();
        patientIds.Should().OnlyHaveUniqueItems("the snapshot lists each active patient once");
        var byEncounter = encounters.ToDictionary(e => e["encounter_id"], StringComparer.Ordinal);
        byEncounter.Should().HaveCount(encounters.Count, "encounter ids are unique");

        // The snapshot is exactly the patients referenced by the day's encounters.
        encounters.Select(e => e["patient_id"]).ToHashSet().Should().BeEquivalentTo(patientIds.ToHashSet());

        // Every snapshot row is the registry's row for that patient, field for field.
        var registry = Harness.ReadCsv(registryPath).ToDictionary(r => r["patient_id"], StringComparer.Ordinal);
        foreach (var p in patients)
        {
            registry.Should().ContainKey(p["patient_id"]);
            p.Should().Equal(registry[p["patient_id"]]);
        }

        foreach (var e in encounters)
        {
            Harness.Ts(e["discharge_time"]).Should().BeOnOrAfter(Harness.Ts(e["admit_time"]));
        }

        void Child(string table, string id, string encounterId, string patientId, string time)
        {
            byEncounter.Should().ContainKey(encounterId, $"{table} {id} points at an encounter of the day");
            var e = byEncounter[encounterId];
            patientId.Should().Be(e["patient_id"], $"{table} {id} carries its encounter's patient");
            var t = Harness.Ts(time);
            t.Should().BeOnOrAfter(Harness.Ts(e["admit_time"]), $"{table} {id} is inside its encounter").And.BeOnOrBefore(Harness.Ts(e["discharge_time"]), $"{table} {id} is inside its encounter");
        }

        foreach (var v in vitals)
        {
            Child("vitals", v["vital_id"], v["encounter_id"], v["patient_id"], v["event_time"]);
        }

        foreach (var l in labs)
        {
            Child("labs", l["lab_id"], l["encounter_id"], l["patient_id"], l["event_time"]);
        }

        foreach (var n in notes)
        {
            Child("notes", n.GetProperty("note_id").GetString()!, n.GetProperty("encounter_id").GetString()!, n.GetProperty("patient_id").GetString()!, n.GetProperty("note_time").GetString()!);
        }

        vitals.Select(v => v["vital_id"]).Should().OnlyHaveUniqueItems();
        labs.Select(v => v["lab_id"]).Should().OnlyHaveUniqueItems();
        notes.Select(v => v.GetProperty("note_id").GetString()).Should().OnlyHaveUniqueItems();
    }
}
