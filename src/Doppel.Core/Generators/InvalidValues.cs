using System.Globalization;
using Doppel.Data;
using Doppel.Execution;
using Doppel.Seeding;

namespace Doppel.Generators;

/// <summary>
/// Generic labelled faults every column can receive: <c>missing</c> (null), <c>wrong_format</c> (text
/// that does not parse as the column's type or pattern), <c>out_of_range</c> (a number or date beyond the
/// generator's bounds). Generators add domain kinds such as <c>bad_checksum</c>.
/// </summary>
public static class InvalidValues
{
    public const string Missing = "missing";
    public const string WrongFormat = "wrong_format";
    public const string OutOfRange = "out_of_range";

    public static IReadOnlyList<string> GenericKinds(DataType type) => type switch
    {
        DataType.Int or DataType.Float or DataType.Date or DataType.Timestamp => [Missing, OutOfRange],
        DataType.String => [Missing, WrongFormat],
        _ => [Missing],
    };

    public static Value Apply(string kind, Value valid, ref Rng rng, EvalFrame frame, Generator generator)
    {
        switch (kind)
        {
            case Missing:
                return Value.Null(valid.Type);
            case WrongFormat when valid.Type.UsesUtf8():
                {
                    // Replace one character with a symbol that no identifier, code or number format accepts.
                    var text = valid.Text.Span;
                    var dest = frame.Arena.Rent(Math.Max(1, text.Length));
                    text.CopyTo(dest);
                    var at = text.Length == 0 ? 0 : rng.NextInt(text.Length);
                    dest[at] = "#!?*~"[rng.NextInt(5)];
                    return Value.FromText(frame.Arena.Commit(Math.Max(1, text.Length)));
                }

            case OutOfRange:
                {
                    var (min, max) = generator.Range ?? (0, 0);
                    var width = Math.Max(1, max - min);
                    var below = rng.NextBool(0.5);
                    var delta = 1 + Math.Floor(rng.NextDouble() * width);
                    return valid.Type switch
                    {
                        DataType.Int => Value.FromInt(below ? (long)min - (long)delta : (long)max + (long)delta),
                        DataType.Float => Value.FromFloat(below ? min - delta : max + delta),
                        DataType.Date => Value.FromDate(below ? (long)min - (long)delta : (long)max + (long)delta),
                        DataType.Timestamp => Value.FromTimestamp(below ? (long)min - ((long)delta * 1000) : (long)max + ((long)delta * 1000)),
                        _ => valid,
                    };
                }

            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"fault kind '{kind}' is not supported here"));
        }
    }
}
