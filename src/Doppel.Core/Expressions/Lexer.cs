using System.Globalization;

namespace Doppel.Expressions;

internal enum TokenKind
{
    End,
    Number,
    String,
    Identifier,
    Symbol,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Offset, double Number = 0, bool IsInteger = false);

/// <summary>Splits an expression into tokens; offsets are 0-based within the expression text.</summary>
internal static class Lexer
{
    private static readonly string[] Symbols = ["==", "!=", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%", "<", ">", "(", ")", ",", ".", "?", ":", "!", "[", "]"];

    public static List<Token> Tokenize(string text, out (int Offset, string Message)? error)
    {
        var tokens = new List<Token>();
        error = null;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsAsciiDigit(c))
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                var isInt = true;
                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    isInt = false;
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    isInt = false;
                    i++;
                    if (i < text.Length && (text[i] == '+' || text[i] == '-'))
                    {
                        i++;
                    }

                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                var raw = text[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                {
                    error = (start, $"'{raw}' is not a number");
                    return tokens;
                }

                tokens.Add(new Token(TokenKind.Number, raw, start, number, isInt));
                continue;
            }

            if (c == '\'' || c == '"')
            {
                var start = i;
                i++;
                var sb = new System.Text.StringBuilder();
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        var n = text[i + 1];
                        sb.Append(n switch { 'n' => '\n', 't' => '\t', _ => n });
                        i += 2;
                        continue;
                    }

                    if (text[i] == c)
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    sb.Append(text[i]);
                    i++;
                }

                if (!closed)
                {
                    error = (start, "string literal is not closed");
                    return tokens;
                }

                tokens.Add(new Token(TokenKind.String, sb.ToString(), start));
                continue;
            }

            if (char.IsLetter(c) || c == '_' || c == '$')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_' || text[i] == '$'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Identifier, text[start..i], start));
                continue;
            }

            var matched = false;
            foreach (var s in Symbols)
            {
                if (string.CompareOrdinal(text, i, s, 0, s.Length) == 0)
                {
                    tokens.Add(new Token(TokenKind.Symbol, s, i));
                    i += s.Length;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                error = (i, $"unexpected character '{c}'");
                return tokens;
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length));
        return tokens;
    }
}
