using System.Globalization;
using Doppel.Data;
using Doppel.Diagnostics;
using Doppel.Expressions;
using Doppel.Planning;
using Doppel.Recipes;
using YamlDotNet.RepresentationModel;

namespace Doppel.Generators;

/// <summary>
/// What a generator factory sees while it builds a generator: its column, its options (with
/// <c>${param}</c> resolved), expression compilation in the column's scope, and error reporting
/// with file:line:column.
/// </summary>
public sealed class GeneratorContext
{
    private readonly Planner.Builder _builder;
    private readonly ColumnDecl _decl;
    private readonly IGeneratorFactory _factory;

    internal GeneratorContext(Planner.Builder builder, ColumnPlan column, ColumnDecl decl, IGeneratorFactory factory)
    {
        _builder = builder;
        Column = column;
        _decl = decl;
        _factory = factory;
    }

    public ColumnPlan Column { get; }

    public string TableName => Column.Table.Name;

    public string ColumnName => Column.Name;

    /// <summary>
    /// The run's seed (recipe <c>seed</c> or <c>--seed</c>). Most generators use their column's own stream;
    /// this is for values that must agree across tables, e.g. the same person in two files.
    /// </summary>
    public ulong RecipeSeed => _builder.Seed;

    /// <summary>The column's declared type, if the recipe gave one.</summary>
    public DataType? DeclaredType => _decl.Type;

    /// <summary>Set by a reference generator: the table whose rows the column points at.</summary>
    public TablePlan? RefTarget { get; set; }

    /// <summary>
    /// A recipe parameter's resolved value as text (null when the recipe declares no such parameter).
    /// Lets a pack's generators share one model configured by the recipe's params instead of repeating them as options.
    /// </summary>
    public string? Param(string name) => _builder.TryParam(name, out var v) ? (v.IsNull ? null : v.ToString()) : null;

    /// <summary>The plan's seed (recipe seed or <c>--seed</c>), for pack models whose draws are keyed by indices rather than by cell.</summary>
    public ulong PlanSeed => _builder.Seed;

    public bool Has(string name) => _decl.Options.ContainsKey(name);

    public SourceSpan SpanOf(string name) => _decl.Options.TryGetValue(name, out var n) ? RecipeParser.SpanOf(_builder.File, n) : _decl.GenSpan;

    public void Error(string option, string message, string? hint = null) => _builder.Error(SpanOf(option), $"column '{ColumnName}': {message}", hint);

    /// <summary>The option as text with <c>${...}</c> resolved, or null if absent.</summary>
    public string? String(string name)
    {
        if (!_decl.Options.TryGetValue(name, out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } v })
        {
            return _builder.Interpolate(new RawValue(v, SpanOf(name)));
        }

