using System.Globalization;
using Doppel.Data;
using Doppel.Execution;

namespace Doppel.Expressions;

/// <summary>An expression compiled once into a tree of delegates, with its static result type.</summary>
public sealed record CompiledExpression(DataType Type, Evaluator Evaluate, bool IsConstant, string Text)
{
    /// <summary>The value of a constant expression (evaluated without a row).</summary>
    public Value ConstantValue() => Evaluate(EvalFrame.ForConstants());
}

/// <summary>Resolves names in an expression: columns, parent columns, referenced rows, parameters.</summary>
public interface IExpressionScope
{
    /// <summary>Binds a (dotted) name or returns false; may throw <see cref="ExpressionException"/> with a hint.</summary>
    bool TryBind(IReadOnlyList<string> path, int offset, out DataType type, out Evaluator evaluator, out bool isConstant);

    /// <summary>Names offered in "did you mean" hints.</summary>
    IEnumerable<string> KnownNames { get; }

    /// <summary>Whether row-level functions (rand, row) are allowed; false for plan-time constants.</summary>
    bool AllowsRowFunctions { get; }
}

/// <summary>Type-checks an expression and turns it into delegates; nothing is interpreted per row.</summary>
public static class ExpressionCompiler
{
    public static CompiledExpression Compile(string text, IExpressionScope scope)
    {
        var node = Parser.Parse(text);
        var (type, eval, constant) = new Binder(scope).Bind(node);
        if (constant)
        {
            // Fold constants once: the delegate then just returns the value.
            var v = eval(EvalFrame.ForConstants());
            if (v.Type.UsesUtf8() && !v.IsNull)
            {
                var copy = v.Text.ToString().AsMemory();
                v = v.Type == DataType.Json ? Value.FromJson(copy) : Value.FromText(copy);
            }

            eval = _ => v;
        }

        return new CompiledExpression(type, eval, constant, text);
    }

    internal sealed class Binder(IExpressionScope scope)
    {
        public (DataType Type, Evaluator Eval, bool Constant) Bind(Node node) => node switch
        {
            LiteralNode l => BindLiteral(l),
            NameNode n => BindName(n),
            UnaryNode u => BindUnary(u),
            BinaryNode b => BindBinary(b),
            ConditionalNode c => BindConditional(c),
            InNode i => BindIn(i),
            CallNode call => Functions.Bind(call, this, scope),
            _ => throw new ExpressionException(node.Offset, "unsupported expression"),
        };

        private static (DataType, Evaluator, bool) BindLiteral(LiteralNode l)
        {
            var v = l.Value switch
            {
                null => Value.Null(DataType.String),
                long i => Value.FromInt(i),
                double d => Value.FromFloat(d),
                bool b => Value.FromBool(b),
                string s => Value.FromText(s),
                _ => throw new ExpressionException(l.Offset, "unsupported literal"),
            };
            return (v.Type, _ => v, true);
        }

        private (DataType, Evaluator, bool) BindName(NameNode n)
        {
            if (scope.TryBind(n.Path, n.Offset, out var type, out var eval, out var constant))
            {
                return (type, eval, constant);
            }

            var name = string.Join('.', n.Path);
            var hint = Doppel.Diagnostics.Suggest.Closest(name, scope.KnownNames);
            throw new ExpressionException(n.Offset, $"unknown name '{name}'", hint is null ? $"known names: {string.Join(", ", scope.KnownNames.Take(20))}" : $"did you mean '{hint}'?");
        }

        private (DataType, Evaluator, bool) BindUnary(UnaryNode u)
        {
            var (t, e, c) = Bind(u.Operand);
            if (u.Op == "not")
            {
                RequireBool(t, u.Operand.Offset, "'not'");
                return (DataType.Bool, f => { var v = e(f); return v.IsNull ? v : Value.FromBool(!v.Bool); }, c);
            }

            return t switch
            {
                DataType.Int => (t, f => { var v = e(f); return v.IsNull ? v : Value.FromInt(-v.Int); }, c),
                DataType.Float => (t, f => { var v = e(f); return v.IsNull ? v : Value.FromFloat(-v.Float); }, c),
                _ => throw new ExpressionException(u.Offset, $"'-' needs a number, not {t.Name()}"),
            };
        }

