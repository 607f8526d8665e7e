using System.Globalization;
using System.Runtime.CompilerServices;
using Doppel.Data;
using Doppel.Execution;
using Doppel.Execution.Columnar;
using Doppel.Expressions;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Generators;

/// <summary>The generic generator library. Domain generators (names, NHS numbers, postcodes…) live in <see cref="DomainGenerators"/>.</summary>
public static class BuiltInGenerators
{
    public static void Register(GeneratorRegistry r)
    {
        r.Add(new GeneratorFactory("sequence", "Consecutive integers: start + row × step (unique by construction).", [new("start", "first value", "1"), new("step", "increment", "1"), new("per_parent", "restart for every parent row (uses the ordinal)", "false")], ctx =>
            new SequenceGenerator(ctx.Long("start", 1), ctx.Long("step", 1), ctx.Bool("per_parent", false))));
        r.Add(new GeneratorFactory("uuid", "Deterministic random UUIDs (version 4 layout).", [], _ => new UuidGenerator()));
        r.Add(new GeneratorFactory("int", "Integers from a distribution.", NumberOptions, ctx => NumberGenerator.Create(ctx, DataType.Int)));
        r.Add(new GeneratorFactory("float", "Floating-point numbers from a distribution.", [.. NumberOptions, new("decimals", "round to this many decimals")], ctx => NumberGenerator.Create(ctx, DataType.Float)));
        r.Add(new GeneratorFactory("bool", "true with probability p.", [new("p", "probability of true", "0.5")], ctx => new BoolGenerator(ctx.Double("p", 0.5))));
        r.Add(new GeneratorFactory("choice", "One of a list of values, uniformly or weighted.", [new("values", "a list [a, b], or a mapping value: weight"), new("weights", "weights for a list of values"), new("file", "a CSV file to read values from"), new("column", "the CSV column holding values"), new("weight_column", "the CSV column holding weights"), new("where", "keep CSV rows where column=value, e.g. kind=type")], ChoiceGenerator.Create));
        r.Add(new GeneratorFactory("date", "Dates uniformly in [min, max].", [new("min", "earliest date (YYYY-MM-DD)"), new("max", "latest date (YYYY-MM-DD)")], DateGenerator.Create));
        r.Add(new GeneratorFactory("timestamp", "UTC timestamps in [min, max] or between two expressions, with optional hour-of-day and weekday profiles.", [new("min", "earliest instant"), new("max", "latest instant"), new("between", "[from, to] expressions, e.g. [parent.admit_time, parent.discharge_time]"), new("hours", "24 hour-of-day weights (diurnal profile)"), new("weekdays", "7 weekday weights, Monday first"), new("precision", "s, ms or us", "s")], TimestampGenerator.Create));
        r.Add(new GeneratorFactory("offset", "A timestamp after another: from + a positive offset (builds ordered chains a ≤ b ≤ c).", [new("from", "the earlier timestamp expression"), new("min", "smallest offset, e.g. 30s", "0s"), new("max", "largest offset, e.g. 2h"), new("mean", "mean offset for dist: exponential"), new("dist", "uniform or exponential", "uniform"), new("precision", "s, ms or us", "s")], OffsetGenerator.Create));
        r.Add(new GeneratorFactory("pattern", "Strings from a pattern: literals, [A-Z] classes, \\d, \\w, and {n} / {m,n} repeats.", [new("pattern", "e.g. '[A-Z]{2}-\\d{4}'")], PatternGenerator.Create));
        r.Add(new GeneratorFactory("ref", "A reference to a random row of another (root) table, computed on demand; other columns read ref_column.other.", [new("table", "the referenced table"), new("column", "the referenced key column"), new("dist", "uniform or zipf", "uniform"), new("s", "zipf exponent", "1.1")], RefGenerator.Create));
        r.Add(new GeneratorFactory("sha256", "Lower-case hex SHA-256 of an expression's text.", [new("of", "the expression to hash, e.g. lower(email)")], ctx =>
        {
            var of = ctx.Expression("of");
            if (of is null)
            {
                ctx.Error("of", "sha256 needs 'of': the expression to hash");
                return null;
            }

            var hash = ExpressionCompiler.Compile("sha256(x)", new SingleValueScope(of));
            return new Sha256Generator(hash.Evaluate, of);
        }));
        DomainGenerators.Register(r);
    }

