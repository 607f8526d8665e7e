using System.Globalization;
using Doppel.Data;
using Doppel.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Doppel.Recipes;

/// <summary>Reads recipe YAML into a <see cref="RecipeDocument"/>, reporting every problem with file:line:column.</summary>
public static class RecipeParser
{
    internal static readonly string[] TopKeys = ["doppel", "name", "description", "seed", "params", "checks", "tables", "output"];

    internal static readonly string[] CheckKeys = ["expr", "message"];
    internal static readonly string[] ParamKeys = ["type", "default", "description", "values", "min", "max", "env", "flag"];
    internal static readonly string[] TableKeys = ["rows", "parent", "per_parent", "file", "file_per_parent", "checksum_file", "enabled", "description", "columns", "format"];
    internal static readonly string[] ColumnKeys = ["gen", "expr", "type", "null_rate", "null_when", "invalid", "contract", "hidden", "description"];
    internal static readonly string[] ContractKeys = ["required", "unique", "min", "max", "pattern", "references", "within", "after", "check", "values"];
    internal static readonly string[] OutputKeys = ["format", "checksums", "gzip"];
    internal static readonly string[] CountKeys = ["dist", "value", "min", "max", "mean", "expr", "p"];

    public static RecipeDocument ParseFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DoppelException($"Cannot read recipe '{path}': {e.Message}", ExitCodes.UsageError);
        }

        return Parse(text, path);
    }

    /// <summary>Parses recipe text; <paramref name="file"/> names it in diagnostics.</summary>
    public static RecipeDocument Parse(string text, string file)
    {
        var bag = new DiagnosticBag();
        var doc = new Reader(file, bag).Read(text);
        bag.ThrowIfAny(text);
        return doc!;
    }

    internal static SourceSpan SpanOf(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    private sealed class Reader(string file, DiagnosticBag bag)
    {
        private SourceSpan At(YamlNode node) => SpanOf(file, node);

        public RecipeDocument? Read(string text)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                bag.Error(new SourceSpan(file, (int)e.Start.Line, (int)e.Start.Column), $"this is not valid YAML: {Clean(e.Message)}", "check indentation and that every key is followed by ': '");
                return null;
            }

            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                bag.Error(new SourceSpan(file, 1, 1), "a recipe must be a YAML mapping with 'tables'", "start from 'doppel init <pack>' or docs/recipes.md");
                return null;
            }

            var keys = Keys(root, TopKeys, "recipe");
            RawValue? seed = keys.TryGetValue("seed", out var s) ? Scalar(s, "seed") : null;
            var ps = keys.TryGetValue("params", out var p) ? ReadParams(p) : [];
            var checks = keys.TryGetValue("checks", out var ch) ? ReadChecks(ch) : [];
            var tables = keys.TryGetValue("tables", out var t) ? ReadTables(t) : [];
            if (!keys.ContainsKey("tables"))
            {
                bag.Error(At(root), "the recipe has no 'tables'", "add 'tables:' with at least one table");
            }

            var output = keys.TryGetValue("output", out var o) ? ReadOutput(o) : new OutputDecl();
            if (keys.TryGetValue("doppel", out var v) && Scalar(v, "doppel") is { } version && version.Text != "1")
            {
                bag.Error(At(v), $"recipe version '{version.Text}' is not supported by this Doppel", "use 'doppel: 1'");
            }

            return new RecipeDocument
            {
                File = file,
                Text = text,
                Name = keys.TryGetValue("name", out var n) ? Scalar(n, "name")?.Text : null,
                Description = keys.TryGetValue("description", out var d) ? Scalar(d, "description")?.Text : null,
                Seed = seed,
                Params = ps,
                Checks = checks,
                Tables = tables,
                Output = output,
            };
        }

        private static string Clean(string message)
        {
            var i = message.IndexOf("): ", StringComparison.Ordinal);
            return i >= 0 ? message[(i + 3)..] : message;
        }

        /// <summary>Reads a mapping's keys, reporting unknown and duplicate keys with a suggestion.</summary>
        internal Dictionary<string, YamlNode> Keys(YamlMappingNode map, IReadOnlyCollection<string> allowed, string what, bool allowUnknown = false)
        {
            var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (k, value) in map.Children)
            {
                if (k is not YamlScalarNode { Value: { } key })
                {
                    bag.Error(At(k), $"keys of {what} must be plain names");
                    continue;
                }

                if (result.ContainsKey(key))
                {
                    bag.Error(At(k), $"'{key}' appears twice in {what}", "remove one of them");
                    continue;
                }

                if (!allowUnknown && !allowed.Contains(key))
                {
                    bag.Error(At(k), $"unknown key '{key}' in {what}", Suggest.DidYouMean(key, allowed, $"allowed keys: {string.Join(", ", allowed)}"));
                    continue;
                }

                result[key] = value;
            }

            return result;
        }

        internal RawValue? Scalar(YamlNode node, string what)
        {
            if (node is YamlScalarNode { Value: { } v })
            {
                return new RawValue(v, At(node));
            }

            bag.Error(At(node), $"'{what}' must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}");
            return null;
        }

        private bool? Bool(YamlNode node, string what)
        {
            var raw = Scalar(node, what);
            if (raw is null)
            {
                return null;
            }

            if (raw.Text is "true" or "yes" or "on")
            {
                return true;
            }

            if (raw.Text is "false" or "no" or "off")
            {
                return false;
            }

            bag.Error(raw.Span, $"'{what}' must be true or false, not '{raw.Text}'");
            return null;
        }

        private YamlMappingNode? Mapping(YamlNode node, string what, string hint)
        {
            if (node is YamlMappingNode m)
            {
                return m;
            }

            bag.Error(At(node), $"'{what}' must be a mapping", hint);
            return null;
        }

        private List<ParamDecl> ReadParams(YamlNode node)
        {
            var list = new List<ParamDecl>();
            if (Mapping(node, "params", "write 'params:' then one 'name: { type: int, default: 10 }' per line") is not { } map)
            {
                return list;
            }

            foreach (var (k, v) in map.Children)
            {
                var name = ((YamlScalarNode)k).Value ?? string.Empty;
                if (v is YamlScalarNode sv)
                {
                    // Shorthand: 'rows: 1000' declares a param with a default; the type is inferred.
                    var text = sv.Value ?? string.Empty;
                    var type = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? DataType.Int
                        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? DataType.Float
                        : text is "true" or "false" ? DataType.Bool
                        : DataType.String;
                    list.Add(new ParamDecl(name, At(k), type, new RawValue(text, At(v)), null, null, null, null, null, null));
                    continue;
                }

                if (Mapping(v, $"params.{name}", "e.g. { type: int, default: 10, description: ... }") is not { } pm)
                {
                    continue;
                }

                var keys = Keys(pm, ParamKeys, $"param '{name}'");
                var ptype = DataType.String;
                if (keys.TryGetValue("type", out var tn) && Scalar(tn, "type") is { } traw)
                {
                    if (!DataTypes.TryParse(traw.Text, out ptype))
                    {
                        bag.Error(traw.Span, $"unknown type '{traw.Text}'", Suggest.DidYouMean(traw.Text, ["string", "int", "float", "bool", "date", "timestamp"]));
                    }
                }

                IReadOnlyList<string>? allowed = null;
                if (keys.TryGetValue("values", out var vals))
                {
                    allowed = vals is YamlSequenceNode seq ? seq.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? string.Empty).ToList() : null;
                    if (allowed is null)
                    {
                        bag.Error(At(vals), "'values' must be a list", "e.g. values: [raw, sample]");
                    }
                }

                list.Add(new ParamDecl(
                    name,
                    At(k),
                    ptype,
                    keys.TryGetValue("default", out var def) ? Scalar(def, "default") : null,
                    keys.TryGetValue("description", out var desc) ? Scalar(desc, "description")?.Text : null,
                    allowed,
                    keys.TryGetValue("min", out var min) ? ParseNumber(min, "min") : null,
                    keys.TryGetValue("max", out var max) ? ParseNumber(max, "max") : null,
                    keys.TryGetValue("env", out var env) ? Scalar(env, "env")?.Text : null,
                    keys.TryGetValue("flag", out var flag) ? Scalar(flag, "flag")?.Text : null));
            }

            return list;
        }

        private double? ParseNumber(YamlNode node, string what)
        {
            var raw = Scalar(node, what);
            if (raw is null)
            {
                return null;
            }

            if (double.TryParse(raw.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            bag.Error(raw.Span, $"'{what}' must be a number, not '{raw.Text}'");
            return null;
        }

        /// <summary><c>checks:</c> a list of conditions on the params, each a string or <c>{ expr, message }</c>.</summary>
        private List<CheckDecl> ReadChecks(YamlNode node)
        {
            var list = new List<CheckDecl>();
            if (node is not YamlSequenceNode seq)
            {
                bag.Error(At(node), "'checks' must be a list of conditions on the params", "e.g. checks: [\"units_min <= units_max\"] or - { expr: \"end > start\", message: \"end must be after start\" }");
                return list;
            }

            foreach (var item in seq.Children)
            {
                if (item is YamlMappingNode map)
                {
                    var keys = Keys(map, CheckKeys, "check");
                    if (!keys.TryGetValue("expr", out var e))
                    {
                        bag.Error(At(item), "a check needs 'expr', the condition that must hold", "e.g. { expr: \"units_min <= units_max\", message: \"…\" }");
                        continue;
                    }

                    if (Scalar(e, "expr") is { } expr)
                    {
                        list.Add(new CheckDecl(expr, keys.TryGetValue("message", out var m) ? Scalar(m, "message")?.Text : null));
                    }
                }
                else if (Scalar(item, "check") is { } expr)
                {
                    list.Add(new CheckDecl(expr, null));
                }
            }

            return list;
        }

        private OutputDecl ReadOutput(YamlNode node)
        {
            if (Mapping(node, "output", "e.g. output: { format: csv, checksums: true }") is not { } map)
            {
                return new OutputDecl();
            }

            var keys = Keys(map, OutputKeys, "output");
            return new OutputDecl(
                keys.TryGetValue("format", out var f) ? Scalar(f, "format")?.Text : null,
                keys.TryGetValue("checksums", out var c) ? Bool(c, "checksums") : null,
                keys.TryGetValue("gzip", out var g) ? Bool(g, "gzip") : null);
        }

        private List<TableDecl> ReadTables(YamlNode node)
        {
            var list = new List<TableDecl>();
            if (Mapping(node, "tables", "write 'tables:' then one 'name:' mapping per table") is not { } map)
            {
                return list;
            }

            foreach (var (k, v) in map.Children)
            {
                var name = ((YamlScalarNode)k).Value ?? string.Empty;
                if (Mapping(v, $"tables.{name}", "a table has 'rows' (or 'parent' and 'per_parent') and 'columns'") is not { } tm)
                {
                    continue;
                }

                var keys = Keys(tm, TableKeys, $"table '{name}'");
                var columns = keys.TryGetValue("columns", out var cn) ? ReadColumns(cn, name) : [];
                if (!keys.ContainsKey("columns"))
                {
                    bag.Error(At(k), $"table '{name}' has no 'columns'", "add 'columns:' with at least one column");
                }

                var parent = keys.TryGetValue("parent", out var pn) ? Scalar(pn, "parent") : null;
                list.Add(new TableDecl(
                    name,
                    At(k),
                    keys.TryGetValue("rows", out var rows) ? Scalar(rows, "rows") : null,
                    parent?.Text,
                    parent?.Span ?? At(k),
                    keys.TryGetValue("per_parent", out var pp) ? ReadCount(pp) : null,
                    keys.TryGetValue("file", out var file) ? Scalar(file, "file") : null,
                    keys.TryGetValue("file_per_parent", out var fpp) && Bool(fpp, "file_per_parent") == true,
                    keys.TryGetValue("checksum_file", out var cf) ? Scalar(cf, "checksum_file") : null,
                    keys.TryGetValue("enabled", out var en) ? Scalar(en, "enabled") : null,
                    keys.TryGetValue("description", out var d) ? Scalar(d, "description")?.Text : null,
                    columns)
                {
                    Format = keys.TryGetValue("format", out var fmt) ? Scalar(fmt, "format") : null,
                });
            }

            return list;
        }

        private CountDecl? ReadCount(YamlNode node)
        {
            if (node is YamlScalarNode s)
            {
                return new CountDecl(At(node), "fixed", new Dictionary<string, RawValue>(StringComparer.Ordinal) { ["value"] = new RawValue(s.Value ?? string.Empty, At(node)) }, null, At(node));
            }

            if (Mapping(node, "per_parent", "e.g. per_parent: 3, or { dist: poisson, mean: 2 }, or { dist: uniform, min: 1, max: 3 }, or { expr: 'parent.n' }") is not { } map)
            {
                return null;
            }

            var keys = Keys(map, CountKeys, "per_parent");
            var args = new Dictionary<string, RawValue>(StringComparer.Ordinal);
            foreach (var (key, value) in keys)
            {
                if (key is not "dist" and not "expr" && Scalar(value, key) is { } raw)
                {
                    args[key] = raw;
                }
            }

            var expr = keys.TryGetValue("expr", out var e) ? Scalar(e, "expr") : null;
            var dist = keys.TryGetValue("dist", out var dn) ? Scalar(dn, "dist")?.Text : null;
            dist ??= expr is not null ? "expr" : args.ContainsKey("value") ? "fixed" : "uniform";
            return new CountDecl(At(node), dist, args, expr?.Text, expr?.Span ?? At(node));
        }

        private List<ColumnDecl> ReadColumns(YamlNode node, string table)
        {
            var list = new List<ColumnDecl>();
            if (Mapping(node, $"tables.{table}.columns", "one 'name: { gen: ... }' or 'name: expression' per column") is not { } map)
            {
                return list;
            }

            foreach (var (k, v) in map.Children)
            {
                var name = ((YamlScalarNode)k).Value ?? string.Empty;
                if (v is YamlScalarNode sv)
                {
                    // Shorthand: a plain string is an expression.
                    list.Add(new ColumnDecl(name, At(k), null, At(k), new Dictionary<string, YamlNode>(), sv.Value ?? string.Empty, At(v), null, null, null, At(v), null, new ContractDecl(At(k)), false, null));
                    continue;
                }

                if (Mapping(v, $"column '{name}'", "e.g. { gen: int, min: 1, max: 10 } or { expr: \"a + b\" }") is not { } cm)
                {
                    continue;
                }

                var keys = Keys(cm, ColumnKeys, $"column '{name}'", allowUnknown: true);
                var options = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
                foreach (var (key, value) in keys)
                {
                    if (!ColumnKeys.Contains(key))
                    {
                        options[key] = value;
                    }
                }

                var gen = keys.TryGetValue("gen", out var g) ? Scalar(g, "gen") : null;
                var expr = keys.TryGetValue("expr", out var e) ? Scalar(e, "expr") : null;
                if (gen is null && expr is null)
                {
                    bag.Error(At(k), $"column '{name}' needs 'gen' (a generator) or 'expr' (an expression)", "e.g. { gen: sequence } or { expr: \"upper(code)\" }");
                }
                else if (gen is not null && expr is not null)
                {
                    bag.Error(expr.Span, $"column '{name}' has both 'gen' and 'expr'", "keep one: a column is either generated or derived");
                }

                DataType? type = null;
                if (keys.TryGetValue("type", out var tn) && Scalar(tn, "type") is { } traw)
                {
                    if (DataTypes.TryParse(traw.Text, out var t))
                    {
                        type = t;
                    }
                    else
                    {
                        bag.Error(traw.Span, $"unknown type '{traw.Text}'", Suggest.DidYouMean(traw.Text, ["string", "int", "float", "bool", "date", "timestamp", "json"]));
                    }
                }

                var nullWhen = keys.TryGetValue("null_when", out var nw) ? Scalar(nw, "null_when") : null;
                list.Add(new ColumnDecl(
                    name,
                    At(k),
                    gen?.Text,
                    gen?.Span ?? At(k),
                    options,
                    expr?.Text,
                    expr?.Span ?? At(k),
                    type,
                    keys.TryGetValue("null_rate", out var nr) ? Scalar(nr, "null_rate") : null,
                    nullWhen?.Text,
                    nullWhen?.Span ?? At(k),
                    keys.TryGetValue("invalid", out var inv) ? ReadInvalid(inv) : null,
                    keys.TryGetValue("contract", out var c) ? ReadContract(c) : new ContractDecl(At(k)),
                    keys.TryGetValue("hidden", out var h) && Bool(h, "hidden") == true,
                    keys.TryGetValue("description", out var d) ? Scalar(d, "description")?.Text : null));
            }

            return list;
        }

        private InvalidDecl? ReadInvalid(YamlNode node)
        {
            if (Mapping(node, "invalid", "e.g. invalid: { rate: 0.05, kinds: [bad_checksum, wrong_format] }") is not { } map)
            {
                return null;
            }

            var keys = Keys(map, ["rate", "kinds", "when"], "invalid");
            var rate = keys.TryGetValue("rate", out var r) ? Scalar(r, "rate") : null;
            var when = keys.TryGetValue("when", out var w) ? Scalar(w, "when") : null;
            if (rate is null && when is null)
            {
                bag.Error(At(node), "'invalid' needs a 'rate' between 0 and 1 (or a 'when' condition)");
                rate = new RawValue("0", At(node));
            }

            // A condition alone makes every row where it holds invalid.
            rate ??= new RawValue("1", At(node));

            var kinds = new List<(string, SourceSpan)>();
            if (keys.TryGetValue("kinds", out var kn))
            {
                if (kn is YamlSequenceNode seq)
                {
                    kinds.AddRange(seq.Children.OfType<YamlScalarNode>().Select(x => (x.Value ?? string.Empty, At(x))));
                }
                else if (kn is YamlScalarNode one)
                {
                    kinds.Add((one.Value ?? string.Empty, At(one)));
                }
            }

            return new InvalidDecl(At(node), rate, kinds, when?.Text, when?.Span ?? default);
        }

        private ContractDecl ReadContract(YamlNode node)
        {
            if (Mapping(node, "contract", "e.g. contract: { required: true, unique: true, pattern: '^[0-9]{10}$' }") is not { } map)
            {
                return new ContractDecl(At(node));
            }

            var keys = Keys(map, ContractKeys, "contract");
            List<RawValue>? List(string key)
            {
                if (!keys.TryGetValue(key, out var n))
                {
                    return null;
                }

                if (n is YamlSequenceNode seq)
                {
                    return seq.Children.Select(x => Scalar(x, key)).OfType<RawValue>().ToList();
                }

                bag.Error(At(n), $"'{key}' must be a list", key == "within" ? "e.g. within: [parent.admit_time, parent.discharge_time]" : "e.g. values: [A, B]");
                return null;
            }

            RawValue? One(string key) => keys.TryGetValue(key, out var n) ? Scalar(n, key) : null;
            return new ContractDecl(
                At(node),
                keys.TryGetValue("required", out var rq) ? Bool(rq, "required") : null,
                keys.TryGetValue("unique", out var uq) ? Bool(uq, "unique") : null,
                One("min"),
                One("max"),
                One("pattern"),
                One("references"),
                List("within"),
                One("after"),
                One("check"),
                List("values"));
        }
    }
}
