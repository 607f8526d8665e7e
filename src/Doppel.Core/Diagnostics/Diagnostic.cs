using System.Text;

namespace Doppel.Diagnostics;

/// <summary>A place in a source file: 1-based line and column numbers.</summary>
public readonly record struct SourceSpan(string File, int Line, int Column)
{
    public static SourceSpan None(string file) => new(file, 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>One problem found in a recipe: where, what, and how to fix it.</summary>
public sealed record Diagnostic(SourceSpan Where, string Message, string? Hint = null);

/// <summary>Collects diagnostics; parsing and planning report every problem, not just the first.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Count > 0;

    public void Error(SourceSpan where, string message, string? hint = null) => _items.Add(new Diagnostic(where, message, hint));

    /// <summary>Throws a <see cref="RecipeException"/> if anything was reported.</summary>
    public void ThrowIfAny(string? sourceText)
    {
        if (_items.Count > 0)
        {
            throw new RecipeException(_items, sourceText);
        }
    }
}

/// <summary>A recipe could not be used. <see cref="Exception.Message"/> is the full rendered report.</summary>
public sealed class RecipeException : DoppelException
{
    public RecipeException(IReadOnlyList<Diagnostic> diagnostics, string? sourceText)
        : base(Render(diagnostics, sourceText), ExitCodes.UsageError) => Diagnostics = diagnostics;

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Renders diagnostics as <c>file:line:col: error: message</c>, the source line, a caret and a hint.</summary>
    public static string Render(IReadOnlyList<Diagnostic> diagnostics, string? sourceText)
    {
        var lines = sourceText?.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder();
        foreach (var d in diagnostics.OrderBy(d => d.Where.Line).ThenBy(d => d.Where.Column))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            sb.Append(d.Where.ToString()).Append(": error: ").Append(d.Message);
            if (lines is not null && d.Where.Line > 0 && d.Where.Line <= lines.Length)
            {
                var text = lines[d.Where.Line - 1];
                sb.Append('\n').Append("  ").Append(d.Where.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(" | ").Append(text);
                var pad = 2 + d.Where.Line.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 3 + Math.Max(0, d.Where.Column - 1);
                sb.Append('\n').Append(' ', pad).Append('^');
            }

            if (d.Hint is not null)
            {
                sb.Append('\n').Append("  hint: ").Append(d.Hint);
            }
        }

        return sb.ToString();
    }
}

/// <summary>"Did you mean" suggestions by edit distance.</summary>
public static class Suggest
{
    public static string? Closest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(input, c);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }

        return best is not null && bestDistance <= Math.Max(2, input.Length / 3) ? best : null;
    }

    public static string DidYouMean(string input, IEnumerable<string> candidates, string? fallback = null)
    {
        var list = candidates.ToList();
        var closest = Closest(input, list);
        if (closest is not null)
        {
            return $"did you mean '{closest}'?";
        }

        return fallback ?? $"expected one of: {string.Join(", ", list)}";
    }

    public static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