        Error(name, $"'{name}' must be a single value");
        return null;
    }

    public string RequireString(string name)
    {
        var s = String(name);
        if (s is null && !Has(name))
        {
            _builder.Error(_decl.GenSpan, $"column '{ColumnName}': generator '{_factory.Name}' needs '{name}'", OptionHint(name));
        }

        return s ?? string.Empty;
    }

    private string? OptionHint(string name) => _factory.Options.FirstOrDefault(o => o.Name == name)?.Description;

    public double Double(string name, double fallback)
    {
        if (!_decl.Options.TryGetValue(name, out var node) || node is not YamlScalarNode { Value: { } v })
        {
            return fallback;
        }

        var d = _builder.ResolveDouble(new RawValue(v, SpanOf(name)), name);
        if (!double.IsFinite(d))
        {
            Error(name, $"'{name}' is not finite", "use a concrete number");
        }

        return d;
    }

    public double RequireDouble(string name)
    {
        if (!Has(name))
        {
            _builder.Error(_decl.GenSpan, $"column '{ColumnName}': generator '{_factory.Name}' needs '{name}'", OptionHint(name));
            return 0;
        }

        return Double(name, 0);
    }

    public long Long(string name, long fallback)
    {
        if (!_decl.Options.TryGetValue(name, out var node) || node is not YamlScalarNode { Value: { } v })
        {
            return fallback;
        }

        return _builder.ResolveLong(new RawValue(v, SpanOf(name)), name);
    }

    public bool Bool(string name, bool fallback)
    {
        if (!_decl.Options.TryGetValue(name, out var node) || node is not YamlScalarNode { Value: { } v })
        {
            return fallback;
        }

        return _builder.ResolveBool(new RawValue(v, SpanOf(name)), name);
    }

    /// <summary>A timestamp option (ISO 8601, or a date meaning midnight UTC) as µs since epoch.</summary>
    public long? Timestamp(string name)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        if (Formats.TextFormatting.TryParseDate(s, out var days))
        {
            return days * 86_400_000_000L;
        }

        if (Formats.TextFormatting.TryParseTimestamp(s, out var micros))
        {
            return micros;
        }

        Error(name, $"'{s}' is not a date or timestamp", "write 2026-03-14 or 2026-03-14T08:00:00Z");
        return null;
    }

    /// <summary>A date option (YYYY-MM-DD) as days since epoch.</summary>
    public long? Date(string name)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        if (Formats.TextFormatting.TryParseDate(s, out var days))
        {
            return days;
        }

        if (Formats.TextFormatting.TryParseTimestamp(s, out var micros))
        {
            return micros / 86_400_000_000L;
        }

        Error(name, $"'{s}' is not a date", "write dates as YYYY-MM-DD");
        return null;
    }

    /// <summary>A duration option: <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>, or a number of seconds; as µs.</summary>
    public long? Duration(string name)
    {
        var s = String(name);
        if (s is null)
        {
            return null;
        }

        if (Durations.TryParse(s, out var micros))
        {
            return micros;
        }

        Error(name, $"'{s}' is not a duration", "write e.g. 90s, 5m, 2h, 1d or 1h30m");
        return null;
    }

    /// <summary>A list option (YAML sequence of scalars), each with <c>${...}</c> resolved.</summary>
    public IReadOnlyList<string>? StringList(string name)
    {
        if (!_decl.Options.TryGetValue(name, out var node))
        {
            return null;
        }

        if (node is YamlSequenceNode seq)
        {
            return seq.Children.Select(x => x is YamlScalarNode { Value: { } v } ? _builder.Interpolate(new RawValue(v, RecipeParser.SpanOf(_builder.File, x))) : string.Empty).ToList();
        }

        if (node is YamlScalarNode { Value: { } one })
        {
            return [_builder.Interpolate(new RawValue(one, SpanOf(name)))];
        }

        Error(name, $"'{name}' must be a list", "e.g. [a, b, c]");
        return null;
    }

    /// <summary>A mapping option of name → number (e.g. weighted values), in declaration order.</summary>
    public IReadOnlyList<(string Key, double Weight)>? WeightedMap(string name)
    {
        if (!_decl.Options.TryGetValue(name, out var node) || node is not YamlMappingNode map)
        {
            return null;
        }

        var list = new List<(string, double)>();
        foreach (var (k, v) in map.Children)
        {
            var key = ((YamlScalarNode)k).Value ?? string.Empty;
            if (v is YamlScalarNode { Value: { } w } && double.TryParse(_builder.Interpolate(new RawValue(w, RecipeParser.SpanOf(_builder.File, v))), NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) && weight >= 0)
            {
                list.Add((key, weight));
            }
            else
            {
                _builder.Error(RecipeParser.SpanOf(_builder.File, v), $"column '{ColumnName}': the weight of '{key}' must be a number ≥ 0");
            }
        }

        return list;
    }

    public bool IsMapping(string name) => _decl.Options.TryGetValue(name, out var n) && n is YamlMappingNode;

    /// <summary>Compiles an option as an expression in this column's row scope (columns, parent.*, params).</summary>
    public CompiledExpression? Expression(string name)
    {
        if (!_decl.Options.TryGetValue(name, out var node) || node is not YamlScalarNode { Value: { } v })
        {
            return null;
        }

        return _builder.CompileIn(Column.Table, v, RecipeParser.SpanOf(_builder.File, node), Column);
    }

    /// <summary>Compiles each item of a list option as an expression.</summary>
    public IReadOnlyList<CompiledExpression>? ExpressionList(string name)
    {
        if (!_decl.Options.TryGetValue(name, out var node))
        {
            return null;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(name, $"'{name}' must be a list of expressions", "e.g. [parent.admit_time, parent.discharge_time]");
            return null;
        }

        var list = new List<CompiledExpression>();
        foreach (var item in seq.Children)
        {
            if (item is YamlScalarNode { Value: { } text } && _builder.CompileIn(Column.Table, text, RecipeParser.SpanOf(_builder.File, item), Column) is { } c)
            {
                list.Add(c);
            }
        }

        return list.Count == seq.Children.Count ? list : null;
    }

    /// <summary>Finds a table by name for references, reporting an error with a suggestion.</summary>
    public TablePlan? Table(string option)
    {
        var name = String(option);
        if (name is null)
        {
            _builder.Error(_decl.GenSpan, $"column '{ColumnName}': generator '{_factory.Name}' needs '{option}'");
            return null;
        }

        var t = _builder.FindTable(name);
        if (t is null)
        {
            Error(option, $"table '{name}' does not exist", Suggest.DidYouMean(name, _builder.TableNames));
        }

        return t;
    }

    /// <summary>Makes sure another column is compiled (so its type is known); cycles are reported.</summary>
    public void Require(ColumnPlan column) => _builder.EnsureCompiled(column);

    /// <summary>Resolves a path relative to the recipe's directory.</summary>
    public string ResolvePath(string path) => Path.IsPathRooted(path) || _builder.BaseDirectory is null ? path : Path.GetFullPath(Path.Combine(_builder.BaseDirectory, path));
}

/// <summary>Parses durations such as <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>, <c>250ms</c>.</summary>
public static class Durations
{
    public static bool TryParse(string text, out long micros)
    {
        micros = 0;
        var s = text.Trim();
        if (s.Length == 0)
        {
            return false;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            micros = (long)(seconds * 1_000_000);
            return true;
        }

        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i]))
            {
                i++;
            }

            long unit = s[unitStart..i] switch
            {
                "us" => 1,
                "ms" => 1_000,
                "s" => 1_000_000,
                "m" or "min" => 60_000_000,
                "h" => 3_600_000_000,
                "d" => 86_400_000_000,
                "w" => 604_800_000_000,
                _ => 0,
            };
            if (unit == 0)
            {
                return false;
            }

            micros += (long)(n * unit);
        }

        return true;
    }
}