    private static readonly OptionSpec[] NumberOptions =
    [
        new("dist", "uniform, normal, lognormal, exponential, poisson or zipf", "uniform"),
        new("min", "lower bound (inclusive); clamps other distributions"),
        new("max", "upper bound (inclusive); clamps other distributions"),
        new("mean", "mean (normal, exponential, poisson)"),
        new("stddev", "standard deviation (normal)"),
        new("mu", "log-mean (lognormal)"),
        new("sigma", "log-stddev (lognormal)"),
        new("n", "number of ranks (zipf)"),
        new("s", "exponent (zipf)", "1.1"),
    ];

    /// <summary>Binds the single name <c>x</c> to a compiled expression, for wrapping expressions in functions.</summary>
    internal sealed class SingleValueScope(CompiledExpression inner) : IExpressionScope
    {
        public IEnumerable<string> KnownNames => ["x"];

        public bool AllowsRowFunctions => true;

        public bool TryBind(IReadOnlyList<string> path, int offset, out DataType type, out Evaluator evaluator, out bool isConstant)
        {
            (type, evaluator, isConstant) = (inner.Type, inner.Evaluate, false);
            return path.Count == 1 && path[0] == "x";
        }
    }
}

/// <summary>Lower-case hex SHA-256 of an expression's text; column by column when the expression is a plain text column.</summary>
internal sealed class Sha256Generator(Evaluator hash, CompiledExpression of) : Generator
{
    public override DataType Type => DataType.String;

    public override Value Generate(EvalFrame frame) => hash(frame);

    public override ColumnKernel? CreateKernel(ColumnPlan column) =>
        ColumnarTable.InputColumn(column, of, t => t.UsesUtf8()) is var input and >= 0 ? new Kernel(input) : null;

    private sealed class Kernel(int input) : ColumnKernel
    {
        public override IReadOnlyList<int> Inputs => [input];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            var source = run.Input(input);
            Span<byte> digest = stackalloc byte[32];
            for (var i = 0; i < run.Count; i++)
            {
                if (source.Nulls[i])
                {
                    dest.Nulls[i] = true;
                    dest.Utf8.Commit(i, 0);
                    continue;
                }

                System.Security.Cryptography.SHA256.HashData(source.Utf8.Get(i), digest);
                Convert.TryToHexStringLower(digest, dest.Utf8.Reserve(64), out var written);
                dest.Utf8.Commit(i, written);
            }
        }
    }
}

/// <summary>A generator whose value is a compiled expression.</summary>
public sealed class ExpressionGenerator(DataType type, Evaluator evaluate) : Generator
{
    public override DataType Type => type;

    public override Value Generate(EvalFrame frame) => evaluate(frame);
}

internal sealed class SequenceGenerator(long start, long step, bool perParent) : Generator
{
    public override DataType Type => DataType.Int;

    public override bool UniqueByConstruction => !perParent && step != 0;

    public override Value Generate(EvalFrame frame) => Value.FromInt(start + ((perParent ? frame.Ordinal : frame.Row) * step));

    // Columnar tables are root tables, where a row's ordinal is its row index.
    public override ColumnKernel? CreateKernel(ColumnPlan column) => column.Table.Parent is null ? new SequenceKernel(start, step) : null;

    public override IEnumerable<ContractRule> ImpliedContracts => UniqueByConstruction ? [new ContractRule(string.Empty, string.Empty, ContractKind.Unique, [], "sequence")] : [];
}

internal sealed class UuidGenerator : Generator
{
    public override DataType Type => DataType.String;

    // 122 random bits from the cell stream: collisions are as unlikely as for random v4 UUIDs.
    public override bool UniqueByConstruction => true;

    public override Value Generate(EvalFrame frame)
    {
        var dest = frame.Arena.Rent(36);
        return Value.FromText(frame.Arena.Commit(Write(ref frame.Rng, dest)));
    }

    public override ColumnKernel? CreateKernel(ColumnPlan column) => new CharsKernel(column.Seed, 36, static (ref Rng rng, long _, Span<char> dest) => Write(ref rng, dest));

