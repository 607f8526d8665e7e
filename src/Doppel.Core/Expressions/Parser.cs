namespace Doppel.Expressions;

/// <summary>A recursive-descent parser for the expression language (see docs/recipes.md, "Expressions").</summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _pos;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static Node Parse(string text)
    {
        var tokens = Lexer.Tokenize(text, out var error);
        if (error is { } e)
        {
            throw new ExpressionException(e.Offset, e.Message);
        }

        var p = new Parser(tokens);
        var node = p.ParseTernary();
        if (p.Peek.Kind != TokenKind.End)
        {
            throw new ExpressionException(p.Peek.Offset, $"unexpected '{p.Peek.Text}' after the end of the expression");
        }

        return node;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private bool IsSymbol(string s) => Peek.Kind == TokenKind.Symbol && Peek.Text == s;

    private bool IsKeyword(string s) => Peek.Kind == TokenKind.Identifier && string.Equals(Peek.Text, s, StringComparison.Ordinal);

    private void Expect(string symbol)
    {
        if (!IsSymbol(symbol))
        {
            throw new ExpressionException(Peek.Offset, Peek.Kind == TokenKind.End ? $"expected '{symbol}' but the expression ended" : $"expected '{symbol}' but found '{Peek.Text}'");
        }

        _pos++;
    }

    private Node ParseTernary()
    {
        var cond = ParseOr();
        if (IsSymbol("?"))
        {
            var at = Next().Offset;
            var a = ParseTernary();
            Expect(":");
            var b = ParseTernary();
            return new ConditionalNode(at, cond, a, b);
        }

        return cond;
    }

    private Node ParseOr()
    {
        var left = ParseAnd();
        while (IsSymbol("||") || IsKeyword("or"))
        {
            var at = Next().Offset;
            left = new BinaryNode(at, "or", left, ParseAnd());
        }

        return left;
    }

    private Node ParseAnd()
    {
        var left = ParseNot();
        while (IsSymbol("&&") || IsKeyword("and"))
        {
            var at = Next().Offset;
            left = new BinaryNode(at, "and", left, ParseNot());
        }

        return left;
    }

    private Node ParseNot()
    {
        if (IsSymbol("!") || IsKeyword("not"))
        {
            var at = Next().Offset;
            return new UnaryNode(at, "not", ParseNot());
        }

        return ParseComparison();
    }

    private Node ParseComparison()
    {
        var left = ParseAdditive();
        if (Peek.Kind == TokenKind.Symbol && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
        {
            var op = Next();
            return new BinaryNode(op.Offset, op.Text, left, ParseAdditive());
        }

        var negated = false;
        if (IsKeyword("not") && _tokens[_pos + 1].Kind == TokenKind.Identifier && _tokens[_pos + 1].Text == "in")
        {
            negated = true;
            _pos++;
        }

        if (IsKeyword("in"))
        {
            var at = Next().Offset;
            Expect("(");
            var set = new List<Node>();
            if (!IsSymbol(")"))
            {
                set.Add(ParseTernary());
                while (IsSymbol(","))
                {
                    _pos++;
                    set.Add(ParseTernary());
                }
            }

            Expect(")");
            return new InNode(at, left, set, negated);
        }

        return left;
    }

    private Node ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (IsSymbol("+") || IsSymbol("-"))
        {
            var op = Next();
            left = new BinaryNode(op.Offset, op.Text, left, ParseMultiplicative());
        }

        return left;
    }

    private Node ParseMultiplicative()
    {
        var left = ParseUnary();
        while (IsSymbol("*") || IsSymbol("/") || IsSymbol("%"))
        {
            var op = Next();
            left = new BinaryNode(op.Offset, op.Text, left, ParseUnary());
        }

        return left;
    }

    private Node ParseUnary()
    {
        if (IsSymbol("-"))
        {
            var at = Next().Offset;
            return new UnaryNode(at, "-", ParseUnary());
        }

        return ParsePrimary();
    }

    private Node ParsePrimary()
    {
        var t = Peek;
        switch (t.Kind)
        {
            case TokenKind.Number:
                _pos++;
                return new LiteralNode(t.Offset, t.IsInteger && t.Number is >= long.MinValue and <= long.MaxValue ? (object)long.Parse(t.Text, System.Globalization.CultureInfo.InvariantCulture) : t.Number);
            case TokenKind.String:
                _pos++;
                return new LiteralNode(t.Offset, t.Text);
            case TokenKind.Identifier:
                _pos++;
                switch (t.Text)
                {
                    case "true": return new LiteralNode(t.Offset, true);
                    case "false": return new LiteralNode(t.Offset, false);
                    case "null": return new LiteralNode(t.Offset, null);
                }

                if (IsSymbol("("))
                {
                    _pos++;
                    var args = new List<Node>();
                    if (!IsSymbol(")"))
                    {
                        args.Add(ParseTernary());
                        while (IsSymbol(","))
                        {
                            _pos++;
                            args.Add(ParseTernary());
                        }
                    }

                    Expect(")");
                    return new CallNode(t.Offset, t.Text, args);
                }

                var path = new List<string> { t.Text };
                while (IsSymbol("."))
                {
                    _pos++;
                    if (Peek.Kind != TokenKind.Identifier)
                    {
                        throw new ExpressionException(Peek.Offset, "expected a name after '.'");
                    }

                    path.Add(Next().Text);
                }

                return new NameNode(t.Offset, path);
            case TokenKind.Symbol when t.Text == "(":
                _pos++;
                var inner = ParseTernary();
                Expect(")");
                return inner;
            case TokenKind.End:
                throw new ExpressionException(t.Offset, "the expression ended where a value was expected");
            default:
                throw new ExpressionException(t.Offset, $"unexpected '{t.Text}'");
        }
    }
}

/// <summary>A problem in an expression at a 0-based offset of its text; the planner turns it into a diagnostic with file:line:column.</summary>
public sealed class ExpressionException : Exception
{
    public ExpressionException(int offset, string message, string? hint = null)
        : base(message)
    {
        Offset = offset;
        Hint = hint;
    }

    public ExpressionException()
    {
    }

    public ExpressionException(string message)
        : base(message)
    {
    }

    public ExpressionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Offset { get; }

    public string? Hint { get; }
}
