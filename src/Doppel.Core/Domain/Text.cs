using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>
/// A tiny deterministic sentence builder for free-text narrative columns: pick a template, then
/// resolve each <c>{a|b|c}</c> group to one of its alternatives.
/// </summary>
/// <remarks>
/// Template syntax: literal text with groups <c>{alt1|alt2|…}</c>; groups do not nest, and literal
/// braces and pipes are not supported inside a group. An empty alternative (<c>{very |}</c>) makes a
/// word optional. Check templates once with <see cref="Validate"/>; <see cref="WriteSentence"/> itself
/// does not allocate.
/// </remarks>
public static class Text
{
    /// <summary>Writes one sentence from a randomly chosen template of <paramref name="templateSet"/>.</summary>
    /// <returns>The number of chars written.</returns>
    /// <exception cref="ArgumentException">An empty template set, or the destination is too short for the chosen expansion.</exception>
    public static int WriteSentence(ref Rng rng, ReadOnlySpan<string> templateSet, Span<char> dest)
    {
        if (templateSet.IsEmpty)
        {
            DomainThrow.Argument(nameof(templateSet), "WriteSentence needs at least one template.");
        }

        var template = templateSet[templateSet.Length == 1 ? 0 : rng.NextInt(templateSet.Length)].AsSpan();
        var n = 0;
        while (!template.IsEmpty)
        {
            var open = template.IndexOf('{');
            var literal = open < 0 ? template : template[..open];
            n = Append(literal, dest, n);
            if (open < 0)
            {
                break;
            }

            var rest = template[(open + 1)..];
            var close = rest.IndexOf('}');
            if (close < 0)
            {
                DomainThrow.Argument(nameof(templateSet), "Unclosed '{' in a template.");
            }

            var group = rest[..close];
            var alternatives = group.Count('|') + 1;
            var pick = alternatives == 1 ? 0 : rng.NextInt(alternatives);
            foreach (var range in group.Split('|'))
            {
                if (pick-- == 0)
                {
                    n = Append(group[range], dest, n);
                    break;
                }
            }

            template = rest[(close + 1)..];
        }

        return n;
    }

    /// <summary>Checks a template's braces; returns null when it is well-formed, else a one-line message.</summary>
    public static string? Validate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var inGroup = false;
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{' when inGroup:
                    return $"Nested '{{' at position {i + 1}: groups cannot nest.";
                case '{':
                    inGroup = true;
                    break;
                case '}' when !inGroup:
                    return $"Unmatched '}}' at position {i + 1}.";
                case '}':
                    inGroup = false;
                    break;
            }
        }

        return inGroup ? "Unclosed '{' at the end of the template." : null;
    }

    private static int Append(ReadOnlySpan<char> text, Span<char> dest, int n)
    {
        if (n + text.Length > dest.Length)
        {
            DomainThrow.DestinationTooShort(nameof(WriteSentence), n + text.Length, dest.Length);
        }

        text.CopyTo(dest[n..]);
        return n + text.Length;
    }
}