    private static int Write(ref Rng rng, Span<char> dest)
    {
        Span<byte> b = stackalloc byte[16];
        BitConverter.TryWriteBytes(b, rng.NextULong());
        BitConverter.TryWriteBytes(b[8..], rng.NextULong());
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        const string hex = "0123456789abcdef";
        var j = 0;
        for (var i = 0; i < 16; i++)
        {
            if (i is 4 or 6 or 8 or 10)
            {
                dest[j++] = '-';
            }

            dest[j++] = hex[b[i] >> 4];
            dest[j++] = hex[b[i] & 15];
        }

        return 36;
    }

    public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, ["^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"], "uuid")];
}

internal sealed class BoolGenerator(double p) : Generator
{
    public override DataType Type => DataType.Bool;

    public override Value Generate(EvalFrame frame) => Value.FromBool(frame.Rng.NextDouble() < p);

    public override ColumnKernel? CreateKernel(ColumnPlan column) => new DrawKernel(column.Seed, (ref Rng rng, long _) => Value.FromBool(rng.NextDouble() < p));
}

internal sealed class NumberGenerator : Generator
{
    private readonly DataType _type;
    private readonly string _dist;
    private readonly double _min;
    private readonly double _max;
    private readonly double _a;
    private readonly double _b;
    private readonly int? _decimals;
    private readonly ZipfSampler? _zipf;

    private NumberGenerator(DataType type, string dist, double min, double max, double a, double b, int? decimals, ZipfSampler? zipf)
    {
        (_type, _dist, _min, _max, _a, _b, _decimals, _zipf) = (type, dist, min, max, a, b, decimals, zipf);
    }

    public override DataType Type => _type;

    public override (double Min, double Max)? Range => (_min, _max);

    public static Generator? Create(GeneratorContext ctx, DataType type)
    {
        var dist = ctx.String("dist") ?? "uniform";
        var min = ctx.Double("min", double.NegativeInfinity);
        var max = ctx.Double("max", double.PositiveInfinity);
        double a = 0, b = 0;
        ZipfSampler? zipf = null;
        switch (dist)
        {
            case "uniform":
                if (!ctx.Has("min") || !ctx.Has("max"))
                {
                    ctx.Error("dist", "a uniform number needs 'min' and 'max'", "e.g. { gen: int, min: 1, max: 100 }");
                }

                break;
            case "normal":
                a = ctx.RequireDouble("mean");
                b = ctx.RequireDouble("stddev");
                if (b < 0)
                {
                    ctx.Error("stddev", "stddev must be ≥ 0");
                }

                break;
            case "lognormal":
                a = ctx.RequireDouble("mu");
                b = ctx.RequireDouble("sigma");
                break;
            case "exponential":
            case "poisson":
                a = ctx.RequireDouble("mean");
                if (a < 0)
                {
                    ctx.Error("mean", "mean must be ≥ 0");
                }

                break;
            case "zipf":
                var n = ctx.Long("n", 0);
                if (n <= 0)
                {
                    ctx.Error("n", "zipf needs 'n' ≥ 1 (the number of ranks)");
                    n = 1;
                }

                zipf = new ZipfSampler(n, ctx.Double("s", 1.1));
                break;
            default:
                ctx.Error("dist", $"unknown distribution '{dist}'", Diagnostics.Suggest.DidYouMean(dist, ["uniform", "normal", "lognormal", "exponential", "poisson", "zipf"]));
                return null;
        }

        if (min > max)
        {
            ctx.Error("min", $"min ({min.ToString(CultureInfo.InvariantCulture)}) is greater than max ({max.ToString(CultureInfo.InvariantCulture)})", "swap them");
        }

        int? decimals = ctx.Has("decimals") ? (int)ctx.Long("decimals", 2) : null;
        return new NumberGenerator(type, dist, min, max, a, b, decimals, zipf);
    }

    public override Value Generate(EvalFrame frame) => Draw(ref frame.Rng);

    public override ColumnKernel? CreateKernel(ColumnPlan column) => new DrawKernel(column.Seed, (ref Rng rng, long _) => Draw(ref rng));

