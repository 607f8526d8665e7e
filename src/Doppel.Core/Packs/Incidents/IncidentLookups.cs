using System.Globalization;
using Doppel.Validation;

namespace Doppel.Packs.Incidents;

/// <summary>A lookup code of the incidents pack: <paramref name="Kind"/> is type, severity, status, source or weather.</summary>
/// <param name="Kind">Which lookup table the code belongs to.</param>
/// <param name="Code">The code written to the generated files (e.g. <c>STRUCTURE_FIRE</c>).</param>
/// <param name="Label">Human-readable label (the PostGIS loader stores it in the lookup table).</param>
/// <param name="Weight">Relative frequency of the code among the codes of its kind.</param>
public sealed record IncidentLookup(string Kind, string Code, string Label, double Weight);

/// <summary>
/// The lookup table of the incidents pack: <c>kind,code,label[,weight]</c> CSV. The built-in table
/// (<c>Packs/Incidents/Data/lookups.csv</c>) is the same file the PostgreSQL incidents load plan ships, so
/// generated codes always resolve; a user's file replaces it (<c>--set lookups=path</c>).
/// </summary>
/// <remarks>
/// The weight column is optional: without it every code of a kind is equally likely. Every kind must have
/// at least one code with a positive weight. Errors name the file and line and are meant to be shown as is.
/// </remarks>
public static class IncidentLookups
{
    /// <summary>The kinds, in the order of the incidents columns that use them.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["type", "severity", "status", "source", "weather"];

    /// <summary>How the built-in table is named in messages.</summary>
    public const string BuiltInSource = "lookups.csv (built in)";

    private const string ResourceSuffix = ".Packs.Incidents.Data.lookups.csv";

    private static readonly Lazy<IReadOnlyList<IncidentLookup>> BuiltInRows = new(() => Parse(new StringReader(BuiltInText), BuiltInSource));

    /// <summary>The text of the built-in table.</summary>
    public static string BuiltInText
    {
        get
        {
            var assembly = typeof(IncidentLookups).Assembly;
            var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith(ResourceSuffix, StringComparison.Ordinal))
                ?? throw new InvalidOperationException("The incidents pack's lookups.csv is not embedded; check Packs/*/Data/** in Doppel.Core.csproj.");
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }

    /// <summary>The built-in codes.</summary>
    public static IReadOnlyList<IncidentLookup> BuiltIn => BuiltInRows.Value;

    /// <summary>The codes of <paramref name="path"/>, or the built-in table when it is null or empty.</summary>
    /// <exception cref="DoppelException">The file cannot be read or is malformed (message names file and line).</exception>
    public static IReadOnlyList<IncidentLookup> Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return BuiltIn;
        }

        try
        {
            using var reader = new StreamReader(path, System.Text.Encoding.UTF8);
            return Parse(reader, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DoppelException($"cannot read the lookups file '{path}': {e.Message}", ExitCodes.UsageError);
        }
    }

    /// <summary>Parses <c>kind,code,label[,weight]</c> CSV (RFC 4180 quoting).</summary>
    /// <exception cref="DoppelException">With <c>source:line:</c> and what is wrong.</exception>
    public static IReadOnlyList<IncidentLookup> Parse(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<IncidentLookup>();
        var seen = new HashSet<(string, string)>();
        var hasWeight = false;
        var first = true;
        foreach (var (line, raw, _) in SimpleCsv.Read(reader))
        {
            var fields = raw.Select(f => f?.Trim() ?? string.Empty).ToArray();
            if (first)
            {
                first = false;
                fields[0] = fields[0].TrimStart('\uFEFF');
                var header = string.Join(',', fields);
                hasWeight = header == "kind,code,label,weight";
                if (!hasWeight && header != "kind,code,label")
                {
                    throw Bad(source, line, $"expected the header 'kind,code,label' or 'kind,code,label,weight', found '{header}'");
                }

                continue;
            }

            if (fields.Length == 1 && fields[0].Length == 0)
            {
                continue; // a blank line
            }

            var expected = hasWeight ? 4 : 3;
            if (fields.Length != expected)
            {
                throw Bad(source, line, $"expected {expected} fields ({(hasWeight ? "kind,code,label,weight" : "kind,code,label")}), found {fields.Length}");
            }

            var (kind, code, label) = (fields[0], fields[1], fields[2]);
            if (!Kinds.Contains(kind))
            {
                throw Bad(source, line, $"unknown kind '{kind}'; expected one of {string.Join(", ", Kinds)}");
            }

            if (code.Length == 0)
            {
                throw Bad(source, line, "empty code");
            }

            if (!seen.Add((kind, code)))
            {
                throw Bad(source, line, $"duplicate {kind} code '{code}'");
            }

            var weight = 1.0;
            if (hasWeight && (!double.TryParse(fields[3], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !double.IsFinite(weight) || weight < 0))
            {
                throw Bad(source, line, $"weight '{fields[3]}' is not a number ≥ 0");
            }

            rows.Add(new IncidentLookup(kind, code, label.Length == 0 ? code : label, weight));
        }

        if (first)
        {
            throw Bad(source, 1, "the file is empty; expected the header 'kind,code,label' or 'kind,code,label,weight'");
        }

        foreach (var kind in Kinds)
        {
            if (!rows.Exists(r => r.Kind == kind && r.Weight > 0))
            {
                throw new DoppelException($"{source}: no '{kind}' code with a weight > 0; the file needs codes of every kind ({string.Join(", ", Kinds)})", ExitCodes.UsageError);
            }
        }

        return rows;
    }

    private static DoppelException Bad(string source, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}:{line}: {message}"), ExitCodes.UsageError);
}