        internal static void RequireBool(DataType t, int offset, string what)
        {
            if (t != DataType.Bool)
            {
                throw new ExpressionException(offset, $"{what} needs a bool, not {t.Name()}");
            }
        }

        internal static bool IsNumber(DataType t) => t is DataType.Int or DataType.Float;

        private (DataType, Evaluator, bool) BindBinary(BinaryNode b)
        {
            var (lt, le, lc) = Bind(b.Left);
            var (rt, re, rc) = Bind(b.Right);
            var constant = lc && rc;
            var leftIsNullLiteral = b.Left is LiteralNode { Value: null };
            var rightIsNullLiteral = b.Right is LiteralNode { Value: null };

            switch (b.Op)
            {
                case "and":
                    RequireBool(lt, b.Left.Offset, "'and'");
                    RequireBool(rt, b.Right.Offset, "'and'");
                    return (DataType.Bool, f => Value.FromBool(le(f) is { IsNull: false, Bool: true } && re(f) is { IsNull: false, Bool: true }), constant);
                case "or":
                    RequireBool(lt, b.Left.Offset, "'or'");
                    RequireBool(rt, b.Right.Offset, "'or'");
                    return (DataType.Bool, f => Value.FromBool(le(f) is { IsNull: false, Bool: true } || re(f) is { IsNull: false, Bool: true }), constant);
                case "==" or "!=" when leftIsNullLiteral || rightIsNullLiteral:
                    {
                        var other = leftIsNullLiteral ? re : le;
                        var wantNull = b.Op == "==";
                        return (DataType.Bool, f => Value.FromBool(other(f).IsNull == wantNull), constant);
                    }

                case "==" or "!=" or "<" or "<=" or ">" or ">=":
                    {
                        var cmp = Comparer(lt, rt, b.Offset);
                        var op = b.Op;
                        return (DataType.Bool, f =>
                        {
                            var l = le(f);
                            var r = re(f);
                            if (l.IsNull || r.IsNull)
                            {
                                return Value.FromBool(op == "!=" && l.IsNull != r.IsNull);
                            }

                            var c = cmp(l, r);
                            return Value.FromBool(op switch { "==" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 });
                        }, constant);
                    }

                case "+" when lt.UsesUtf8() || rt.UsesUtf8():
                    return (DataType.String, f =>
                    {
                        var l = le(f);
                        var r = re(f);
                        return Functions.Concat(f, [l, r]);
                    }, constant);
                case "+" or "-" or "*" or "/" or "%":
                    return Arithmetic(b.Op, lt, le, rt, re, b.Offset, constant);
                default:
                    throw new ExpressionException(b.Offset, $"unknown operator '{b.Op}'");
            }
        }

        private static (DataType, Evaluator, bool) Arithmetic(string op, DataType lt, Evaluator le, DataType rt, Evaluator re, int offset, bool constant)
        {
            if (!IsNumber(lt) || !IsNumber(rt))
            {
                var hint = lt is DataType.Timestamp or DataType.Date || rt is DataType.Timestamp or DataType.Date
                    ? "use add_minutes(t, n), add_days(d, n) or diff_minutes(a, b) for dates and times"
                    : null;
                throw new ExpressionException(offset, $"'{op}' needs numbers, not {lt.Name()} and {rt.Name()}", hint);
            }

            if (lt == DataType.Int && rt == DataType.Int && op != "/")
            {
                return (DataType.Int, f =>
                {
                    var l = le(f);
                    var r = re(f);
                    if (l.IsNull || r.IsNull)
                    {
                        return Value.Null(DataType.Int);
                    }

                    return op switch
                    {
                        "+" => Value.FromInt(l.Int + r.Int),
                        "-" => Value.FromInt(l.Int - r.Int),
                        "*" => Value.FromInt(l.Int * r.Int),
                        _ => r.Int == 0 ? Value.Null(DataType.Int) : Value.FromInt(l.Int % r.Int),
                    };
                }, constant);
            }

            return (DataType.Float, f =>
            {
                var l = le(f);
                var r = re(f);
                if (l.IsNull || r.IsNull)
                {
                    return Value.Null(DataType.Float);
                }

                double a = l.AsDouble, b = r.AsDouble;
                return Value.FromFloat(op switch { "+" => a + b, "-" => a - b, "*" => a * b, "/" => a / b, _ => a % b });
            }, constant);
        }

