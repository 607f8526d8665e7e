using System.Globalization;
using System.Runtime.CompilerServices;
using Doppel.Data;
using Doppel.Execution;
using Doppel.Execution.Columnar;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Generators;

/// <summary>One of a fixed set of values, uniformly or by weight, from the recipe or from a CSV file.</summary>
internal sealed class ChoiceGenerator : Generator
{
    private readonly Value[] _values;
    private readonly AliasTable? _weights;
    private readonly DataType _type;

    private ChoiceGenerator(DataType type, Value[] values, AliasTable? weights)
    {
        _type = type;
        _values = values;
        _weights = weights;
    }

    public override DataType Type => _type;

    public static Generator? Create(GeneratorContext ctx)
    {
        var type = ctx.DeclaredType ?? DataType.String;
        List<string> values;
        List<double>? weights = null;
        if (ctx.Has("file"))
        {
            var loaded = LoadFile(ctx);
            if (loaded is null)
            {
                return null;
            }

            (values, weights) = loaded.Value;
        }
        else if (ctx.IsMapping("values"))
        {
            var map = ctx.WeightedMap("values") ?? [];
            values = map.Select(x => x.Key).ToList();
            weights = map.Select(x => x.Weight).ToList();
        }
        else
        {
            values = ctx.StringList("values")?.ToList() ?? [];
            if (ctx.StringList("weights") is { } ws)
            {
                weights = [];
                foreach (var w in ws)
                {
                    if (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d < 0)
                    {
                        ctx.Error("weights", $"weight '{w}' is not a number ≥ 0");
                        return null;
                    }

                    weights.Add(d);
                }

                if (weights.Count != values.Count)
                {
                    ctx.Error("weights", $"{weights.Count} weights for {values.Count} values", "give one weight per value");
                    return null;
                }
            }
        }

        if (values.Count == 0)
        {
            ctx.Error(ctx.Has("values") ? "values" : "file", "choice needs at least one value", "e.g. values: [A, B, C] or values: { A: 5, B: 1 }");
            return null;
        }

        if (weights is not null && weights.Sum() <= 0)
        {
            ctx.Error("weights", "weights must not all be zero");
            return null;
        }

        var typed = new Value[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var parsed = Parse(values[i], type);
            if (parsed is null)
            {
                ctx.Error("values", $"'{values[i]}' is not a valid {type.Name()}");
                return null;
            }

            typed[i] = parsed.Value;
        }

        return new ChoiceGenerator(type, typed, weights is null ? null : new AliasTable(weights));
    }

    private static (List<string>, List<double>?)? LoadFile(GeneratorContext ctx)
    {
        var path = ctx.ResolvePath(ctx.RequireString("file"));
        var column = ctx.String("column");
        var weightColumn = ctx.String("weight_column");
        var where = ctx.String("where");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Error("file", $"cannot read '{path}': {e.Message}");
            return null;
        }

        var rows = Validation.SimpleCsv.Parse(lines);
        if (rows.Count == 0)
        {
            ctx.Error("file", $"'{path}' is empty", "the first line must be a header");
            return null;
        }

        var header = rows[0];
        int Col(string? name, string option)
        {
            if (name is null)
            {
                return 0;
            }

            var i = Array.IndexOf(header, name);
            if (i < 0)
            {
                ctx.Error(option, $"'{path}' has no column '{name}'", $"its columns: {string.Join(", ", header)}");
            }

            return i;
        }

        var vc = Col(column, "column");
        var wc = weightColumn is null ? -1 : Col(weightColumn, "weight_column");
        int filterCol = -1;
        string? filterValue = null;
        if (where is not null)
        {
            var eq = where.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                ctx.Error("where", $"'{where}' is not column=value");
                return null;
            }

            filterCol = Col(where[..eq].Trim(), "where");
            filterValue = where[(eq + 1)..].Trim();
        }

        if (vc < 0 || (weightColumn is not null && wc < 0) || (where is not null && filterCol < 0))
        {
            return null;
        }

        var values = new List<string>();
        var weights = wc >= 0 ? new List<double>() : null;
        for (var r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Length != header.Length)
            {
                ctx.Error("file", $"{path}:{r + 1}: expected {header.Length} fields, found {row.Length}", "fix the CSV row");
                return null;
            }

            if (filterCol >= 0 && !string.Equals(row[filterCol], filterValue, StringComparison.Ordinal))
            {
                continue;
            }

            values.Add(row[vc]);
            if (weights is not null)
            {
                if (!double.TryParse(row[wc], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || w < 0)
                {
                    ctx.Error("file", $"{path}:{r + 1}: weight '{row[wc]}' is not a number ≥ 0");
                    return null;
                }

                weights.Add(w);
            }
        }

        if (values.Count == 0)
        {
            ctx.Error("where", $"no rows of '{path}' match '{where}'");
            return null;
        }

        return (values, weights);
    }

    internal static Value? Parse(string text, DataType type) => ValueText.TryParse(text, type, out var v) ? v : null;

    public override Value Generate(EvalFrame frame) => Pick(ref frame.Rng);

    public override ColumnKernel? CreateKernel(ColumnPlan column) =>
        _type.UsesUtf8() && _values.All(v => !v.IsNull)
            ? new TextKernel(this, column.Seed, new Utf8StringTable([.. _values.Select(v => v.Text.ToString())]))
            : new DrawKernel(column.Seed, (ref Rng rng, long _) => Pick(ref rng));

    private Value Pick(ref Rng rng) => _values[PickIndex(ref rng)];

    private int PickIndex(ref Rng rng) => _weights is null ? rng.NextInt(_values.Length) : _weights.Sample(ref rng);

    /// <summary>Text choices stored from pre-encoded UTF-8.</summary>
    private sealed class TextKernel(ChoiceGenerator choice, ulong seed, Utf8StringTable values) : ColumnKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            for (var i = 0; i < run.Count; i++)
            {
                var rng = SeedTree.Cell(seed, run.FirstRow + i);
                values.CopyTo(dest.Utf8, i, choice.PickIndex(ref rng));
            }
        }
    }

    public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.Values, _values.Select(v => v.ToString()).Distinct(StringComparer.Ordinal).ToList(), "choice")];
}