    private Value Draw(ref Rng rng)
    {
        double v;
        switch (_dist)
        {
            case "uniform":
                if (_type == DataType.Int)
                {
                    return Value.FromInt(rng.NextLong((long)Math.Ceiling(_min), (long)Math.Floor(_max)));
                }

                v = _min + ((_max - _min) * rng.NextDouble());
                break;
            case "normal": v = Distributions.Normal(ref rng, _a, _b); break;
            case "lognormal": v = Distributions.LogNormal(ref rng, _a, _b); break;
            case "exponential": v = Distributions.Exponential(ref rng, _a); break;
            case "poisson": v = Distributions.Poisson(ref rng, _a); break;
            default: v = _zipf!.Sample(ref rng) + 1; break;
        }

        v = Math.Clamp(v, _min, _max);
        if (_type == DataType.Int)
        {
            return Value.FromInt((long)Math.Round(v, MidpointRounding.AwayFromZero));
        }

        return Value.FromFloat(_decimals is { } d ? Math.Round(v, d, MidpointRounding.AwayFromZero) : v);
    }

    public override IEnumerable<ContractRule> ImpliedContracts
    {
        get
        {
            if (double.IsFinite(_min))
            {
                yield return new ContractRule(string.Empty, string.Empty, ContractKind.Min, [_min.ToString("R", CultureInfo.InvariantCulture)], "generator range");
            }

            if (double.IsFinite(_max))
            {
                yield return new ContractRule(string.Empty, string.Empty, ContractKind.Max, [_max.ToString("R", CultureInfo.InvariantCulture)], "generator range");
            }
        }
    }
}

internal sealed class DateGenerator(long min, long max) : Generator
{
    public override DataType Type => DataType.Date;

    public override (double Min, double Max)? Range => (min, max);

    public static Generator? Create(GeneratorContext ctx)
    {
        var min = ctx.Date("min");
        var max = ctx.Date("max");
        if (min is null || max is null)
        {
            if (!ctx.Has("min") || !ctx.Has("max"))
            {
                ctx.Error("min", "date needs 'min' and 'max'", "e.g. { gen: date, min: 1930-01-01, max: 2020-12-31 }");
            }

            return null;
        }

        if (min > max)
        {
            ctx.Error("min", "min is after max", "swap them");
        }

        return new DateGenerator(min.Value, max.Value);
    }

    public override Value Generate(EvalFrame frame) => Value.FromDate(frame.Rng.NextLong(min, max));

    public override ColumnKernel? CreateKernel(ColumnPlan column) => new DrawKernel(column.Seed, (ref Rng rng, long _) => Value.FromDate(rng.NextLong(min, max)));

    public override IEnumerable<ContractRule> ImpliedContracts =>
    [
        new ContractRule(string.Empty, string.Empty, ContractKind.Min, [Formats.TextFormatting.FormatDate(min)], "generator range"),
        new ContractRule(string.Empty, string.Empty, ContractKind.Max, [Formats.TextFormatting.FormatDate(max)], "generator range"),
    ];
}

internal sealed class TimestampGenerator : Generator
{
    private const long Day = 86_400_000_000L;
    private const long Hour = 3_600_000_000L;
    private readonly long _min;
    private readonly long _max;
    private readonly Evaluator? _from;
    private readonly Evaluator? _to;
    private readonly AliasTable? _hours;
    private readonly double[]? _weekdayWeights;
    private readonly long _precision;
    private readonly string[] _betweenText;
    private readonly long[]? _weekdayCounts;
    private readonly double[]? _weekdayCumulative;

    private TimestampGenerator(long min, long max, Evaluator? from, Evaluator? to, string[] betweenText, AliasTable? hours, double[]? weekdays, long precision)
    {
        (_min, _max, _from, _to, _betweenText, _hours, _weekdayWeights, _precision) = (min, max, from, to, betweenText, hours, weekdays, precision);
        if (weekdays is not null)
        {
            // The range is fixed, so each weekday's count of days and the cumulative weights are computed once, not per row.
            var firstDay = Expressions.Functions.FloorDiv(min, Day);
            var total = Expressions.Functions.FloorDiv(max, Day) - firstDay + 1;
            _weekdayCounts = new long[7];
            for (var w = 0; w < 7; w++)
            {
                _weekdayCounts[w] = total / 7;
            }

            for (var i = 0; i < total % 7; i++)
            {
                _weekdayCounts[WeekdayOf(firstDay + i)]++;
            }

            _weekdayCumulative = new double[7];
            var sum = 0.0;
            for (var w = 0; w < 7; w++)
            {
                sum += weekdays[w] * _weekdayCounts[w];
                _weekdayCumulative[w] = sum;
            }
        }
    }

