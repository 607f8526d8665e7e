using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Doppel.Data;
using Doppel.Execution;
using static Doppel.Expressions.ExpressionCompiler;

namespace Doppel.Expressions;

/// <summary>The built-in functions of the expression language. Each is type-checked at compile time.</summary>
internal static class Functions
{
    private delegate (DataType Type, Evaluator Eval) FunctionBinder(CallNode call, DataType[] types, Evaluator[] args);

    private sealed record Fn(int MinArgs, int MaxArgs, bool Random, string Signature, FunctionBinder Bind, bool PlanTimeOnly = false);

    private static readonly Dictionary<string, Fn> Table = new(StringComparer.Ordinal)
    {
        ["lower"] = new(1, 1, false, "lower(text)", (c, t, a) => (DataType.String, MapText(a[0], static (s, d) => s.ToLowerInvariant(d)))),
        ["upper"] = new(1, 1, false, "upper(text)", (c, t, a) => (DataType.String, MapText(a[0], static (s, d) => s.ToUpperInvariant(d)))),
        ["trim"] = new(1, 1, false, "trim(text)", (c, t, a) => (DataType.String, f => { var v = a[0](f); return v.IsNull ? v : Value.FromText(Trim(v.Text)); })),
        ["len"] = new(1, 1, false, "len(text)", (c, t, a) => (DataType.Int, f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Int) : Value.FromInt(TextOf(f, v).Length); })),
        ["str"] = new(1, 1, false, "str(value)", (c, t, a) => (DataType.String, f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.String) : Value.FromText(TextOf(f, v)); })),
        ["concat"] = new(1, 32, false, "concat(a, b, ...)", (c, t, a) =>
        {
            // One scratch array per call site and thread: a call site never nests inside itself.
            var scratch = new ThreadLocal<Value[]>(() => new Value[a.Length]);
            return (DataType.String, f =>
        {
            var values = scratch.Value!;
            for (var i = 0; i < a.Length; i++)
            {
                values[i] = a[i](f);
            }

            return Concat(f, values);
        });
        }),
        ["substr"] = new(2, 3, false, "substr(text, start, length?)", (c, t, a) => (DataType.String, f =>
        {
            var v = a[0](f);
            if (v.IsNull)
            {
                return v;
            }

            var s = v.Text;
            var start = (int)Math.Clamp(a[1](f).Int, 0, s.Length);
            var len = a.Length > 2 ? (int)Math.Clamp(a[2](f).Int, 0, s.Length - start) : s.Length - start;
            return Value.FromText(s.Slice(start, len));
        })),
        ["replace"] = new(3, 3, false, "replace(text, find, with)", (c, t, a) => (DataType.String, f =>
        {
            var v = a[0](f);
            return v.IsNull ? v : Value.FromText(v.Text.ToString().Replace(a[1](f).Text.ToString(), a[2](f).Text.ToString(), StringComparison.Ordinal));
        })),
        ["contains"] = new(2, 2, false, "contains(text, part)", (c, t, a) => (DataType.Bool, f => Value.FromBool(a[0](f).Text.Span.IndexOf(a[1](f).Text.Span, StringComparison.Ordinal) >= 0))),
        ["starts_with"] = new(2, 2, false, "starts_with(text, prefix)", (c, t, a) => (DataType.Bool, f => Value.FromBool(a[0](f).Text.Span.StartsWith(a[1](f).Text.Span, StringComparison.Ordinal)))),
        ["pad"] = new(2, 3, false, "pad(value, width, char?)", (c, t, a) => (DataType.String, f =>
        {
            var v = a[0](f);
            if (v.IsNull)
            {
                return Value.Null(DataType.String);
            }

            var text = TextOf(f, v).Span;
            var width = (int)a[1](f).Int;
            var padChar = a.Length > 2 ? a[2](f).Text.Span[0] : '0';
            if (text.Length >= width)
            {
                return Value.FromText(f.Arena.Copy(text));
            }

            var dest = f.Arena.Rent(width);
            dest[..(width - text.Length)].Fill(padChar);
            text.CopyTo(dest[(width - text.Length)..]);
            return Value.FromText(f.Arena.Commit(width));
        })),
        ["sha256"] = new(1, 1, false, "sha256(text)", (c, t, a) => (DataType.String, f =>
        {
            var v = a[0](f);
            if (v.IsNull)
            {
                return Value.Null(DataType.String);
            }

            var text = TextOf(f, v).Span;
            var max = Encoding.UTF8.GetMaxByteCount(text.Length);
            var utf8 = max <= 1024 ? stackalloc byte[max] : new byte[max];
            var n = Encoding.UTF8.GetBytes(text, utf8);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(utf8[..n], hash);
            var dest = f.Arena.Rent(64);
            Convert.TryToHexStringLower(hash, dest, out _);
            return Value.FromText(f.Arena.Commit(64));
        })),
        ["round"] = new(1, 2, false, "round(number, digits?)", (c, t, a) => (a.Length == 1 ? DataType.Int : DataType.Float, f =>
        {
            var v = a[0](f);
            if (v.IsNull)
            {
                return a.Length == 1 ? Value.Null(DataType.Int) : Value.Null(DataType.Float);
            }

            return a.Length == 1 ? Value.FromInt((long)Math.Round(v.AsDouble, MidpointRounding.AwayFromZero)) : Value.FromFloat(Math.Round(v.AsDouble, (int)a[1](f).Int, MidpointRounding.AwayFromZero));
        })),
        ["floor"] = new(1, 1, false, "floor(number)", (c, t, a) => (DataType.Int, NumToInt(a[0], Math.Floor))),
        ["ceil"] = new(1, 1, false, "ceil(number)", (c, t, a) => (DataType.Int, NumToInt(a[0], Math.Ceiling))),
        ["int"] = new(1, 1, false, "int(number)", (c, t, a) => (DataType.Int, NumToInt(a[0], Math.Truncate))),
        ["float"] = new(1, 1, false, "float(number)", (c, t, a) => (DataType.Float, f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Float) : Value.FromFloat(v.AsDouble); })),
        ["abs"] = new(1, 1, false, "abs(number)", (c, t, a) => (t[0], f => { var v = a[0](f); return v.IsNull ? v : v.Type == DataType.Int ? Value.FromInt(Math.Abs(v.Int)) : Value.FromFloat(Math.Abs(v.Float)); })),
        ["sqrt"] = new(1, 1, false, "sqrt(number)", (c, t, a) => (DataType.Float, MapNum(a[0], Math.Sqrt))),
        ["exp"] = new(1, 1, false, "exp(number)", (c, t, a) => (DataType.Float, MapNum(a[0], Math.Exp))),
        ["log"] = new(1, 1, false, "log(number)", (c, t, a) => (DataType.Float, MapNum(a[0], Math.Log))),
        ["min"] = new(2, 8, false, "min(a, b, ...)", (c, t, a) => MinMax(c, t, a, -1)),
        ["max"] = new(2, 8, false, "max(a, b, ...)", (c, t, a) => MinMax(c, t, a, 1)),
        ["clamp"] = new(3, 3, false, "clamp(x, lo, hi)", (c, t, a) =>
        {
            var type = t.All(x => x == DataType.Int) ? DataType.Int : DataType.Float;
            return (type, f =>
            {
                var x = a[0](f);
                if (x.IsNull)
                {
                    return x;
                }

                return type == DataType.Int ? Value.FromInt(Math.Clamp(x.Int, a[1](f).Int, a[2](f).Int)) : Value.FromFloat(Math.Clamp(x.AsDouble, a[1](f).AsDouble, a[2](f).AsDouble));
            });
        }),
        ["if"] = new(3, 3, false, "if(condition, then, else)", (c, t, a) =>
        {
            Binder.RequireBool(t[0], c.Args[0].Offset, "if()");
            var type = Binder.Unify(t[1], t[2], c.Args[1], c.Args[2], c.Offset);
            var th = Binder.Coerce(t[1], type, a[1]);
            var el = Binder.Coerce(t[2], type, a[2]);
            return (type, f => a[0](f) is { IsNull: false, Bool: true } ? th(f) : el(f));
        }),
        ["coalesce"] = new(2, 8, false, "coalesce(a, b, ...)", (c, t, a) =>
        {
            var type = t.FirstOrDefault(x => true);
            return (type, f =>
            {
                foreach (var e in a)
                {
                    var v = e(f);
                    if (!v.IsNull)
                    {
                        return v;
                    }
                }

                return Value.Null(type);
            });
        }),
        ["is_null"] = new(1, 1, false, "is_null(value)", (c, t, a) => (DataType.Bool, f => Value.FromBool(a[0](f).IsNull))),
        ["hash"] = new(1, 1, false, "hash(value)", (c, t, a) => (DataType.Int, f =>
        {
            var v = a[0](f);
            return Value.FromInt((long)(Seeding.SeedTree.HashName(TextOf(f, v).ToString()) >> 1));
        })),
        ["date"] = new(1, 1, false, "date(timestamp | 'YYYY-MM-DD')", (c, t, a) => (DataType.Date, t[0] switch
        {
            DataType.Timestamp => f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Date) : Value.FromDate(FloorDiv(v.Int, 86_400_000_000L)); },
            DataType.Date => a[0],
            DataType.String => f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Date) : Value.FromDate(ParseDate(v.Text.ToString(), c.Args[0].Offset)); },
            _ => throw new ExpressionException(c.Offset, $"date() needs a timestamp or a text date, not {t[0].Name()}"),
        })),
        ["timestamp"] = new(1, 1, false, "timestamp(date | 'YYYY-MM-DDThh:mm:ssZ')", (c, t, a) => (DataType.Timestamp, t[0] switch
        {
            DataType.Date => f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Timestamp) : Value.FromTimestamp(v.Int * 86_400_000_000L); },
            DataType.Timestamp => a[0],
            DataType.String => f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Timestamp) : Value.FromTimestamp(ParseTimestamp(v.Text.ToString(), c.Args[0].Offset)); },
            _ => throw new ExpressionException(c.Offset, $"timestamp() needs a date or a text timestamp, not {t[0].Name()}"),
        })),
        ["year"] = new(1, 1, false, "year(date|timestamp)", (c, t, a) => DatePart(c, t, a, d => d.Year)),
        ["month"] = new(1, 1, false, "month(date|timestamp)", (c, t, a) => DatePart(c, t, a, d => d.Month)),
        ["day"] = new(1, 1, false, "day(date|timestamp)", (c, t, a) => DatePart(c, t, a, d => d.Day)),
        ["weekday"] = new(1, 1, false, "weekday(date|timestamp) (0 = Monday)", (c, t, a) => DatePart(c, t, a, d => ((int)d.DayOfWeek + 6) % 7)),
        ["hour"] = new(1, 1, false, "hour(timestamp)", (c, t, a) => (DataType.Int, f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Int) : Value.FromInt(FloorMod(v.Int, 86_400_000_000L) / 3_600_000_000L); })),
        ["minute"] = new(1, 1, false, "minute(timestamp)", (c, t, a) => (DataType.Int, f => { var v = a[0](f); return v.IsNull ? Value.Null(DataType.Int) : Value.FromInt(FloorMod(v.Int, 3_600_000_000L) / 60_000_000L); })),
        ["add_days"] = new(2, 2, false, "add_days(date|timestamp, n)", (c, t, a) => AddUnit(c, t, a, 86_400_000_000L)),
        ["add_hours"] = new(2, 2, false, "add_hours(timestamp, n)", (c, t, a) => AddUnit(c, t, a, 3_600_000_000L)),
        ["add_minutes"] = new(2, 2, false, "add_minutes(timestamp, n)", (c, t, a) => AddUnit(c, t, a, 60_000_000L)),
        ["add_seconds"] = new(2, 2, false, "add_seconds(timestamp, n)", (c, t, a) => AddUnit(c, t, a, 1_000_000L)),
        ["diff_days"] = new(2, 2, false, "diff_days(a, b) = a - b in days", (c, t, a) => Diff(c, t, a, 86_400_000_000.0)),
        ["diff_hours"] = new(2, 2, false, "diff_hours(a, b)", (c, t, a) => Diff(c, t, a, 3_600_000_000.0)),
        ["diff_minutes"] = new(2, 2, false, "diff_minutes(a, b)", (c, t, a) => Diff(c, t, a, 60_000_000.0)),
        ["diff_seconds"] = new(2, 2, false, "diff_seconds(a, b)", (c, t, a) => Diff(c, t, a, 1_000_000.0)),
        ["format_date"] = new(2, 2, false, "format_date(date|timestamp, 'yyyyMMdd')", (c, t, a) => (DataType.String, f =>
        {
            var v = a[0](f);
            if (v.IsNull)
            {
                return Value.Null(DataType.String);
            }

            var dt = v.Type == DataType.Date ? DataTypes.FromDays(v.Int).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) : DataTypes.FromMicros(v.Int);
            var dest = f.Arena.Rent(64);
            return dt.TryFormat(dest, out var n, a[1](f).Text.Span, CultureInfo.InvariantCulture) ? Value.FromText(f.Arena.Commit(n)) : Value.FromText(dt.ToString(a[1](f).Text.ToString(), CultureInfo.InvariantCulture));
        })),
        ["rand"] = new(0, 0, true, "rand() in [0, 1)", (c, t, a) => (DataType.Float, f => Value.FromFloat(f.Rng.NextDouble()))),
        ["rand_int"] = new(2, 2, true, "rand_int(min, max) inclusive", (c, t, a) => (DataType.Int, f => Value.FromInt(f.Rng.NextLong(a[0](f).Int, a[1](f).Int)))),
        ["pick"] = new(1, 64, true, "pick(a, b, ...) uniformly", (c, t, a) =>
        {
            var type = t[0];
            for (var i = 1; i < t.Length; i++)
            {
                type = Binder.Unify(type, t[i], c.Args[0], c.Args[i], c.Offset);
            }

            return (type, f => a[f.Rng.NextInt(a.Length)](f).WithType(type));
        }),
        // The one reading of the wall clock: at plan time only (param defaults, ${...}), so a run evaluates it
        // once and the resolved value lands in the manifest's params; row expressions never see the clock.
        ["today"] = new(0, 0, false, "today() = the current UTC date at 00:00Z, as a timestamp (plan time only: param defaults and ${...})", (c, t, a) =>
        {
            var micros = DataTypes.ToMicros(DateTime.UtcNow.Date);
            return (DataType.Timestamp, _ => Value.FromTimestamp(micros));
        }, PlanTimeOnly: true),
        ["json"] = new(0, 64, false, "json('key', value, 'key2', value2, ...)", (c, t, a) =>
        {
            if (a.Length % 2 != 0)
            {
                throw new ExpressionException(c.Offset, "json() takes key/value pairs: json('a', 1, 'b', x)");
            }

            var scratch = new ThreadLocal<StringBuilder>(() => new StringBuilder());
            return (DataType.Json, f => Value.FromJson(Json(f, a, scratch.Value!)));
        }),
    };

    public static IEnumerable<string> Names => Table.Keys;

    public static IEnumerable<string> Signatures => Table.Values.Select(x => x.Signature);

    public static (DataType Type, Evaluator Eval, bool Constant) Bind(CallNode call, Binder binder, IExpressionScope scope)
    {
        if (!Table.TryGetValue(call.Name, out var fn))
        {
            var hint = Doppel.Diagnostics.Suggest.Closest(call.Name, Table.Keys);
            throw new ExpressionException(call.Offset, $"unknown function '{call.Name}'", hint is null ? "see docs/recipes.md for the function list" : $"did you mean '{hint}'?");
        }

        if (call.Args.Count < fn.MinArgs || call.Args.Count > fn.MaxArgs)
        {
            throw new ExpressionException(call.Offset, $"{call.Name}() takes {(fn.MinArgs == fn.MaxArgs ? fn.MinArgs.ToString(CultureInfo.InvariantCulture) : $"{fn.MinArgs} to {fn.MaxArgs}")} arguments, not {call.Args.Count}", $"usage: {fn.Signature}");
        }

        if (fn.Random && !scope.AllowsRowFunctions)
        {
            throw new ExpressionException(call.Offset, $"{call.Name}() is random and cannot be used here", "random functions are allowed in column expressions only");
        }

        if (fn.PlanTimeOnly && scope.AllowsRowFunctions)
        {
            throw new ExpressionException(call.Offset, $"{call.Name}() reads the clock and can be used only at plan time", "use it in a param default, e.g. start: { type: timestamp, default: \"${today()}\" }, and the param in the column");
        }

        var bound = call.Args.Select(binder.Bind).ToArray();
        var (type, eval) = fn.Bind(call, bound.Select(b => b.Type).ToArray(), bound.Select(b => b.Eval).ToArray());
        return (type, eval, !fn.Random && bound.All(b => b.Constant));
    }

    internal static Value Concat(EvalFrame f, Span<Value> values)
    {
        var total = 0;
        Span<int> lengths = stackalloc int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                continue;
            }

            if (!values[i].Type.UsesUtf8())
            {
                values[i] = Value.FromText(TextOf(f, values[i]));
            }

            total += values[i].Text.Length;
        }

        var dest = f.Arena.Rent(total);
        var at = 0;
        foreach (var v in values)
        {
            if (!v.IsNull)
            {
                v.Text.Span.CopyTo(dest[at..]);
                at += v.Text.Length;
            }
        }

        return Value.FromText(f.Arena.Commit(total));
    }

    /// <summary>The text form of any value, written into the arena (no allocation for numbers and dates).</summary>
    internal static ReadOnlyMemory<char> TextOf(EvalFrame? f, Value v)
    {
        if (v.Type.UsesUtf8())
        {
            return v.Text;
        }

        if (f is null)
        {
            return v.ToString().AsMemory();
        }

        var dest = f.Arena.Rent(40);
        int n;
        switch (v.Type)
        {
            case DataType.Int:
                v.Int.TryFormat(dest, out n, default, CultureInfo.InvariantCulture);
                break;
            case DataType.Float:
                v.Float.TryFormat(dest, out n, "R", CultureInfo.InvariantCulture);
                break;
            case DataType.Bool:
                (v.Bool ? "true" : "false").AsSpan().CopyTo(dest);
                n = v.Bool ? 4 : 5;
                break;
            case DataType.Date:
                n = Formats.TextFormatting.WriteDate(v.Int, dest);
                break;
            default:
                n = Formats.TextFormatting.WriteTimestamp(v.Int, dest);
                break;
        }

        return f.Arena.Commit(n);
    }

    private static ReadOnlyMemory<char> Trim(ReadOnlyMemory<char> s)
    {
        var span = s.Span;
        var start = 0;
        while (start < span.Length && char.IsWhiteSpace(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && char.IsWhiteSpace(span[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    private delegate int TextMap(ReadOnlySpan<char> source, Span<char> dest);

    private static Evaluator MapText(Evaluator a, TextMap map) => f =>
    {
        var v = a(f);
        if (v.IsNull)
        {
            return Value.Null(DataType.String);
        }

        var text = TextOf(f, v).Span;
        var dest = f.Arena.Rent(text.Length);
        var n = map(text, dest);
        return Value.FromText(f.Arena.Commit(n));
    };

    private static Evaluator NumToInt(Evaluator a, Func<double, double> op) => f =>
    {
        var v = a(f);
        return v.IsNull ? Value.Null(DataType.Int) : v.Type == DataType.Int ? v : Value.FromInt((long)op(v.Float));
    };

    private static Evaluator MapNum(Evaluator a, Func<double, double> op) => f =>
    {
        var v = a(f);
        return v.IsNull ? Value.Null(DataType.Float) : Value.FromFloat(op(v.AsDouble));
    };

    private static (DataType, Evaluator) MinMax(CallNode c, DataType[] t, Evaluator[] a, int sign)
    {
        var type = t[0];
        for (var i = 1; i < t.Length; i++)
        {
            type = Binder.Unify(type, t[i], c.Args[0], c.Args[i], c.Offset);
        }

        var cmp = Binder.Comparer(type, type, c.Offset);
        var coerced = a.Select((e, i) => Binder.Coerce(t[i], type, e)).ToArray();
        return (type, f =>
        {
            var best = coerced[0](f);
            for (var i = 1; i < coerced.Length; i++)
            {
                var v = coerced[i](f);
                if (best.IsNull || (!v.IsNull && cmp(v, best) * sign > 0))
                {
                    best = v;
                }
            }

            return best;
        });
    }

    private static (DataType, Evaluator) DatePart(CallNode c, DataType[] t, Evaluator[] a, Func<DateOnly, int> part)
    {
        if (t[0] is not (DataType.Date or DataType.Timestamp))
        {
            throw new ExpressionException(c.Offset, $"{c.Name}() needs a date or timestamp, not {t[0].Name()}");
        }

        var isTs = t[0] == DataType.Timestamp;
        return (DataType.Int, f =>
        {
            var v = a[0](f);
            if (v.IsNull)
            {
                return Value.Null(DataType.Int);
            }

            var days = isTs ? FloorDiv(v.Int, 86_400_000_000L) : v.Int;
            return Value.FromInt(part(DataTypes.FromDays(days)));
        });
    }

    private static (DataType, Evaluator) AddUnit(CallNode c, DataType[] t, Evaluator[] a, long unitMicros)
    {
        if (!Binder.IsNumber(t[1]))
        {
            throw new ExpressionException(c.Args[1].Offset, $"{c.Name}() needs a number of units, not {t[1].Name()}");
        }

        switch (t[0])
        {
            case DataType.Timestamp:
                return (DataType.Timestamp, f =>
                {
                    var v = a[0](f);
                    var n = a[1](f);
                    return v.IsNull || n.IsNull ? Value.Null(DataType.Timestamp) : Value.FromTimestamp(v.Int + (long)Math.Round(n.AsDouble * unitMicros));
                });
            case DataType.Date when unitMicros == 86_400_000_000L:
                return (DataType.Date, f =>
                {
                    var v = a[0](f);
                    var n = a[1](f);
                    return v.IsNull || n.IsNull ? Value.Null(DataType.Date) : Value.FromDate(v.Int + (long)n.AsDouble);
                });
            default:
                throw new ExpressionException(c.Offset, $"{c.Name}() needs a {(unitMicros == 86_400_000_000L ? "date or timestamp" : "timestamp")}, not {t[0].Name()}");
        }
    }

    private static (DataType, Evaluator) Diff(CallNode c, DataType[] t, Evaluator[] a, double unitMicros)
    {
        foreach (var (type, i) in t.Select((x, i) => (x, i)))
        {
            if (type is not (DataType.Date or DataType.Timestamp))
            {
                throw new ExpressionException(c.Args[i].Offset, $"{c.Name}() needs dates or timestamps, not {type.Name()}");
            }
        }

        static long Micros(Value v) => v.Type == DataType.Date ? v.Int * 86_400_000_000L : v.Int;
        return (DataType.Float, f =>
        {
            var x = a[0](f);
            var y = a[1](f);
            return x.IsNull || y.IsNull ? Value.Null(DataType.Float) : Value.FromFloat((Micros(x) - Micros(y)) / unitMicros);
        });
    }

    private static ReadOnlyMemory<char> Json(EvalFrame f, Evaluator[] a, StringBuilder sb)
    {
        sb.Clear();
        sb.Append('{');
        for (var i = 0; i < a.Length; i += 2)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            Formats.TextFormatting.AppendJsonString(sb, a[i](f).Text.Span);
            sb.Append(':');
            var v = a[i + 1](f);
            if (v.IsNull)
            {
                sb.Append("null");
            }
            else if (v.Type == DataType.Json)
            {
                sb.Append(v.Text.Span);
            }
            else if (v.Type is DataType.Int or DataType.Float or DataType.Bool)
            {
                sb.Append(TextOf(f, v).Span);
            }
            else
            {
                Formats.TextFormatting.AppendJsonString(sb, TextOf(f, v).Span);
            }
        }

        sb.Append('}');
        var dest = f.Arena.Rent(sb.Length);
        sb.CopyTo(0, dest, sb.Length);
        return f.Arena.Commit(sb.Length);
    }

    internal static long FloorDiv(long a, long b) => a >= 0 ? a / b : ((a + 1) / b) - 1;

    internal static long FloorMod(long a, long b) => a - (FloorDiv(a, b) * b);

    internal static long ParseDate(string s, int offset)
    {
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return DataTypes.ToDays(d);
        }

        throw new ExpressionException(offset, $"'{s}' is not a date", "write dates as YYYY-MM-DD");
    }

    internal static long ParseTimestamp(string s, int offset)
    {
        if (Formats.TextFormatting.TryParseTimestamp(s, out var micros))
        {
            return micros;
        }

        throw new ExpressionException(offset, $"'{s}' is not a timestamp", "write timestamps as ISO 8601 UTC, e.g. 2026-03-14T08:00:00Z");
    }
}
