using System.Globalization;
using System.Text.Json;
using Microsoft.VisualBasic.FileIO;

namespace Doppel.Packs.Clinical.Tests;

/// <summary>Runs the CLI in process and reads its output with independent readers.</summary>
internal static class Harness
{
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "doppel-clinical-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    public static (int Code, string Out, string Err) Run(params string[] argv)
    {
        var o = new StringWriter(CultureInfo.InvariantCulture);
        var e = new StringWriter(CultureInfo.InvariantCulture);
        var code = Cli.Cli.RunAsync(argv, o, e, new Dictionary<string, string?>(), CancellationToken.None).GetAwaiter().GetResult();
        return (code, o.ToString(), e.ToString());
    }

    /// <summary>Small daily sizes for multi-day tests.</summary>
    public static string[] Small(string root, string date, string mode = "raw") =>
    [
        "generate", "clinical", "--out", root, "--quiet",
        "--set", $"date={date}", "--set", $"mode={mode}",
        "--set", "encounters_per_day=40", "--set", "initial_patients=60", "--set", "new_patients_per_day=7", "--set", "max_total=200",
    ];

    public static string DayDir(string root, string date, string mode = "raw") => Path.Combine(root, "data", mode, date);

    /// <summary>Reads a CSV file with Microsoft.VisualBasic's TextFieldParser (independent of Doppel's writer and validator).</summary>
    public static List<Dictionary<string, string>> ReadCsv(string path)
    {
        using var parser = new TextFieldParser(path) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var header = parser.ReadFields() ?? throw new InvalidDataException($"{path} has no header");
        var rows = new List<Dictionary<string, string>>();
        while (!parser.EndOfData)
        {
            var fields = parser.ReadFields()!;
            fields.Should().HaveCount(header.Length, $"every row of {path} has {header.Length} fields");
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                row[header[i]] = fields[i];
            }

            rows.Add(row);
        }

        return rows;
    }

    public static List<JsonElement> ReadJsonl(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public static DateTime Ts(string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Every file under a folder, relative path → bytes.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string root) =>
        new(Directory.GetFiles(root, "*", System.IO.SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes), StringComparer.Ordinal);
}