    public override DataType Type => DataType.Timestamp;

    public override (double Min, double Max)? Range => _from is null ? (_min, _max) : null;

    public static Generator? Create(GeneratorContext ctx)
    {
        var precision = Precision(ctx);
        AliasTable? hours = null;
        if (ctx.StringList("hours") is { } hw)
        {
            var weights = hw.Select(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : -1).ToList();
            if (weights.Count != 24 || weights.Any(w => w < 0) || weights.Sum() <= 0)
            {
                ctx.Error("hours", "hours needs 24 non-negative weights (00:00 to 23:00)");
            }
            else
            {
                hours = new AliasTable(weights);
            }
        }

        double[]? weekdays = null;
        if (ctx.StringList("weekdays") is { } ww)
        {
            weekdays = ww.Select(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : -1).ToArray();
            if (weekdays.Length != 7 || weekdays.Any(w => w < 0) || weekdays.Sum() <= 0)
            {
                ctx.Error("weekdays", "weekdays needs 7 non-negative weights, Monday first");
                weekdays = null;
            }
        }

        if (ctx.Has("between"))
        {
            var between = ctx.ExpressionList("between");
            if (between is null)
            {
                return null;
            }

            if (between.Count != 2 || between.Any(b => b.Type is not (DataType.Timestamp or DataType.Date)))
            {
                ctx.Error("between", "between needs two timestamp expressions: [from, to]", "e.g. between: [parent.admit_time, parent.discharge_time]");
                return null;
            }

            if (hours is not null || weekdays is not null)
            {
                ctx.Error("between", "hours/weekdays profiles apply to min/max ranges, not to 'between'");
            }

            return new TimestampGenerator(0, 0, between[0].Evaluate, between[1].Evaluate, [between[0].Text, between[1].Text], null, null, precision);
        }

        var min = ctx.Timestamp("min");
        var max = ctx.Timestamp("max");
        if (min is null || max is null)
        {
            if (!ctx.Has("min") || !ctx.Has("max"))
            {
                ctx.Error("min", "timestamp needs 'min' and 'max', or 'between'", "e.g. { gen: timestamp, min: 2026-01-01, max: 2026-03-31 }");
            }

            return null;
        }

        if (min > max)
        {
            ctx.Error("min", "min is after max", "swap them");
        }

        return new TimestampGenerator(min.Value, max.Value, null, null, [], hours, weekdays, precision);
    }

    internal static long Precision(GeneratorContext ctx) => (ctx.String("precision") ?? "s") switch
    {
        "s" => 1_000_000,
        "ms" => 1_000,
        "us" => 1,
        var p => Bad(ctx, p),
    };

    private static long Bad(GeneratorContext ctx, string p)
    {
        ctx.Error("precision", $"unknown precision '{p}'", "use s, ms or us");
        return 1_000_000;
    }

    public override Value Generate(EvalFrame frame)
    {
        ref var rng = ref frame.Rng;
        if (_from is not null)
        {
            var a = _from(frame);
            var b = _to!(frame);
            if (a.IsNull || b.IsNull)
            {
                return Value.Null(DataType.Timestamp);
            }

            long lo = AsMicros(a), hi = AsMicros(b);
            // Round inward so the value stays inside the window after truncation to the precision.
            var first = CeilTo(lo, _precision);
            var last = FloorTo(hi, _precision);
            if (last < first)
            {
                return Value.FromTimestamp(lo);
            }

            return Value.FromTimestamp(first + (rng.NextLong(0, (last - first) / _precision) * _precision));
        }

        return Draw(ref rng);
    }

    // Columnar only for min/max ranges: 'between' reads the row's other values through expressions.
    public override ColumnKernel? CreateKernel(ColumnPlan column) => _from is null ? new DrawKernel(column.Seed, (ref Rng rng, long _) => Draw(ref rng)) : null;