        internal static Func<Value, Value, int> Comparer(DataType lt, DataType rt, int offset)
        {
            if (IsNumber(lt) && IsNumber(rt))
            {
                return lt == DataType.Int && rt == DataType.Int ? (a, b) => a.Int.CompareTo(b.Int) : (a, b) => a.AsDouble.CompareTo(b.AsDouble);
            }

            if (lt.UsesUtf8() && rt.UsesUtf8())
            {
                return (a, b) => a.Text.Span.SequenceCompareTo(b.Text.Span);
            }

            if (lt == rt && lt is DataType.Bool or DataType.Date or DataType.Timestamp)
            {
                return (a, b) => a.Int.CompareTo(b.Int);
            }

            if ((lt, rt) is (DataType.Date, DataType.Timestamp) or (DataType.Timestamp, DataType.Date))
            {
                static long Micros(Value v) => v.Type == DataType.Date ? v.Int * 86_400_000_000L : v.Int;
                return (a, b) => Micros(a).CompareTo(Micros(b));
            }

            throw new ExpressionException(offset, $"cannot compare {lt.Name()} with {rt.Name()}");
        }

        private (DataType, Evaluator, bool) BindConditional(ConditionalNode c)
        {
            var (ct, ce, cc) = Bind(c.Condition);
            RequireBool(ct, c.Condition.Offset, "the condition of '?:'");
            var (at, ae, ac) = Bind(c.WhenTrue);
            var (bt, be, bc) = Bind(c.WhenFalse);
            var type = Unify(at, bt, c.WhenTrue, c.WhenFalse, c.Offset);
            var ae2 = Coerce(at, type, ae);
            var be2 = Coerce(bt, type, be);
            return (type, f => ce(f) is { IsNull: false, Bool: true } ? ae2(f) : be2(f), cc && ac && bc);
        }

        internal static DataType Unify(DataType a, DataType b, Node an, Node bn, int offset)
        {
            if (an is LiteralNode { Value: null })
            {
                return b;
            }

            if (bn is LiteralNode { Value: null } || a == b)
            {
                return a;
            }

            if (IsNumber(a) && IsNumber(b))
            {
                return DataType.Float;
            }

            if (a.UsesUtf8() && b.UsesUtf8())
            {
                return DataType.String;
            }

            throw new ExpressionException(offset, $"both branches must have the same type, not {a.Name()} and {b.Name()}");
        }

        internal static Evaluator Coerce(DataType from, DataType to, Evaluator e)
        {
            if (from == to)
            {
                return e;
            }

            if (from == DataType.Int && to == DataType.Float)
            {
                return f => { var v = e(f); return v.IsNull ? Value.Null(DataType.Float) : Value.FromFloat(v.Int); };
            }

            return f => e(f).WithType(to);
        }

        private (DataType, Evaluator, bool) BindIn(InNode node)
        {
            var (it, ie, ic) = Bind(node.Item);
            var items = node.Set.Select(Bind).ToList();
            var comparers = items.Select(x => Comparer(it, x.Type, node.Offset)).ToArray();
            var evals = items.Select(x => x.Eval).ToArray();
            var negated = node.Negated;
            return (DataType.Bool, f =>
            {
                var v = ie(f);
                if (v.IsNull)
                {
                    return Value.FromBool(negated);
                }

                for (var i = 0; i < evals.Length; i++)
                {
                    var x = evals[i](f);
                    if (!x.IsNull && comparers[i](v, x) == 0)
                    {
                        return Value.FromBool(!negated);
                    }
                }

                return Value.FromBool(negated);
            }, ic && items.All(x => x.Constant));
        }
    }

    internal static string Format(long v) => v.ToString(CultureInfo.InvariantCulture);
}
