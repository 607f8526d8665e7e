using System.Globalization;
using System.Reflection;

namespace Doppel.Domain;

/// <summary>
/// Reads the tab-separated reference tables embedded from <c>Domain/Data/</c>. Each dataset is read
/// once, by a lazy static in its consumer; nothing here runs on a hot path.
/// </summary>
/// <remarks>Format: UTF-8, one record per line, fields separated by a tab, <c>#</c> starts a comment line, blank lines ignored.</remarks>
internal static class EmbeddedData
{
    private const string Prefix = "Doppel.Domain.Data.";

    /// <summary>The records of an embedded table, as arrays of trimmed fields.</summary>
    public static List<string[]> ReadTable(string fileName, int minFields)
    {
        var assembly = typeof(EmbeddedData).Assembly;
        using var stream = assembly.GetManifestResourceStream(Prefix + fileName)
            ?? throw new InvalidOperationException($"Embedded dataset '{fileName}' is missing from {assembly.GetName().Name}; check <EmbeddedResource Include=\"Domain/Data/**\" /> in Doppel.Core.csproj.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var rows = new List<string[]>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#' || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split('\t');
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = fields[i].Trim();
            }

            if (fields.Length < minFields)
            {
                throw new InvalidOperationException(
                    string.Create(CultureInfo.InvariantCulture, $"{fileName}:{lineNumber}: expected at least {minFields} tab-separated fields, got {fields.Length}."));
            }

            rows.Add(fields);
        }

        return rows;
    }

    /// <summary>Parses a weight column (invariant culture; must be positive).</summary>
    public static double ParseWeight(string text, string fileName)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || !double.IsFinite(value))
        {
            throw new InvalidOperationException($"{fileName}: weight '{text}' is not a positive number.");
        }

        return value;
    }
}