    /// <summary>A timestamp in [min, max], with the hour and weekday profiles when given.</summary>
    private Value Draw(ref Rng rng)
    {
        if (_hours is null && _weekdayWeights is null)
        {
            var first = CeilTo(_min, _precision);
            var last = FloorTo(_max, _precision);
            return Value.FromTimestamp(last < first ? _min : first + (rng.NextLong(0, (last - first) / _precision) * _precision));
        }

        // Profiles work on whole days inside [min, max]: pick a day by weekday weight, an hour by
        // the diurnal weights, then a uniform instant in that hour, clamped to the range.
        var firstDay = Expressions.Functions.FloorDiv(_min, Day);
        var lastDay = Expressions.Functions.FloorDiv(_max, Day);
        long day;
        if (_weekdayWeights is null)
        {
            day = rng.NextLong(firstDay, lastDay);
        }
        else
        {
            day = PickWeightedDay(ref rng, firstDay);
        }

        var hour = _hours?.Sample(ref rng) ?? rng.NextInt(24);
        var micros = (day * Day) + (hour * Hour) + (rng.NextLong(0, (Hour / _precision) - 1) * _precision);
        return Value.FromTimestamp(Math.Clamp(micros, _min, _max));
    }

    private long PickWeightedDay(ref Rng rng, long firstDay)
    {
        // Weight each weekday by (its weight × how many such days the range has), then a uniform week.
        var cum = _weekdayCumulative!;
        var u = rng.NextDouble() * cum[6];
        var wd = 0;
        while (wd < 6 && u >= cum[wd])
        {
            wd++;
        }

        var offset = ((wd - WeekdayOf(firstDay)) % 7 + 7) % 7;
        var k = rng.NextLong(0, Math.Max(0, _weekdayCounts![wd] - 1));
        return firstDay + offset + (7 * k);
    }

    private static int WeekdayOf(long day) => (int)((((day + 3) % 7) + 7) % 7);

    private static long AsMicros(Value v) => v.Type == DataType.Date ? v.Int * Day : v.Int;

    internal static long CeilTo(long v, long unit) => -Expressions.Functions.FloorDiv(-v, unit) * unit;

    internal static long FloorTo(long v, long unit) => Expressions.Functions.FloorDiv(v, unit) * unit;

    public override IEnumerable<ContractRule> ImpliedContracts => _from is not null
        ? [new ContractRule(string.Empty, string.Empty, ContractKind.Within, _betweenText, "generator window")]
        : [new ContractRule(string.Empty, string.Empty, ContractKind.Min, [Formats.TextFormatting.FormatTimestamp(_min)], "generator range"), new ContractRule(string.Empty, string.Empty, ContractKind.Max, [Formats.TextFormatting.FormatTimestamp(_max)], "generator range")];
}

internal sealed class OffsetGenerator(CompiledExpression from, long min, long max, double mean, bool exponential, long precision) : Generator
{
    public override DataType Type => DataType.Timestamp;

    public static Generator? Create(GeneratorContext ctx)
    {
        var from = ctx.Expression("from");
        if (from is null)
        {
            if (!ctx.Has("from"))
            {
                ctx.Error("from", "offset needs 'from': the earlier timestamp", "e.g. { gen: offset, from: reported_at, min: 30s, max: 10m }");
            }

            return null;
        }

        if (from.Type is not (DataType.Timestamp or DataType.Date))
        {
            ctx.Error("from", $"'from' must be a timestamp, not {from.Type.Name()}");
            return null;
        }

        var min = ctx.Duration("min") ?? 0;
        var dist = ctx.String("dist") ?? "uniform";
        var max = ctx.Duration("max");
        var mean = ctx.Duration("mean");
        if (min < 0)
        {
            ctx.Error("min", "offsets must be positive: chains are built from positive offsets", "use a min ≥ 0s");
        }

        if (dist == "uniform" && max is null)
        {
            ctx.Error("max", "offset with dist uniform needs 'max'", "e.g. max: 30m");
        }
        else if (dist == "exponential" && mean is null)
        {
            ctx.Error("mean", "offset with dist exponential needs 'mean'", "e.g. mean: 5m");
        }
        else if (dist is not ("uniform" or "exponential"))
        {
            ctx.Error("dist", $"unknown offset dist '{dist}'", "use uniform or exponential");
        }

        if (max is { } mx && mx < min)
        {
            ctx.Error("max", "max is smaller than min");
        }

        return new OffsetGenerator(from, min, max ?? long.MaxValue / 4, mean ?? 0, dist == "exponential", TimestampGenerator.Precision(ctx));
    }

