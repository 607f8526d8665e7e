using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Doppel.Data;
using Doppel.Planning;

namespace Doppel.Validation;

/// <summary>One broken contract: where (file, 1-based line, table, column), which rule, the value.</summary>
public sealed record Violation(string File, long Line, string Table, long Row, string Column, string Rule, string? Value, string Message)
{
    /// <summary>Set when the violation is a labelled injected fault (expected).</summary>
    public string? FaultKind { get; init; }
}

/// <summary>The outcome of <c>doppel validate</c>.</summary>
public sealed record ValidationReport(IReadOnlyList<Violation> Violations, IReadOnlyDictionary<string, long> RowsChecked, int RulesChecked, IReadOnlyList<(string Table, long Row, string Column, string Kind)> UndetectedFaults)
{
    public IEnumerable<Violation> Unexpected => Violations.Where(v => v.FaultKind is null);

    public bool Passed => !Unexpected.Any() && UndetectedFaults.Count == 0;

    public string ToJson()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("passed", Passed);
            w.WriteNumber("rules", RulesChecked);
            w.WriteStartObject("rows");
            foreach (var (t, n) in RowsChecked)
            {
                w.WriteNumber(t, n);
            }

            w.WriteEndObject();
            w.WriteNumber("violations", Unexpected.Count());
            w.WriteNumber("expected_faults_detected", Violations.Count(v => v.FaultKind is not null));
            w.WriteStartArray("details");
            foreach (var v in Violations.Take(10_000))
            {
                w.WriteStartObject();
                w.WriteString("file", v.File);
                w.WriteNumber("line", v.Line);
                w.WriteString("table", v.Table);
                w.WriteNumber("row", v.Row);
                w.WriteString("column", v.Column);
                w.WriteString("rule", v.Rule);
                w.WriteString("value", v.Value);
                w.WriteString("message", v.Message);
                if (v.FaultKind is not null)
                {
                    w.WriteString("expected_fault", v.FaultKind);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("undetected_faults");
            foreach (var f in UndetectedFaults)
            {
                w.WriteStartObject();
                w.WriteString("table", f.Table);
                w.WriteNumber("row", f.Row);
                w.WriteString("column", f.Column);
                w.WriteString("kind", f.Kind);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}

/// <summary>
/// Checks written output against the plan's contracts (declared and implied): types, required,
/// unique, ranges, patterns, allowed values, check digits, foreign keys and time windows. It reads
/// the files independently of the generator, so it also checks data from other tools.
/// </summary>
public static class Validator
{
    public static ValidationReport Validate(string directory, GenerationPlan plan, bool expectFaults = false)
    {
        var files = FindFiles(directory, plan);
        var violations = new List<Violation>();
        var rowsChecked = new Dictionary<string, long>(StringComparer.Ordinal);
        // Key sets for referenced columns, loaded first.
        var keySets = new Dictionary<string, CompactStringSet>(StringComparer.Ordinal);
        var referenced = plan.Tables.SelectMany(t => t.Contracts).Where(c => c.Kind == ContractKind.References).Select(c => c.Arg).Distinct(StringComparer.Ordinal).ToList();
        foreach (var r in referenced)
        {
            var (table, column) = Split(r);
            var set = new CompactStringSet();
            foreach (var (_, _, row, header) in ReadTable(files, table))
            {
                var i = Array.IndexOf(header, column);
                if (i >= 0 && row[i] is { } v)
                {
                    set.Add(v);
                }
            }

            keySets[r] = set;
        }

        var rules = 0;
        foreach (var t in plan.Tables)
        {
            if (!files.TryGetValue(t.Name, out var tableFiles) || tableFiles.Count == 0)
            {
                violations.Add(new Violation(directory, 0, t.Name, -1, string.Empty, "file", null, $"no file found for table '{t.Name}'"));
                continue;
            }

            var parentLink = ParentLink(t);
            Dictionary<string, string?[]>? parentRows = null;
            string[]? parentHeader = null;
            if (parentLink is not null && t.Contracts.Any(c => c.Kind is ContractKind.Within or ContractKind.After && c.Args.Any(a => a.StartsWith("parent.", StringComparison.Ordinal))))
            {
                // Only the parent columns the window checks read are kept (not whole rows): memory per parent row
                // is its key and a few timestamps.
                var needed = t.Contracts.Where(c => c.Kind is ContractKind.Within or ContractKind.After)
                    .SelectMany(c => c.Args).Select(a => a.Trim()).Where(a => a.StartsWith("parent.", StringComparison.Ordinal))
                    .Select(a => a[7..]).Distinct(StringComparer.Ordinal).ToArray();
                parentHeader = needed;
                parentRows = new Dictionary<string, string?[]>(StringComparer.Ordinal);
                string[]? boundParentHeader = null;
                var keyIndex = -1;
                var picks = new int[needed.Length];
                foreach (var (_, _, row, header) in ReadTable(files, t.Parent!.Name))
                {
                    if (!ReferenceEquals(header, boundParentHeader))
                    {
                        boundParentHeader = header;
                        keyIndex = Array.IndexOf(header, parentLink.Value.ParentColumn);
                        for (var j = 0; j < needed.Length; j++)
                        {
                            picks[j] = Array.IndexOf(header, needed[j]);
                        }
                    }

                    if (keyIndex >= 0 && row[keyIndex] is { } k)
                    {
                        var kept = new string?[needed.Length];
                        for (var j = 0; j < needed.Length; j++)
                        {
                            kept[j] = picks[j] >= 0 ? row[picks[j]] : null;
                        }

                        parentRows[k] = kept;
                    }
                }
            }

            var checks = t.Contracts.Select(c => Compile(c, t, keySets)).ToList();
            rules += checks.Count;
            long rowIndex = 0;
            string[]? boundHeader = null;
            var columnIndex = new int[checks.Count];
            var fkIndex = -1;
            foreach (var (file, line, row, header) in ReadTable(files, t.Name))
            {
                if (!ReferenceEquals(header, boundHeader))
                {
                    // Files of a table share their header; look columns up once per header, not per row.
                    boundHeader = header;
                    for (var k = 0; k < checks.Count; k++)
                    {
                        columnIndex[k] = Array.IndexOf(header, checks[k].Rule.Column);
                    }

                    fkIndex = parentLink is { } pl ? Array.IndexOf(header, pl.ChildColumn) : -1;
                }

                string?[]? parent = null;
                if (parentRows is not null && fkIndex >= 0)
                {
                    var fk = row[fkIndex];
                    if (fk is not null)
                    {
                        parentRows.TryGetValue(fk, out parent);
                    }
                }

                for (var k = 0; k < checks.Count; k++)
                {
                    var check = checks[k];
                    var ci = columnIndex[k];
                    if (ci < 0)
                    {
                        if (rowIndex == 0)
                        {
                            violations.Add(new Violation(file, line, t.Name, rowIndex, check.Rule.Column, check.Rule.Kind.ToString().ToLowerInvariant(), null, $"column '{check.Rule.Column}' is missing from the file"));
                        }

                        continue;
                    }

                    var message = check.Test(row[ci], row, header, parent, parentHeader);
                    if (message is not null)
                    {
                        violations.Add(new Violation(file, line, t.Name, rowIndex, check.Rule.Column, check.Rule.Kind.ToString().ToLowerInvariant(), row[ci], message));
                    }
                }

                rowIndex++;
            }

            rowsChecked[t.Name] = rowIndex;
        }

        var undetected = new List<(string, long, string, string)>();
        if (expectFaults)
        {
            var faults = ReadFaults(directory);
            var byCell = new Dictionary<(string, long, string), List<int>>();
            for (var i = 0; i < violations.Count; i++)
            {
                var key = (violations[i].Table, violations[i].Row, violations[i].Column);
                if (!byCell.TryGetValue(key, out var list))
                {
                    list = [];
                    byCell[key] = list;
                }

                list.Add(i);
            }

            foreach (var f in faults)
            {
                if (byCell.TryGetValue((f.Table, f.Row, f.Column), out var list))
                {
                    foreach (var i in list)
                    {
                        violations[i] = violations[i] with { FaultKind = f.Kind };
                    }
                }
                else
                {
                    undetected.Add(f);
                }
            }
        }

        return new ValidationReport(violations, rowsChecked, rules, undetected);
    }

    private static List<(string Table, long Row, string Column, string Kind)> ReadFaults(string directory)
    {
        var list = new List<(string, long, string, string)>();
        foreach (var path in Directory.GetFiles(directory, "faults*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                var r = doc.RootElement;
                list.Add((r.GetProperty("table").GetString()!, r.GetProperty("row").GetInt64(), r.GetProperty("column").GetString()!, r.GetProperty("kind").GetString()!));
            }
        }

        return list;
    }

    /// <summary>The column of a child table that carries its parent's key (an expression <c>parent.key</c>).</summary>
    private static (string ChildColumn, string ParentColumn)? ParentLink(TablePlan t)
    {
        if (t.Parent is null)
        {
            return null;
        }

        foreach (var c in t.Columns.Where(c => !c.Hidden))
        {
            if (c.Source.StartsWith("expr: parent.", StringComparison.Ordinal))
            {
                var pc = c.Source["expr: parent.".Length..].Trim();
                if (t.Parent.IndexOf(pc) >= 0 && !pc.Contains(' ', StringComparison.Ordinal))
                {
                    return (c.Name, pc);
                }
            }
        }

        return null;
    }

    private static (string, string) Split(string tableColumn)
    {
        var i = tableColumn.IndexOf('.', StringComparison.Ordinal);
        return (tableColumn[..i], tableColumn[(i + 1)..]);
    }

    private sealed record Check(ContractRule Rule, Func<string?, string?[], string[], string?[]?, string[]?, string?> Test);

    private static Check Compile(ContractRule rule, TablePlan table, Dictionary<string, CompactStringSet> keySets)
    {
        var col = table.Columns.FirstOrDefault(c => c.Name == rule.Column);
        var type = col?.Type ?? DataType.String;
        switch (rule.Kind)
        {
            case ContractKind.Type:
                return new Check(rule, (v, _, _, _, _) => v is null || Parse(v, type) is not null ? null : $"'{v}' is not a valid {type.Name()}");
            case ContractKind.Required:
                return new Check(rule, (v, _, _, _, _) => v is null ? "required value is missing" : null);
            case ContractKind.Unique:
                {
                    var seen = new CompactStringSet();
                    return new Check(rule, (v, _, _, _, _) => v is null || seen.Add(v) ? null : $"duplicate value '{v}'");
                }

            case ContractKind.Min or ContractKind.Max:
                {
                    var bound = Parse(rule.Arg, type) ?? Parse(rule.Arg, DataType.Float);
                    var isMin = rule.Kind == ContractKind.Min;
                    return new Check(rule, (v, _, _, _, _) =>
                    {
                        if (v is null || bound is null || Parse(v, type) is not { } x)
                        {
                            return null;
                        }

                        var c = x.CompareTo(bound.Value);
                        return isMin ? (c < 0 ? $"{v} is below the minimum {rule.Arg}" : null) : (c > 0 ? $"{v} is above the maximum {rule.Arg}" : null);
                    });
                }

            case ContractKind.Pattern:
                {
                    var re = new Regex(rule.Arg, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    return new Check(rule, (v, _, _, _, _) => v is null || re.IsMatch(v) ? null : $"'{v}' does not match /{rule.Arg}/");
                }

            case ContractKind.Values:
                {
                    var set = rule.Args.ToHashSet(StringComparer.Ordinal);
                    return new Check(rule, (v, _, _, _, _) => v is null || set.Contains(v) ? null : $"'{v}' is not one of the allowed values");
                }

            case ContractKind.Check:
                return new Check(rule, (v, _, _, _, _) => v is null || CheckDigits.IsValid(rule.Arg, v) ? null : $"'{v}' fails the {rule.Arg} check");
            case ContractKind.References:
                {
                    var keys = keySets[rule.Arg];
                    return new Check(rule, (v, _, _, _, _) => v is null || keys.Contains(v) ? null : $"'{v}' has no match in {rule.Arg}");
                }

            case ContractKind.Within or ContractKind.After:
                {
                    var bounds = rule.Args.Select(a => a.Trim()).ToArray();
                    var lower = new BoundColumn(bounds[0]);
                    var upper = new BoundColumn(bounds.Length > 1 ? bounds[1] : bounds[0]);
                    return new Check(rule, (v, row, header, parent, parentHeader) =>
                    {
                        if (v is null || Parse(v, DataType.Timestamp) is not { } x)
                        {
                            return null;
                        }

                        var lo = lower.Value(row, header, parent, parentHeader);
                        if (lo is { } l && x < l)
                        {
                            return $"{v} is before {bounds[0]} ({Show(l)})";
                        }

                        if (rule.Kind == ContractKind.Within && upper.Value(row, header, parent, parentHeader) is { } h && x > h)
                        {
                            return $"{v} is after {bounds[1]} ({Show(h)})";
                        }

                        return null;
                    });
                }

            default:
                return new Check(rule, (_, _, _, _, _) => null);
        }
    }

    private static string Show(double micros) => Formats.TextFormatting.FormatTimestamp((long)micros);

    /// <summary>A time-window bound (<c>col</c> or <c>parent.col</c>) whose column index is looked up once per header.</summary>
    private sealed class BoundColumn(string name)
    {
        private readonly bool _parent = name.StartsWith("parent.", StringComparison.Ordinal);
        private readonly string _column = name.StartsWith("parent.", StringComparison.Ordinal) ? name[7..] : name;
        private string[]? _header;
        private int _index = -1;

        public double? Value(string?[] row, string[] header, string?[]? parent, string[]? parentHeader)
        {
            var (values, names) = _parent ? (parent, parentHeader) : (row, header);
            if (values is null || names is null)
            {
                return null;
            }

            if (!ReferenceEquals(names, _header))
            {
                _header = names;
                _index = Array.IndexOf(names, _column);
            }

            return _index >= 0 && values[_index] is { } v ? Parse(v, DataType.Timestamp) : null;
        }
    }

    /// <summary>Parses a text value as a comparable number (timestamps and dates as µs / days); null if it is not a valid <paramref name="type"/>.</summary>
    private static double? Parse(string v, DataType type)
    {
        switch (type)
        {
            case DataType.Json:
                try
                {
                    using var _ = JsonDocument.Parse(v);
                    return 0;
                }
                catch (JsonException)
                {
                    return null;
                }

            case DataType.Timestamp when !ValueText.TryParse(v, DataType.Timestamp, out _) && ValueText.TryParse(v, DataType.Date, out var day):
                return day.Int * 86_400_000_000.0; // a date where a timestamp is expected means its midnight
            case DataType.String:
                return 0;
        }

        if (!ValueText.TryParse(v, type, out var value))
        {
            return null;
        }

        return type == DataType.Float ? value.Float : value.Int;
    }

    /// <summary>Files per table: from the manifest(s) when present, else from the plan's file names.</summary>
    private static Dictionary<string, List<string>> FindFiles(string directory, GenerationPlan plan)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var manifests = Directory.Exists(directory) ? Directory.GetFiles(directory, "manifest*.json").Order(StringComparer.Ordinal).ToList() : [];
        if (!Directory.Exists(directory))
        {
            throw new DoppelException($"Directory '{directory}' does not exist", ExitCodes.UsageError);
        }

        // Shard manifests sort as manifest.shard-0-of-3 … so files come back in shard order.
        manifests = manifests.OrderBy(m => ShardIndex(m)).ToList();
        foreach (var m in manifests)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(m));
            foreach (var f in doc.RootElement.GetProperty("files").EnumerateArray())
            {
                var table = f.GetProperty("table").GetString()!;
                if (!result.TryGetValue(table, out var list))
                {
                    list = [];
                    result[table] = list;
                }

                list.Add(Path.Combine(directory, f.GetProperty("path").GetString()!));
            }
        }

        if (manifests.Count == 0)
        {
            foreach (var t in plan.Tables)
            {
                foreach (var ext in new[] { ".csv", ".jsonl", ".json", ".csv.gz", ".jsonl.gz", ".json.gz" })
                {
                    var p = Path.Combine(directory, t.FileTemplate + ext);
                    if (File.Exists(p))
                    {
                        result[t.Name] = [p];
                        break;
                    }
                }
            }
        }

        return result;
    }

    private static int ShardIndex(string manifest)
    {
        var m = Regex.Match(Path.GetFileName(manifest), @"shard-(\d+)-of", RegexOptions.None, TimeSpan.FromSeconds(1));
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Streams a table's rows from its files as text fields (null for a null value).</summary>
    private static IEnumerable<(string File, long Line, string?[] Row, string[] Header)> ReadTable(Dictionary<string, List<string>> files, string table)
    {
        if (!files.TryGetValue(table, out var list))
        {
            yield break;
        }

        string[]? header = null;
        foreach (var path in list)
        {
            if (path.EndsWith(".parquet", StringComparison.Ordinal))
            {
                throw new DoppelException($"validate reads CSV, JSONL and JSON; '{path}' is Parquet (validate the CSV output of the same seed)", ExitCodes.UsageError);
            }

            Stream stream = File.OpenRead(path);
            if (path.EndsWith(".gz", StringComparison.Ordinal))
            {
                stream = new GZipStream(stream, CompressionMode.Decompress);
            }

            using var reader = new StreamReader(stream);
            var name = Path.GetFileName(path);
            var core = path.EndsWith(".gz", StringComparison.Ordinal) ? path[..^3] : path;
            if (core.EndsWith(".csv", StringComparison.Ordinal))
            {
                var first = true;
                foreach (var (line, fields, quoted) in SimpleCsv.Read(reader))
                {
                    if (first && (header is null || fields.SequenceEqual(header)))
                    {
                        header = fields;
                        first = false;
                        continue;
                    }

                    first = false;
                    var row = new string?[fields.Length];
                    for (var i = 0; i < fields.Length; i++)
                    {
                        row[i] = fields[i].Length == 0 && !quoted[i] ? null : fields[i];
                    }

                    yield return (name, line, row, header!);
                }
            }
            else
            {
                var lineNo = 0L;
                IEnumerable<JsonElement> Elements()
                {
                    if (core.EndsWith(".jsonl", StringComparison.Ordinal))
                    {
                        string? l;
                        while ((l = reader.ReadLine()) is not null)
                        {
                            lineNo++;
                            if (l.Length > 0)
                            {
                                yield return JsonDocument.Parse(l).RootElement;
                            }
                        }
                    }
                    else
                    {
                        // Stream the array's elements: a large JSON file is never held in memory whole.
                        foreach (var e in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(reader.BaseStream).ToBlockingEnumerable())
                        {
                            lineNo++;
                            yield return e;
                        }
                    }
                }

                foreach (var e in Elements())
                {
                    header ??= e.EnumerateObject().Select(p => p.Name).ToArray();
                    var row = header.Select(h => e.TryGetProperty(h, out var p) ? p.ValueKind switch
                    {
                        JsonValueKind.Null => null,
                        JsonValueKind.String => p.GetString(),
                        JsonValueKind.True => "true",
                        JsonValueKind.False => "false",
                        _ => p.GetRawText(),
                    } : null).ToArray();
                    yield return (name, lineNo, row, header);
                }
            }
        }
    }
}
