using System.Text.Json.Nodes;

namespace Doppel.Packs.Clinical.Tests;

public class ValidateTest
{
    [Fact]
    public void Validate_reports_planted_defects_in_csv_and_jsonl_with_file_line_and_field()
    {
        var root = Harness.TempDir();
        Harness.Run(Harness.Small(root, "2026-03-14")).Code.Should().Be(0);
        var dir = Harness.DayDir(root, "2026-03-14");

        var vitals = File.ReadAllLines(Path.Combine(dir, "vitals.csv"));
        var header = vitals[0].Split(',');
        var row = vitals[5].Split(',');
        row[Array.IndexOf(header, "heart_rate")] = "400";
        vitals[5] = string.Join(',', row);
        row = vitals[7].Split(',');
        row[Array.IndexOf(header, "event_time")] = "2026-01-01T00:00:00Z";
        vitals[7] = string.Join(',', row);
        File.WriteAllText(Path.Combine(dir, "vitals.csv"), string.Join('\n', vitals) + "\n");

        var notes = File.ReadAllLines(Path.Combine(dir, "notes.jsonl"));
        var note = JsonNode.Parse(notes[2])!.AsObject();
        note["encounter_id"] = "E20260314-999999";
        notes[2] = note.ToJsonString();
        note = JsonNode.Parse(notes[3])!.AsObject();
        note["note_time"] = "2030-01-01T00:00:00Z";
        notes[3] = note.ToJsonString();
        File.WriteAllText(Path.Combine(dir, "notes.jsonl"), string.Join('\n', notes) + "\n");

        var (code, output, _) = Harness.Run("validate", dir, "--pack", "clinical");

        code.Should().Be(1);
        output.Should().Contain("vitals.csv:6: vitals.heart_rate: 400 is above the maximum 180")
            .And.Contain("vitals.csv:8: vitals.event_time: 2026-01-01T00:00:00Z is before parent.admit_time")
            .And.Contain("notes.jsonl:3: notes.encounter_id: 'E20260314-999999' has no match in encounters.encounter_id")
            .And.Contain("notes.jsonl:4: notes.note_time: 2030-01-01T00:00:00Z is after parent.discharge_time")
            .And.Contain("FAILED");
    }
}
