using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Doppel.Data;
using Doppel.Diagnostics;
using Doppel.Execution;
using Doppel.Expressions;
using Doppel.Generators;
using Doppel.Recipes;
using Doppel.Seeding;

namespace Doppel.Planning;

/// <summary>Inputs that shape a plan besides the recipe itself.</summary>
public sealed record PlanOptions
{
    /// <summary><c>--set name=value</c> overrides (highest precedence).</summary>
    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();

    /// <summary>Values from a config file (below environment, above defaults).</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>();

    /// <summary>Environment variables, consulted for params that declare <c>env</c>.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary><c>--rows TABLE=N</c> overrides for root tables.</summary>
    public IReadOnlyDictionary<string, long> Rows { get; init; } = new Dictionary<string, long>();

    public ulong? Seed { get; init; }

    public GeneratorRegistry Registry { get; init; } = GeneratorRegistry.CreateDefault();

    /// <summary>Directory that relative file paths in the recipe resolve against.</summary>
    public string? BaseDirectory { get; init; }
}

/// <summary>Compiles a <see cref="RecipeDocument"/> into a <see cref="GenerationPlan"/>, reporting every problem at once.</summary>
public static class Planner
{
    public const ulong DefaultSeed = 42;

    public static GenerationPlan Plan(RecipeDocument doc, PlanOptions? options = null) => new Builder(doc, options ?? new PlanOptions()).Build();

    internal sealed class Builder(RecipeDocument doc, PlanOptions options)
    {
        private readonly DiagnosticBag _bag = new();
        private readonly Dictionary<string, (ParamDecl Decl, Value Value, string Text)> _params = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TablePlan> _tables = new(StringComparer.Ordinal);
        private readonly Dictionary<ColumnPlan, ColumnDecl> _decls = [];
        private readonly Dictionary<ColumnPlan, int> _state = [];
        private readonly List<ColumnPlan> _stack = [];
        private ulong _seed;