    public override Value Generate(EvalFrame frame)
    {
        var start = from.Evaluate(frame);
        if (start.IsNull)
        {
            return Value.Null(DataType.Timestamp);
        }

        return Value.FromTimestamp(After(start.Type == DataType.Date ? start.Int * 86_400_000_000L : start.Int, ref frame.Rng));
    }

    /// <summary>A positive offset after <paramref name="start"/> (µs), rounded up to the precision so it never falls before it.</summary>
    private long After(long start, ref Rng rng)
    {
        long offset = exponential
            ? min + (long)Math.Min(Distributions.Exponential(ref rng, mean), max - min)
            : rng.NextLong(min, max);
        return TimestampGenerator.CeilTo(start + offset, precision);
    }

    // Column by column when 'from' is a plain timestamp or date column of the row (the usual chain a → b → c).
    public override ColumnKernel? CreateKernel(ColumnPlan column) =>
        ColumnarTable.InputColumn(column, from, t => t is DataType.Timestamp or DataType.Date) is var input and >= 0
            ? new Kernel(this, column.Seed, input, column.Table.Columns[input].Type == DataType.Date)
            : null;

    private sealed class Kernel(OffsetGenerator generator, ulong seed, int input, bool fromDate) : ColumnKernel
    {
        public override IReadOnlyList<int> Inputs => [input];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            var source = run.Input(input);
            for (var i = 0; i < run.Count; i++)
            {
                if (source.Nulls[i])
                {
                    dest.Nulls[i] = true;
                    continue;
                }

                var rng = SeedTree.Cell(seed, run.FirstRow + i);
                var start = source.Int64[i];
                dest.Int64[i] = generator.After(fromDate ? start * 86_400_000_000L : start, ref rng);
            }
        }
    }

    public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.After, [from.Text], "offset chain")];
}

internal sealed class RefGenerator(TablePlan target, int column, ZipfSampler? zipf, int self) : Generator
{
    public override DataType Type => target.Columns[column].Type;

    public static Generator? Create(GeneratorContext ctx)
    {
        var target = ctx.Table("table");
        if (target is null)
        {
            return null;
        }

        if (target.Parent is not null)
        {
            ctx.Error("table", $"table '{target.Name}' is a child table; references can point at root tables only", "reference its root table, or make this table a child of it");
            return null;
        }

        var columnName = ctx.String("column");
        var idx = columnName is null ? 0 : target.IndexOf(columnName);
        if (idx < 0)
        {
            ctx.Error("column", $"table '{target.Name}' has no column '{columnName}'", Diagnostics.Suggest.DidYouMean(columnName!, target.Columns.Select(c => c.Name)));
            return null;
        }

        if (target.Columns.Count == 0)
        {
            return null;
        }

        ctx.Require(target.Columns[idx]);
        ctx.RefTarget = target;
        var dist = ctx.String("dist") ?? "uniform";
        ZipfSampler? zipf = null;
        if (dist == "zipf")
        {
            zipf = new ZipfSampler(target.RootRows ?? 1, ctx.Double("s", 1.1));
        }
        else if (dist != "uniform")
        {
            ctx.Error("dist", $"unknown dist '{dist}'", "use uniform or zipf");
        }

        return new RefGenerator(target, idx, zipf, ctx.Column.Index);
    }

    public override Value Generate(EvalFrame frame)
    {
        var rows = target.RootRows ?? 0;
        if (rows <= 0)
        {
            return Value.Null(Type);
        }

        var k = zipf is not null ? zipf.Sample(ref frame.Rng) : frame.Rng.NextLong(0, rows - 1);
        frame.SetRefIndex(self, k);
        return frame.RefFrame(self).Get(column);
    }

    public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.References, [$"{target.Name}.{target.Columns[column].Name}"], "reference")];
}
