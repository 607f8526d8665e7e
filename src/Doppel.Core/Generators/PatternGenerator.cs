using Doppel.Data;
using Doppel.Execution;
using Doppel.Execution.Columnar;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Generators;

/// <summary>
/// Strings from a small regex-like pattern: literal characters, classes <c>[A-Z0-9]</c>, <c>\d</c>,
/// <c>\w</c>, <c>\l</c> (lower-case letter), <c>\u</c> (upper-case letter), escapes, and repeats
/// <c>{n}</c>, <c>{m,n}</c>, <c>?</c>. Every output matches the pattern read as a regular expression.
/// </summary>
internal sealed class PatternGenerator : Generator
{
    private readonly (string Chars, int Min, int Max)[] _parts;
    private readonly string _regex;

    private PatternGenerator((string, int, int)[] parts, string regex)
    {
        _parts = parts;
        _regex = regex;
    }

    public override DataType Type => DataType.String;

    public static Generator? Create(GeneratorContext ctx)
    {
        var pattern = ctx.RequireString("pattern");
        try
        {
            return new PatternGenerator(Parse(pattern), "^" + pattern + "$");
        }
        catch (FormatException e)
        {
            ctx.Error("pattern", e.Message, "supported: literals, [A-Z0-9], \\d, \\w, \\l, \\u, {n}, {m,n}, ?");
            return null;
        }
    }

    internal static (string, int, int)[] Parse(string p)
    {
        var parts = new List<(string, int, int)>();
        var i = 0;
        while (i < p.Length)
        {
            string chars;
            var c = p[i];
            if (c == '[')
            {
                var end = p.IndexOf(']', i + 1);
                if (end < 0)
                {
                    throw new FormatException($"'[' at position {i + 1} is not closed");
                }

                chars = ExpandClass(p[(i + 1)..end]);
                i = end + 1;
            }
            else if (c == '\\' && i + 1 < p.Length)
            {
                chars = p[i + 1] switch
                {
                    'd' => "0123456789",
                    'w' => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_",
                    'l' => "abcdefghijklmnopqrstuvwxyz",
                    'u' => "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                    var x => x.ToString(),
                };
                i += 2;
            }
            else if (c is '(' or ')' or '|' or '*' or '+' or '.')
            {
                throw new FormatException($"'{c}' is not supported in generator patterns");
            }
            else
            {
                chars = c.ToString();
                i++;
            }

            int min = 1, max = 1;
            if (i < p.Length && p[i] == '{')
            {
                var end = p.IndexOf('}', i);
                if (end < 0)
                {
                    throw new FormatException($"'{{' at position {i + 1} is not closed");
                }

                var body = p[(i + 1)..end].Split(',');
                if (!int.TryParse(body[0], System.Globalization.CultureInfo.InvariantCulture, out min) || (body.Length > 1 && !int.TryParse(body[1], System.Globalization.CultureInfo.InvariantCulture, out max)))
                {
                    throw new FormatException($"'{{{p[(i + 1)..end]}}}' is not a repeat count");
                }

                if (body.Length == 1)
                {
                    max = min;
                }

                i = end + 1;
            }
            else if (i < p.Length && p[i] == '?')
            {
                min = 0;
                i++;
            }

            if (chars.Length == 0 || min > max || max > 10_000)
            {
                throw new FormatException("empty character class or bad repeat count");
            }

            parts.Add((chars, min, max));
        }

        return parts.ToArray();
    }

    private static string ExpandClass(string body)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                for (var ch = body[i]; ch <= body[i + 2]; ch++)
                {
                    sb.Append(ch);
                }

                i += 2;
            }
            else if (body[i] == '\\' && i + 1 < body.Length)
            {
                sb.Append(body[i + 1] == 'd' ? "0123456789" : body[i + 1].ToString());
                i++;
            }
            else
            {
                sb.Append(body[i]);
            }
        }

        return sb.ToString();
    }

    public override Value Generate(EvalFrame frame)
    {
        var maxLen = 0;
        foreach (var (_, _, max) in _parts)
        {
            maxLen += max;
        }

        var dest = frame.Arena.Rent(maxLen);
        return Value.FromText(frame.Arena.Commit(Write(ref frame.Rng, dest)));
    }

    public override ColumnKernel? CreateKernel(ColumnPlan column) => new CharsKernel(column.Seed, _parts.Sum(p => p.Max), (ref Rng rng, long _, Span<char> dest) => Write(ref rng, dest));

    private int Write(ref Rng rng, Span<char> dest)
    {
        var n = 0;
        foreach (var (chars, min, max) in _parts)
        {
            var count = min == max ? min : (int)rng.NextLong(min, max);
            for (var k = 0; k < count; k++)
            {
                dest[n++] = chars.Length == 1 ? chars[0] : chars[rng.NextInt(chars.Length)];
            }
        }

        return n;
    }

    public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, [_regex], "pattern")];
}