        public GenerationPlan Build()
        {
            ResolveParams();
            CheckParams();
            _seed = options.Seed ?? (doc.Seed is { } s ? ResolveULong(s, "seed") : DefaultSeed);
            var declared = new List<TablePlan>();
            foreach (var t in doc.Tables)
            {
                if (_tables.ContainsKey(t.Name))
                {
                    continue;
                }

                if (t.Enabled is { } en && !ResolveBool(en, "enabled"))
                {
                    continue;
                }

                var plan = new TablePlan(t.Name, SeedTree.Combine(_seed, t.Name)) { Description = t.Description };
                _tables[t.Name] = plan;
                declared.Add(plan);
            }

            foreach (var key in options.Rows.Keys.Where(k => !_tables.ContainsKey(k)))
            {
                _bag.Error(SourceSpan.None("--rows"), $"--rows names table '{key}', which the recipe does not have", Suggest.DidYouMean(key, _tables.Keys));
            }

            foreach (var t in doc.Tables.Where(t => _tables.ContainsKey(t.Name)))
            {
                SetUpTable(t, _tables[t.Name]);
            }

            foreach (var t in declared)
            {
                foreach (var c in t.Columns)
                {
                    EnsureCompiled(c);
                }
            }

            foreach (var t in doc.Tables.Where(t => _tables.ContainsKey(t.Name)))
            {
                FinishTable(t, _tables[t.Name]);
            }

            _bag.ThrowIfAny(doc.Text);
            foreach (var t in declared)
            {
                foreach (var c in t.Columns)
                {
                    c.Kernel = c.Generator?.CreateKernel(c);
                }

                t.Columnar = Execution.Columnar.ColumnarTable.TryCreate(t, out var reason);
                t.RowPathReason = reason;
            }

            return new GenerationPlan
            {
                Recipe = doc,
                Seed = _seed,
                Params = _params.ToDictionary(p => p.Key, p => p.Value.Text, StringComparer.Ordinal),
                Tables = declared,
                RecipeSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(doc.Text))),
            };
        }

        // ---- params -------------------------------------------------------------------------

        private void ResolveParams()
        {
            var names = doc.Params.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var key in options.Set.Keys.Where(k => !names.Contains(k)))
            {
                _bag.Error(SourceSpan.None("--set"), $"--set names parameter '{key}', which the recipe does not declare", Suggest.DidYouMean(key, names, names.Count == 0 ? "this recipe has no params" : $"params: {string.Join(", ", names)}"));
            }

            foreach (var p in doc.Params)
            {
                string? text;
                string origin;
                if (options.Set.TryGetValue(p.Name, out var set))
                {
                    (text, origin) = (set, $"--set {p.Name}");
                }
                else if (p.Env is not null && options.Environment.TryGetValue(p.Env, out var env) && !string.IsNullOrEmpty(env))
                {
                    (text, origin) = (env, $"environment variable {p.Env}");
                }
                else if (options.Config.TryGetValue(p.Name, out var cfg) || (p.Env is not null && options.Config.TryGetValue(p.Env, out cfg)))
                {
                    (text, origin) = (cfg, "the config file");
                }
                else
                {
                    (text, origin) = (p.Default is { } d ? Interpolate(d) : null, "the default");
                }

                if (text is null)
                {
                    if (p.Type == DataType.String)
                    {
                        _params[p.Name] = (p, Value.Null(DataType.String), string.Empty);
                        continue;
                    }

                    _bag.Error(p.Span, $"parameter '{p.Name}' has no value", $"give it a default or pass --set {p.Name}=...");
                    continue;
                }

                var value = ParseParam(p, text, origin);
                _params[p.Name] = (p, value, text);
            }
        }

        private Value ParseParam(ParamDecl p, string text, string origin)
        {
            var where = origin == "the default" && p.Default is not null ? p.Default.Span : p.Span;
            string Bad(string expected) => $"parameter '{p.Name}' from {origin} must be {expected}, not '{text}'";
            Value v;
            if (p.Type == DataType.Bool && text.ToLowerInvariant() is "yes" or "1" or "on" or "no" or "0" or "off" or "true" or "false")
            {
                // Flags and environment variables say yes/no and 1/0 as often as true/false.
                v = Value.FromBool(text.ToLowerInvariant() is "true" or "yes" or "1" or "on");
            }
            else if (!ValueText.TryParse(text, p.Type, out v) || (p.Type == DataType.Float && !double.IsFinite(v.Float)))
            {
                _bag.Error(where, Bad(ValueText.Expected(p.Type)));
                return Value.Null(p.Type);
            }

            if (p.Allowed is { Count: > 0 } allowed && !allowed.Contains(text, StringComparer.Ordinal))
            {
                _bag.Error(where, $"parameter '{p.Name}' from {origin} must be one of {string.Join(", ", allowed)}, not '{text}'", Suggest.DidYouMean(text, allowed));
            }

            if ((p.Min is { } min && v.AsDouble < min) || (p.Max is { } max && v.AsDouble > max))
            {
                _bag.Error(where, $"parameter '{p.Name}' from {origin} must be between {p.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {p.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}, not {text}");
            }

            return v;
        }

        // ---- ${...} interpolation over params -----------------------------------------------

        /// <summary>Resolves <c>${expr}</c> segments; a value that is exactly one segment keeps its type.</summary>
        internal Value ResolveValue(RawValue raw)
        {
            var t = raw.Text.Trim();
            if (t.StartsWith("${", StringComparison.Ordinal) && t.EndsWith('}') && t.IndexOf("${", 2, StringComparison.Ordinal) < 0)
            {
                return EvalConstant(t[2..^1], raw, 2);
            }

            return Value.FromText(Interpolate(raw));
        }

        internal string Interpolate(RawValue raw)
        {
            var text = raw.Text;
            if (!text.Contains("${", StringComparison.Ordinal))
            {
                return text;
            }

            var sb = new StringBuilder();
            var i = 0;
            while (i < text.Length)
            {
                var start = text.IndexOf("${", i, StringComparison.Ordinal);
                if (start < 0)
                {
                    sb.Append(text, i, text.Length - i);
                    break;
                }

                var end = text.IndexOf('}', start);
                if (end < 0)
                {
                    _bag.Error(Shift(raw, start), "'${' is not closed with '}'");
                    return text;
                }

                sb.Append(text, i, start - i);
                sb.Append(EvalConstant(text[(start + 2)..end], raw, start + 2).ToString());
                i = end + 1;
            }

            return sb.ToString();
        }

        private Value EvalConstant(string expr, RawValue raw, int offset)
        {
            try
            {
                var c = ExpressionCompiler.Compile(expr, new ParamScope(this));
                return c.ConstantValue();
            }
            catch (ExpressionException e)
            {
                _bag.Error(Shift(raw, offset + e.Offset), e.Message, e.Hint);
                return Value.Null(DataType.String);
            }
        }

        /// <summary>The recipe's <c>checks:</c>: each must be a condition on the params, and must hold.</summary>
        private void CheckParams()
        {
            if (_bag.HasErrors)
            {
                return; // a param that did not resolve would make every check that uses it fail again
            }

            foreach (var check in doc.Checks)
            {
                CompiledExpression compiled;
                try
                {
                    compiled = ExpressionCompiler.Compile(check.Expr.Text, new ParamScope(this));
                }
                catch (ExpressionException e)
                {
                    _bag.Error(Shift(check.Expr, e.Offset), $"in check \"{check.Expr.Text}\": {e.Message}", e.Hint);
                    continue;
                }

                if (compiled.Type != DataType.Bool)
                {
                    _bag.Error(check.Expr.Span, $"a check must be a condition (bool), not {compiled.Type.Name()}", "e.g. \"units_min <= units_max\"");
                    continue;
                }

                if (compiled.ConstantValue() is { IsNull: false, Bool: true })
                {
                    continue;
                }

                var used = _params.Keys.Where(name => System.Text.RegularExpressions.Regex.IsMatch(check.Expr.Text, $@"\b{System.Text.RegularExpressions.Regex.Escape(name)}\b")).Order(StringComparer.Ordinal).ToList();
                var values = string.Join(", ", used.Select(name => $"{name}={_params[name].Text}"));
                _bag.Error(check.Expr.Span, $"check failed: {check.Message ?? check.Expr.Text}{(values.Length > 0 ? $" (here {values})" : string.Empty)}", used.Count > 0 ? $"change {string.Join(" or ", used.Select(n => "--" + n.Replace('_', '-')))} (or --set {used[0]}=…)" : "fix the recipe's params");
            }
        }

        private SourceSpan Shift(RawValue raw, int offset) => ShiftSpan(raw.Span, offset);

        /// <summary>Moves a span right by an offset into a one-line scalar, skipping an opening quote.</summary>
        private SourceSpan ShiftSpan(SourceSpan span, int offset)
        {
            var lines = doc.Text.Split('\n');
            var quote = 0;
            if (span.Line > 0 && span.Line <= lines.Length && span.Column - 1 < lines[span.Line - 1].Length)
            {
                var c = lines[span.Line - 1][span.Column - 1];
                quote = c is '"' or '\'' ? 1 : 0;
            }

            return span with { Column = span.Column + quote + offset };
        }

        internal long ResolveLong(RawValue raw, string what)
        {
            var v = ResolveValue(raw);
            if (v.Type == DataType.Int && !v.IsNull)
            {
                return v.Int;
            }

            if (v.Type == DataType.Float && !v.IsNull && v.Float == Math.Floor(v.Float))
            {
                return (long)v.Float;
            }

            if (v.Type == DataType.String && long.TryParse(v.Text.Span, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            _bag.Error(raw.Span, $"'{what}' must be a whole number, not '{raw.Text}'");
            return 0;
        }

        private ulong ResolveULong(RawValue raw, string what) => unchecked((ulong)ResolveLong(raw, what));

        internal double ResolveDouble(RawValue raw, string what)
        {
            var v = ResolveValue(raw);
            if (v.Type is DataType.Int or DataType.Float && !v.IsNull)
            {
                return v.AsDouble;
            }

            if (v.Type == DataType.String && double.TryParse(v.Text.Span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                return d;
            }

            _bag.Error(raw.Span, $"'{what}' must be a number, not '{raw.Text}'");
            return 0;
        }

        internal bool ResolveBool(RawValue raw, string what)
        {
            var v = ResolveValue(raw);
            if (v.Type == DataType.Bool && !v.IsNull)
            {
                return v.Bool;
            }

            var t = v.ToString();
            if (t is "true" or "false")
            {
                return t == "true";
            }

            _bag.Error(raw.Span, $"'{what}' must be true or false, not '{raw.Text}'");
            return false;
        }

        // ---- tables -------------------------------------------------------------------------

        private void SetUpTable(TableDecl t, TablePlan plan)
        {
            if (t.Parent is not null)
            {
                if (!_tables.TryGetValue(t.Parent, out var parent))
                {
                    var disabled = doc.Tables.Any(x => x.Name == t.Parent);
                    _bag.Error(t.ParentSpan, disabled ? $"table '{t.Name}' has parent '{t.Parent}', which is disabled" : $"table '{t.Name}' has parent '{t.Parent}', which does not exist", disabled ? "disable the child too: enabled: ${...}" : Suggest.DidYouMean(t.Parent, _tables.Keys));
                }
                else if (IsAncestor(plan, parent))
                {
                    _bag.Error(t.ParentSpan, $"table '{t.Name}' is its own ancestor through '{t.Parent}'", "parents must form a tree");
                }
                else
                {
                    plan.Parent = parent;
                    parent.Children.Add(plan);
                }

                if (t.Rows is not null)
                {
                    _bag.Error(t.Rows.Span, $"child table '{t.Name}' cannot have 'rows'; its size comes from 'per_parent'", "remove 'rows' or remove 'parent'");
                }

                if (t.PerParent is null)
                {
                    _bag.Error(t.Span, $"child table '{t.Name}' needs 'per_parent'", "e.g. per_parent: 3, or { dist: poisson, mean: 2 }");
                }
                else
                {
                    plan.PerParent = BuildCount(t.PerParent, plan);
                }
            }
            else
            {
                if (t.PerParent is not null)
                {
                    _bag.Error(t.PerParent.Span, $"table '{t.Name}' has 'per_parent' but no 'parent'", "add 'parent: <table>' or use 'rows'");
                }

                if (options.Rows.TryGetValue(t.Name, out var rows))
                {
                    plan.RootRows = rows;
                }
                else if (t.Rows is null)
                {
                    _bag.Error(t.Span, $"table '{t.Name}' needs 'rows' (or 'parent' and 'per_parent')", "e.g. rows: 1000, or rows: ${patients}");
                }
                else
                {
                    plan.RootRows = ResolveLong(t.Rows, "rows");
                }

                if (plan.RootRows < 0)
                {
                    _bag.Error(t.Rows?.Span ?? t.Span, $"table '{t.Name}' cannot have {plan.RootRows} rows");
                }
            }

            // ${param} is resolved now; {parent_column} placeholders of per-parent files stay for run time.
            plan.FileTemplate = t.File is { } f ? Interpolate(f) : t.Name;
            plan.FilePerParent = t.FilePerParent;
            if (t.FilePerParent && t.Parent is null)
            {
                _bag.Error(t.Span, $"table '{t.Name}' has file_per_parent but no parent");
            }

            plan.ChecksumTemplate = t.ChecksumFile is { } cf ? Interpolate(cf) : null;
            if (t.Format is { } fmt)
            {
                // A table whose consumers need one format (e.g. notes as JSON Lines beside CSV tables).
                var name = Interpolate(fmt);
                if (Formats.TableFormats.BuiltIn.ContainsKey(name))
                {
                    plan.Format = name;
                }
                else
                {
                    _bag.Error(fmt.Span, $"table '{t.Name}' has unknown format '{name}'", Suggest.DidYouMean(name, Formats.TableFormats.BuiltIn.Keys, $"formats: {string.Join(", ", Formats.TableFormats.BuiltIn.Keys)}"));
                }
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in t.Columns)
            {
                if (!seen.Add(c.Name))
                {
                    _bag.Error(c.Span, $"column '{c.Name}' appears twice in table '{t.Name}'");
                    continue;
                }

                var cp = new ColumnPlan(plan, c.Name, plan.Columns.Count, SeedTree.Combine(plan.Seed, c.Name)) { Hidden = c.Hidden, Description = c.Description };
                plan.Columns.Add(cp);
                _decls[cp] = c;
            }
        }

        private static bool IsAncestor(TablePlan table, TablePlan candidate)
        {
            for (var p = candidate; p is not null; p = p.Parent)
            {
                if (p == table)
                {
                    return true;
                }
            }

            return false;
        }

        private CountPlan? BuildCount(CountDecl d, TablePlan child)
        {
            double Arg(string name, double? fallback = null)
            {
                if (d.Args.TryGetValue(name, out var raw))
                {
                    return ResolveDouble(raw, $"per_parent.{name}");
                }

                if (fallback is null)
                {
                    _bag.Error(d.Span, $"per_parent with dist '{d.Dist}' needs '{name}'");
                }

                return fallback ?? 0;
            }

            foreach (var key in d.Args.Keys)
            {
                var allowed = d.Dist switch
                {
                    "fixed" => new[] { "value" },
                    "uniform" => ["min", "max"],
                    "poisson" => ["mean", "min", "max"],
                    "bernoulli" => ["p"],
                    "expr" => ["min", "max"],
                    _ => [],
                };
                if (!allowed.Contains(key))
                {
                    _bag.Error(d.Args[key].Span, $"per_parent with dist '{d.Dist}' does not take '{key}'", allowed.Length > 0 ? $"it takes: {string.Join(", ", allowed)}" : null);
                }
            }

            switch (d.Dist)
            {
                case "fixed":
                    {
                        var n = (long)Arg("value");
                        return new CountPlan(n.ToString(CultureInfo.InvariantCulture), (_, _) => n, false);
                    }

                case "uniform":
                    {
                        var min = (long)Arg("min");
                        var max = (long)Arg("max");
                        if (min > max || min < 0)
                        {
                            _bag.Error(d.Span, $"per_parent uniform needs 0 ≤ min ≤ max, not {min}..{max}");
                        }

                        return new CountPlan(string.Create(CultureInfo.InvariantCulture, $"uniform {min}..{max}"), (p, seed) => { var r = SeedTree.Cell(seed, p.Row); return r.NextLong(min, max); }, false);
                    }

                case "poisson":
                    {
                        var mean = Arg("mean");
                        var min = (long)Arg("min", 0);
                        var max = (long)Arg("max", long.MaxValue);
                        if (mean < 0 || !double.IsFinite(mean))
                        {
                            _bag.Error(d.Span, $"per_parent poisson needs mean ≥ 0, not {mean.ToString(CultureInfo.InvariantCulture)}");
                        }

                        return new CountPlan(string.Create(CultureInfo.InvariantCulture, $"poisson mean {mean}"), (p, seed) => { var r = SeedTree.Cell(seed, p.Row); return Math.Clamp(Distributions.Poisson(ref r, mean), min, max); }, false);
                    }

                case "bernoulli":
                    {
                        var prob = Arg("p");
                        if (prob is < 0 or > 1)
                        {
                            _bag.Error(d.Span, $"per_parent bernoulli needs 0 ≤ p ≤ 1, not {prob.ToString(CultureInfo.InvariantCulture)}");
                        }

                        return new CountPlan(string.Create(CultureInfo.InvariantCulture, $"0 or 1 (p = {prob})"), (p, seed) => { var r = SeedTree.Cell(seed, p.Row); return r.NextDouble() < prob ? 1 : 0; }, false);
                    }

                case "expr" when d.Expr is not null:
                    {
                        var min = (long)Arg("min", 0);
                        var max = (long)Arg("max", long.MaxValue);
                        // The count expression is evaluated in the parent's scope: it sees the parent row's columns.
                        var parent = _tables.GetValueOrDefault(doc.Tables.First(t => t.Name == child.Name).Parent ?? string.Empty);
                        if (parent is null)
                        {
                            return null;
                        }

                        CompiledExpression? compiled;
                        try
                        {
                            compiled = ExpressionCompiler.Compile(d.Expr, new CountScope(new ColumnScope(this, parent, null)));
                        }
                        catch (ExpressionException e)
                        {
                            _bag.Error(ShiftSpan(d.ExprSpan, e.Offset), $"in expression \"{d.Expr}\": {e.Message}", e.Hint);
                            compiled = null;
                        }

                        if (compiled is null)
                        {
                            return null;
                        }

                        if (compiled.Type is not (DataType.Int or DataType.Float))
                        {
                            _bag.Error(d.ExprSpan, $"per_parent expression must be a number, not {compiled.Type.Name()}");
                            return null;
                        }

                        var eval = compiled.Evaluate;
                        return new CountPlan($"expr {d.Expr}", (p, seed) =>
                        {
                            var saved = p.Rng;
                            p.Rng = SeedTree.Cell(seed, p.Row);
                            var v = eval(p);
                            p.Rng = saved;
                            return v.IsNull ? 0 : Math.Clamp((long)Math.Floor(v.AsDouble), min, max);
                        }, !compiled.IsConstant);
                    }

                default:
                    _bag.Error(d.Span, $"unknown per_parent dist '{d.Dist}'", Suggest.DidYouMean(d.Dist, ["fixed", "uniform", "poisson", "bernoulli", "expr"]));
                    return null;
            }
        }

        // ---- columns ------------------------------------------------------------------------

        internal void EnsureCompiled(ColumnPlan c)
        {
            _state.TryGetValue(c, out var state);
            if (state == 2)
            {
                return;
            }

            if (state == 1)
            {
                var cycle = _stack.SkipWhile(x => x != c).Append(c).Select(x => x.Table == c.Table ? x.Name : x.ToString());
                throw new ExpressionException(0, $"column '{c.Name}' depends on itself: {string.Join(" → ", cycle)}", "break the cycle: one of these columns must not use the others");
            }

            _state[c] = 1;
            _stack.Add(c);
            try
            {
                Compile(c, _decls[c]);
            }
            finally
            {
                _stack.RemoveAt(_stack.Count - 1);
                _state[c] = 2;
            }
        }

        private void Compile(ColumnPlan c, ColumnDecl d)
        {
            var table = c.Table;
            if (d.Expr is not null)
            {
                var compiled = CompileIn(table, d.Expr, d.ExprSpan, c);
                if (compiled is not null)
                {
                    c.Type = d.Type ?? compiled.Type;
                    if (d.Type is { } want && want != compiled.Type && !(want == DataType.Float && compiled.Type == DataType.Int) && !(want.UsesUtf8() && compiled.Type.UsesUtf8()))
                    {
                        _bag.Error(d.ExprSpan, $"column '{c.Name}' is declared {want.Name()} but its expression is {compiled.Type.Name()}", "change 'type' or convert with str(), int(), float(), date()");
                    }

                    c.Core = compiled.Evaluate;
                    c.Source = $"expr: {d.Expr}";
                    c.CoreNullable = true;
                }
            }
            else if (d.Gen is not null)
            {
                if (!options.Registry.TryGet(d.Gen, out var factory))
                {
                    _bag.Error(d.GenSpan, $"unknown generator '{d.Gen}'", Suggest.DidYouMean(d.Gen, options.Registry.All.Select(f => f.Name), "run 'doppel generators' for the list"));
                    return;
                }

                var known = factory.Options.Select(o => o.Name).ToList();
                foreach (var (key, node) in d.Options)
                {
                    if (!known.Contains(key, StringComparer.Ordinal))
                    {
                        var all = known.Concat(RecipeParser.ColumnKeys);
                        _bag.Error(RecipeParser.SpanOf(doc.File, node) with { Column = Math.Max(1, (int)node.Start.Column - key.Length - 2) }, $"generator '{d.Gen}' has no option '{key}'", Suggest.DidYouMean(key, all, known.Count == 0 ? $"'{d.Gen}' takes no options" : $"its options: {string.Join(", ", known)}"));
                    }
                }

                var ctx = new GeneratorContext(this, c, d, factory);
                var generator = factory.Create(ctx);
                if (generator is null)
                {
                    return;
                }

                c.Generator = generator;
                c.Type = generator.Type;
                if (d.Type is { } want && want != generator.Type)
                {
                    _bag.Error(d.Span, $"column '{c.Name}' is declared {want.Name()} but generator '{d.Gen}' produces {generator.Type.Name()}");
                }

                c.Core = generator.Generate;
                c.Source = d.Gen;
                c.RefTarget = ctx.RefTarget;
            }

            if (d.NullRate is { } nr)
            {
                c.NullRate = ResolveDouble(nr, "null_rate");
                if (c.NullRate is < 0 or > 1)
                {
                    _bag.Error(nr.Span, $"null_rate must be between 0 and 1, not {nr.Text}");
                }
            }

            if (d.NullWhen is not null)
            {
                var cond = CompileIn(table, d.NullWhen, d.NullWhenSpan, c);
                if (cond is not null && cond.Type != DataType.Bool)
                {
                    _bag.Error(d.NullWhenSpan, $"null_when must be a condition (bool), not {cond.Type.Name()}", "e.g. null_when: \"status in ('REPORTED', 'DISPATCHED')\"");
                }
                else if (cond is not null)
                {
                    c.NullWhen = cond.Evaluate;
                }
            }

            if (d.Invalid is { } inv)
            {
                c.FaultRate = ResolveDouble(inv.Rate, "invalid.rate");
                if (c.FaultRate is < 0 or > 1)
                {
                    _bag.Error(inv.Rate.Span, $"invalid.rate must be between 0 and 1, not {inv.Rate.Text}");
                }

                var supported = c.Generator?.InvalidKinds ?? InvalidValues.GenericKinds(c.Type);
                var kinds = new List<string>();
                foreach (var (kind, span) in inv.Kinds)
                {
                    if (!supported.Contains(kind))
                    {
                        _bag.Error(span, $"column '{c.Name}' cannot inject '{kind}'", $"{(c.Generator is null ? "this column" : $"generator '{d.Gen}'")} supports: {string.Join(", ", supported)}");
                    }
                    else
                    {
                        kinds.Add(kind);
                    }
                }

                c.FaultKinds = kinds.Count > 0 ? kinds : supported;
                if (inv.When is not null)
                {
                    var cond = CompileIn(table, inv.When, inv.WhenSpan, c);
                    if (cond is not null && cond.Type != DataType.Bool)
                    {
                        _bag.Error(inv.WhenSpan, $"invalid.when must be a condition (bool), not {cond.Type.Name()}", "e.g. when: \"slot >= 100\"");
                    }
                    else if (cond is not null)
                    {
                        c.FaultWhen = cond.Evaluate;
                    }
                }
            }
        }

        internal CompiledExpression? CompileIn(TablePlan table, string text, SourceSpan span, ColumnPlan? self)
        {
            try
            {
                return ExpressionCompiler.Compile(text, new ColumnScope(this, table, self));
            }
            catch (ExpressionException e)
            {
                _bag.Error(ShiftSpan(span, e.Offset), $"in expression \"{text}\": {e.Message}", e.Hint);
                return null;
            }
        }

        internal void Error(SourceSpan span, string message, string? hint = null) => _bag.Error(span, message, hint);

        internal TablePlan? FindTable(string name) => _tables.GetValueOrDefault(name);

        internal IEnumerable<string> TableNames => _tables.Keys;

        internal string? BaseDirectory => options.BaseDirectory;

        internal string File => doc.File;

        /// <summary>The run's seed (recipe seed or --seed), for generators whose values must not depend on their table or column.</summary>
        internal ulong Seed => _seed;

        internal bool TryParam(string name, out Value value)
        {
            if (_params.TryGetValue(name, out var p))
            {
                value = p.Value;
                return true;
            }

            value = default;
            return false;
        }

        internal IEnumerable<string> ParamNames => _params.Keys;

        // ---- output schema and contracts ----------------------------------------------------

        private void FinishTable(TableDecl t, TablePlan plan)
        {
            var outCols = plan.Columns.Where(c => !c.Hidden).ToList();
            plan.OutputSchema = new TableSchema(plan.Name, outCols.Select(c => new ColumnSchema(c.Name, c.Type, c.Nullable)).ToList());
            plan.OutputColumns = outCols.Select(c => c.Index).ToArray();
            foreach (var c in outCols)
            {
                var d = _decls[c];
                plan.Contracts.Add(new ContractRule(plan.Name, c.Name, ContractKind.Type, [c.Type.Name()], "type"));
                if (c.Generator is not null)
                {
                    foreach (var rule in c.Generator.ImpliedContracts)
                    {
                        plan.Contracts.Add(rule with { Table = plan.Name, Column = c.Name });
                    }
                }

                AddExplicitContracts(plan, c, d.Contract);
            }
        }

        private void AddExplicitContracts(TablePlan plan, ColumnPlan c, ContractDecl k)
        {
            void Add(ContractKind kind, params string[] args) => plan.Contracts.Add(new ContractRule(plan.Name, c.Name, kind, args, "contract"));
            if (k.Required == true)
            {
                Add(ContractKind.Required);
                if (c.NullRate > 0 || c.NullWhen is not null)
                {
                    _bag.Error(k.Span, $"column '{c.Name}' is required but has null_rate or null_when", "remove one of them");
                }
            }

            if (k.Unique == true)
            {
                Add(ContractKind.Unique);
                if (c.Generator is { UniqueByConstruction: false } && c.Generator is not null)
                {
                    _bag.Error(k.Span, $"column '{c.Name}' is declared unique but generator '{c.Source}' does not guarantee unique values", "use a generator that is unique by construction: sequence, uuid, nhs_number with unique: true, or an expression over row");
                }
            }

            if (k.Min is { } min)
            {
                Add(ContractKind.Min, Interpolate(min));
            }

            if (k.Max is { } max)
            {
                Add(ContractKind.Max, Interpolate(max));
            }

            if (k.Pattern is { } pattern)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern.Text, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
                    Add(ContractKind.Pattern, pattern.Text);
                }
                catch (ArgumentException e)
                {
                    _bag.Error(pattern.Span, $"pattern is not a valid regular expression: {e.Message}");
                }
            }

            if (k.References is { } r)
            {
                var parts = r.Text.Split('.');
                if (parts.Length != 2 || FindTable(parts[0]) is not { } target || target.IndexOf(parts[1]) < 0)
                {
                    _bag.Error(r.Span, $"references must name an existing table.column, not '{r.Text}'", Suggest.DidYouMean(parts[0], TableNames));
                }
                else
                {
                    Add(ContractKind.References, r.Text);
                }
            }

            if (k.Within is { } w)
            {
                if (w.Count != 2)
                {
                    _bag.Error(k.Span, "within needs two bounds: [from, to]", "e.g. within: [parent.admit_time, parent.discharge_time]");
                }
                else
                {
                    Add(ContractKind.Within, w[0].Text, w[1].Text);
                }
            }

            if (k.After is { } a)
            {
                Add(ContractKind.After, a.Text);
            }

            if (k.Check is { } ch)
            {
                if (!Validation.CheckDigits.Known.Contains(ch.Text))
                {
                    _bag.Error(ch.Span, $"unknown check '{ch.Text}'", Suggest.DidYouMean(ch.Text, Validation.CheckDigits.Known));
                }
                else
                {
                    Add(ContractKind.Check, ch.Text);
                }
            }

            if (k.Values is { } vals)
            {
                plan.Contracts.Add(new ContractRule(plan.Name, c.Name, ContractKind.Values, vals.Select(Interpolate).ToList(), "contract"));
            }
        }
    }

    /// <summary>Names visible in <c>${...}</c>: parameters only.</summary>
    private sealed class ParamScope(Builder builder) : IExpressionScope
    {
        public IEnumerable<string> KnownNames => builder.ParamNames;

        public bool AllowsRowFunctions => false;

        public bool TryBind(IReadOnlyList<string> path, int offset, out DataType type, out Evaluator evaluator, out bool isConstant)
        {
            var name = path.Count == 2 && path[0] == "params" ? path[1] : path.Count == 1 ? path[0] : null;
            if (name is not null && builder.TryParam(name, out var v))
            {
                type = v.Type;
                evaluator = _ => v;
                isConstant = true;
                return true;
            }

            (type, evaluator, isConstant) = (DataType.String, _ => default, false);
            return false;
        }
    }

    /// <summary>
    /// Names visible in a per_parent count: written from the child's point of view (<c>parent.col</c>),
    /// evaluated on the parent row's frame.
    /// </summary>
    private sealed class CountScope(ColumnScope parentScope) : IExpressionScope
    {
        public IEnumerable<string> KnownNames => parentScope.KnownNames.Select(n => "parent." + n);

        public bool AllowsRowFunctions => true;

        public bool TryBind(IReadOnlyList<string> path, int offset, out DataType type, out Evaluator evaluator, out bool isConstant)
        {
            if (path.Count >= 2 && path[0] == "parent")
            {
                return parentScope.TryBind(path.Skip(1).ToList(), offset, out type, out evaluator, out isConstant);
            }

            if (path.Count == 1 && path[0] is not ("row" or "ordinal") && parentScope.TryBind(path, offset, out type, out evaluator, out isConstant) && isConstant)
            {
                return true; // a parameter
            }

            (type, evaluator, isConstant) = (DataType.String, _ => default, false);
            return false;
        }
    }

    /// <summary>Names visible in a column expression: this row's columns, parent.*, reference.*, params, row, ordinal.</summary>
    internal sealed class ColumnScope(Builder builder, TablePlan table, ColumnPlan? self) : IExpressionScope
    {
        public bool AllowsRowFunctions => true;

        public IEnumerable<string> KnownNames =>
            table.Columns.Where(c => c != self).Select(c => c.Name)
                .Concat(table.Parent is { } p ? p.Columns.Select(c => "parent." + c.Name) : [])
                .Concat(builder.ParamNames)
                .Concat(["row", "ordinal"]);

        public bool TryBind(IReadOnlyList<string> path, int offset, out DataType type, out Evaluator evaluator, out bool isConstant)
        {
            isConstant = false;
            (type, evaluator) = (DataType.String, _ => default);
            if (path.Count == 1)
            {
                switch (path[0])
                {
                    case "row":
                        (type, evaluator) = (DataType.Int, f => Value.FromInt(f.Row));
                        return true;
                    case "ordinal":
                        (type, evaluator) = (DataType.Int, f => Value.FromInt(f.Ordinal));
                        return true;
                }

                var idx = table.IndexOf(path[0]);
                if (idx >= 0)
                {
                    var col = table.Columns[idx];
                    if (col == self)
                    {
                        throw new ExpressionException(offset, $"column '{col.Name}' cannot use itself", "use another column, or parent.<column>");
                    }

                    builder.EnsureCompiled(col);
                    type = col.Type;
                    evaluator = f => f.Get(idx);
                    return true;
                }
            }

            if (path[0] == "parent")
            {
                var depth = 0;
                var t = table;
                while (depth < path.Count - 1 && path[depth] == "parent")
                {
                    t = t.Parent ?? throw new ExpressionException(offset, $"table '{table.Name}' has no {string.Join('.', Enumerable.Repeat("parent", depth + 1))}", "only child tables (with 'parent:') can use parent.<column>");
                    depth++;
                }

                if (path.Count - depth != 1)
                {
                    return false;
                }

                var idx = t.IndexOf(path[depth]);
                if (idx < 0)
                {
                    var hint = Suggest.Closest(path[depth], t.Columns.Select(c => c.Name));
                    throw new ExpressionException(offset, $"parent table '{t.Name}' has no column '{path[depth]}'", hint is null ? null : $"did you mean 'parent.{hint}'?");
                }

                builder.EnsureCompiled(t.Columns[idx]);
                type = t.Columns[idx].Type;
                var levels = depth;
                evaluator = levels == 1 ? f => f.Parent!.Get(idx) : f =>
                {
                    var p = f;
                    for (var i = 0; i < levels; i++)
                    {
                        p = p.Parent!;
                    }

                    return p.Get(idx);
                };
                return true;
            }

            if (path.Count == 2 && path[0] == "params" && builder.TryParam(path[1], out var pv))
            {
                (type, evaluator, isConstant) = (pv.Type, _ => pv, true);
                return true;
            }

            if (path.Count == 1 && builder.TryParam(path[0], out var pv1))
            {
                (type, evaluator, isConstant) = (pv1.Type, _ => pv1, true);
                return true;
            }

            if (path.Count == 2 && table.IndexOf(path[0]) is var refIdx && refIdx >= 0)
            {
                var refCol = table.Columns[refIdx];
                builder.EnsureCompiled(refCol);
                if (refCol.RefTarget is not { } target)
                {
                    throw new ExpressionException(offset, $"column '{path[0]}' is not a reference, so '{path[0]}.{path[1]}' means nothing", "use { gen: ref, table: <table> } to point at another table's rows");
                }

                var colIdx = target.IndexOf(path[1]);
                if (colIdx < 0)
                {
                    var hint = Suggest.Closest(path[1], target.Columns.Select(c => c.Name));
                    throw new ExpressionException(offset, $"table '{target.Name}' has no column '{path[1]}'", hint is null ? null : $"did you mean '{path[0]}.{hint}'?");
                }

                builder.EnsureCompiled(target.Columns[colIdx]);
                type = target.Columns[colIdx].Type;
                evaluator = f => f.RefRow(refIdx).Get(colIdx);
                return true;
            }

            return false;
        }
    }
}
