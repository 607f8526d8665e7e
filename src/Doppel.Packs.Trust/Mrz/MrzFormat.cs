using System.Globalization;
using System.Text;

namespace Doppel.Packs.Trust.Mrz;

/// <summary>The three machine-readable travel document sizes (Doc 9303 Parts 4–6).</summary>
public enum DocumentFormat
{
    /// <summary>Passport booklet: 2 lines × 44 characters.</summary>
    Td3,

    /// <summary>Official travel document: 2 lines × 36 characters.</summary>
    Td2,

    /// <summary>ID card: 3 lines × 30 characters.</summary>
    Td1,
}

/// <summary>The data printed in a machine-readable zone, before formatting.</summary>
/// <param name="DocumentCode">Two characters, e.g. <c>P&lt;</c> or <c>I&lt;</c>.</param>
/// <param name="IssuingState">ICAO code as in the MRZ, 1–3 letters (e.g. <c>D</c>, <c>FRA</c>).</param>
/// <param name="Nationality">ICAO code of the holder's nationality.</param>
/// <param name="PrimaryIdentifier">Surname(s), any script the transliteration table covers.</param>
/// <param name="SecondaryIdentifier">Given name(s); may be empty.</param>
/// <param name="DocumentNumber">Up to 9 characters (TD1 allows longer numbers).</param>
/// <param name="DateOfBirth">Date of birth (a real calendar date).</param>
/// <param name="DateOfExpiry">Date of expiry.</param>
/// <param name="Sex">'F', 'M' or '&lt;'.</param>
/// <param name="OptionalData">Personal number / optional data, already in MRZ characters; may be empty.</param>
public sealed record MrzData(
    string DocumentCode,
    string IssuingState,
    string Nationality,
    string PrimaryIdentifier,
    string SecondaryIdentifier,
    string DocumentNumber,
    DateOnly DateOfBirth,
    char Sex,
    DateOnly DateOfExpiry,
    string OptionalData);

/// <summary>
/// ICAO Doc 9303 MRZ formatting and checking (domain reference §3): check digits (7-3-1, §3.2),
/// TD1/TD2/TD3 layouts (§3.3–3.5), transliteration and truncation of names (§3.8).
/// </summary>
public static class MrzFormat
{
    private static readonly int[] Weights = [7, 3, 1];

    /// <summary>Doc 9303-3 transliteration of Latin national characters that are not a plain "drop the diacritic" (§3.8).</summary>
    private static readonly Dictionary<char, string> Special = new()
    {
        ['Ä'] = "AE", ['Å'] = "AA", ['Æ'] = "AE", ['Ö'] = "OE", ['Ø'] = "OE", ['Ü'] = "UE",
        ['ß'] = "SS", ['ẞ'] = "SS", ['Þ'] = "TH", ['Œ'] = "OE", ['Ĳ'] = "IJ", ['Ð'] = "D",
        ['Đ'] = "D", ['Ħ'] = "H", ['Ł'] = "L", ['Ŀ'] = "L", ['ı'] = "I", ['Ŧ'] = "T", ['Ŋ'] = "N",
        ['ĸ'] = "K",
    };

    /// <summary>
    /// Upper-case Latin letters with diacritics → base letter (Doc 9303-3: "drop the diacritic"). An explicit
    /// table, because string normalisation is unavailable with InvariantGlobalization.
    /// </summary>
    private static readonly (string Letters, char Base)[] Diacritics =
    [
        ("ÀÁÂÃĀĂĄǍȀȂȦ", 'A'), ("ÇĆĈĊČ", 'C'), ("ĎḌ", 'D'), ("ÈÉÊËĒĔĖĘĚȄȆ", 'E'), ("ĜĞĠĢǦ", 'G'), ("ĤḤ", 'H'),
        ("ÌÍÎÏĨĪĬĮİǏȈȊ", 'I'), ("Ĵ", 'J'), ("ĶǨ", 'K'), ("ĹĻĽ", 'L'), ("ÑŃŅŇǸ", 'N'), ("ÒÓÔÕŌŎŐƠǑȌȎȮ", 'O'),
        ("ŔŖŘ", 'R'), ("ŚŜŞŠȘṢ", 'S'), ("ŢŤȚṬ", 'T'), ("ÙÚÛŨŪŬŮŰŲƯǓǕǗǙǛ", 'U'), ("Ŵ", 'W'), ("ÝŶŸȲ", 'Y'), ("ŹŻŽ", 'Z'),
    ];

    private static char? BaseLetter(char c)
    {
        foreach ((string letters, char b) in Diacritics)
        {
            if (letters.Contains(c, StringComparison.Ordinal))
            {
                return b;
            }
        }

        // Latin Extended Additional (Vietnamese etc.), U+1EA0–U+1EF9, grouped by base letter.
        return c switch
        {
            >= '\u1EA0' and <= '\u1EB7' => 'A',
            >= '\u1EB8' and <= '\u1EC7' => 'E',
            >= '\u1EC8' and <= '\u1ECB' => 'I',
            >= '\u1ECC' and <= '\u1EE3' => 'O',
            >= '\u1EE4' and <= '\u1EF1' => 'U',
            >= '\u1EF2' and <= '\u1EF9' => 'Y',
            _ => null,
        };
    }

    /// <summary>Value of one MRZ character for check digits: 0–9, A=10 … Z=35, &lt;=0.</summary>
    public static int CharValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        '<' => 0,
        _ => throw new ArgumentException($"'{c}' is not an MRZ character (A-Z, 0-9, <).", nameof(c)),
    };

    /// <summary>Modulus-10 check digit with repeating weights 7, 3, 1 (Doc 9303-3).</summary>
    public static int CheckDigit(ReadOnlySpan<char> field)
    {
        int sum = 0;
        for (int i = 0; i < field.Length; i++)
        {
            sum += CharValue(field[i]) * Weights[i % 3];
        }

        return sum % 10;
    }

    /// <summary>The check digit as a character.</summary>
    public static char CheckChar(ReadOnlySpan<char> field) => (char)('0' + CheckDigit(field));

    /// <summary>
    /// Upper-cases and transliterates a name into MRZ characters: diacritics dropped except the
    /// Doc 9303 digraphs (Ä→AE, Ø→OE, ß→SS …), apostrophes removed, spaces/hyphens/commas → '&lt;'.
    /// </summary>
    public static string Transliterate(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        foreach (char raw in name)
        {
            char c = char.ToUpperInvariant(raw);
            if (c is >= 'A' and <= 'Z')
            {
                sb.Append(c);
            }
            else if (c is ' ' or '-' or ',' or '<')
            {
                if (sb.Length > 0 && sb[^1] != '<')
                {
                    sb.Append('<');
                }
            }
            else if (Special.TryGetValue(c, out string? replacement) || Special.TryGetValue(raw, out replacement))
            {
                sb.Append(replacement);
            }
            else if (BaseLetter(c) is char letter)
            {
                sb.Append(letter);
            }

            // Anything else (apostrophes, dots, unsupported scripts) is omitted.
        }

        return sb.ToString().Trim('<');
    }

    /// <summary>
    /// Formats the name field of width <paramref name="width"/> (TD3 39, TD2 31, TD1 30), truncating per
    /// §3.8: primary capped at width−8, the field ends with a letter, "&lt;&lt;" + ≥1 secondary letter kept.
    /// Returns null when truncation would create "&lt;&lt;" inside the secondary identifier (caller picks another name).
    /// </summary>
    public static string? FormatName(string primary, string secondary, int width, out bool truncated)
    {
        string p = Transliterate(primary);
        string s = Transliterate(secondary);
        string full = s.Length > 0 ? p + "<<" + s : p;
        truncated = false;
        if (full.Length <= width)
        {
            return full.PadRight(width, '<');
        }

        truncated = true;
        if (p.Length > width - 8 && s.Length > 0)
        {
            p = p[..(width - 8)].TrimEnd('<');
            full = p + "<<" + s;
            if (full.Length <= width)
            {
                return full.PadRight(width, '<');
            }
        }

        string cut = full[..width];
        if (cut[^1] == '<')
        {
            char next = full[width];
            if (next == '<')
            {
                return null;
            }

            cut = string.Concat(cut.AsSpan(0, width - 2), "<", next.ToString());
        }

        int separator = cut.IndexOf("<<", StringComparison.Ordinal);
        if (separator >= 0 && cut.IndexOf("<<", separator + 2, StringComparison.Ordinal) >= 0)
        {
            return null; // step 5 of §3.8: would leave "<<" inside the given names
        }

        return cut;
    }

    /// <summary>YYMMDD as printed in the MRZ.</summary>
    public static string Date(DateOnly date) => date.ToString("yyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Pads an ICAO code (e.g. "D") to three characters ("D&lt;&lt;").</summary>
    public static string Code3(string icaoCode) => icaoCode.PadRight(3, '<');

    /// <summary>Formats the full MRZ; returns null only when the name cannot be formatted (see <see cref="FormatName"/>).</summary>
    public static string[]? Format(DocumentFormat format, MrzData d) => format switch
    {
        DocumentFormat.Td3 => FormatTd3(d),
        DocumentFormat.Td2 => FormatTd2(d),
        _ => FormatTd1(d),
    };

    private static string[]? FormatTd3(MrzData d)
    {
        string? name = FormatName(d.PrimaryIdentifier, d.SecondaryIdentifier, 39, out _);
        if (name is null)
        {
            return null;
        }

        string line1 = d.DocumentCode.PadRight(2, '<') + Code3(d.IssuingState) + name;
        string doc = d.DocumentNumber.PadRight(9, '<');
        string optional = d.OptionalData.PadRight(14, '<');
        char optionalCheck = optional.All(c => c == '<') ? '<' : CheckChar(optional);
        string dob = Date(d.DateOfBirth);
        string exp = Date(d.DateOfExpiry);
        string body = doc + CheckChar(doc) + Code3(d.Nationality) + dob + CheckChar(dob) + d.Sex + exp + CheckChar(exp) + optional + optionalCheck;
        return [line1, body + CompositeTd3(body)];
    }

    private static string[]? FormatTd2(MrzData d)
    {
        string? name = FormatName(d.PrimaryIdentifier, d.SecondaryIdentifier, 31, out _);
        if (name is null)
        {
            return null;
        }

        string line1 = d.DocumentCode.PadRight(2, '<') + Code3(d.IssuingState) + name;
        string doc = d.DocumentNumber.PadRight(9, '<');
        string dob = Date(d.DateOfBirth);
        string exp = Date(d.DateOfExpiry);
        string body = doc + CheckChar(doc) + Code3(d.Nationality) + dob + CheckChar(dob) + d.Sex + exp + CheckChar(exp) + d.OptionalData.PadRight(7, '<');
        string composite = string.Concat(body.AsSpan(0, 10), body.AsSpan(13, 7), body.AsSpan(21, 14));
        return [line1, body + CheckChar(composite)];
    }

    private static string[]? FormatTd1(MrzData d)
    {
        string? name = FormatName(d.PrimaryIdentifier, d.SecondaryIdentifier, 30, out _);
        if (name is null)
        {
            return null;
        }

        string number = d.DocumentNumber;
        string docPart;
        string optional1;
        if (number.Length <= 9)
        {
            string doc = number.PadRight(9, '<');
            docPart = doc + CheckChar(doc);
            optional1 = d.OptionalData;
        }
        else
        {
            // Long document number: first 9 in the field, '<' as check digit, rest + check digit + '<' in optional data (§3.5).
            docPart = number[..9] + "<";
            optional1 = number[9..] + CheckChar(number) + "<" + d.OptionalData;
        }

        string line1 = d.DocumentCode.PadRight(2, '<') + Code3(d.IssuingState) + docPart + optional1.PadRight(15, '<');
        string dob = Date(d.DateOfBirth);
        string exp = Date(d.DateOfExpiry);
        string line2Body = dob + CheckChar(dob) + d.Sex + exp + CheckChar(exp) + Code3(d.Nationality) + new string('<', 11);
        string composite = string.Concat(line1.AsSpan(5, 25), line2Body.AsSpan(0, 7), line2Body.AsSpan(8, 7), line2Body.AsSpan(18, 11));
        return [line1, line2Body + CheckChar(composite), name];
    }

    private static char CompositeTd3(string line2Body)
    {
        string composite = string.Concat(line2Body.AsSpan(0, 10), line2Body.AsSpan(13, 7), line2Body.AsSpan(21, 22));
        return CheckChar(composite);
    }

    /// <summary>
    /// Checks every check digit of a formatted MRZ and returns the names of the failing ones
    /// (empty list = valid). Also reports characters outside the MRZ alphabet and wrong line lengths.
    /// </summary>
    public static IReadOnlyList<string> Verify(IReadOnlyList<string> lines)
    {
        var failures = new List<string>();
        foreach (string line in lines)
        {
            if (line.Any(c => c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '<')))
            {
                failures.Add("character set");
                return failures;
            }
        }

        if (lines.Count == 2 && lines[0].Length == 44 && lines[1].Length == 44)
        {
            string l2 = lines[1];
            Check(failures, "document number", l2.AsSpan(0, 9), l2[9]);
            Check(failures, "date of birth", l2.AsSpan(13, 6), l2[19]);
            Check(failures, "date of expiry", l2.AsSpan(21, 6), l2[27]);
            if (!(l2[42] == '<' && l2.AsSpan(28, 14).IndexOfAnyExcept('<') < 0))
            {
                Check(failures, "optional data", l2.AsSpan(28, 14), l2[42]);
            }

            Check(failures, "composite", string.Concat(l2.AsSpan(0, 10), l2.AsSpan(13, 7), l2.AsSpan(21, 22)), l2[43]);
        }
        else if (lines.Count == 2 && lines[0].Length == 36 && lines[1].Length == 36)
        {
            string l2 = lines[1];
            Check(failures, "document number", l2.AsSpan(0, 9), l2[9]);
            Check(failures, "date of birth", l2.AsSpan(13, 6), l2[19]);
            Check(failures, "date of expiry", l2.AsSpan(21, 6), l2[27]);
            Check(failures, "composite", string.Concat(l2.AsSpan(0, 10), l2.AsSpan(13, 7), l2.AsSpan(21, 14)), l2[35]);
        }
        else if (lines.Count == 3 && lines.All(l => l.Length == 30))
        {
            string l1 = lines[0];
            string l2 = lines[1];
            if (l1[14] == '<')
            {
                // Long document number continues in the optional data up to the first '<'; its last char is the check digit.
                string rest = l1[15..];
                int end = rest.IndexOf('<', StringComparison.Ordinal);
                if (end < 1)
                {
                    failures.Add("document number");
                }
                else
                {
                    string number = string.Concat(l1.AsSpan(5, 9), rest.AsSpan(0, end - 1));
                    Check(failures, "document number", number, rest[end - 1]);
                }
            }
            else
            {
                Check(failures, "document number", l1.AsSpan(5, 9), l1[14]);
            }

            Check(failures, "date of birth", l2.AsSpan(0, 6), l2[6]);
            Check(failures, "date of expiry", l2.AsSpan(8, 6), l2[14]);
            Check(failures, "composite", string.Concat(l1.AsSpan(5, 25), l2.AsSpan(0, 7), l2.AsSpan(8, 7), l2.AsSpan(18, 11)), l2[29]);
        }
        else
        {
            failures.Add("layout");
        }

        return failures;
    }

    private static void Check(List<string> failures, string name, ReadOnlySpan<char> field, char digit)
    {
        if (digit is < '0' or > '9' || CheckDigit(field) != digit - '0')
        {
            failures.Add(name);
        }
    }
}

/// <summary>Deliberate MRZ corruptions for negative cases.</summary>
internal static class MrzFaults
{
    /// <summary>
    /// Replaces the document-number check digit by a wrong one and recomputes the composite over the
    /// changed characters, so exactly one check digit fails (a realistic single misprint).
    /// </summary>
    public static string[] WrongDocumentCheckDigit(DocumentFormat format, string[] lines)
    {
        string[] result = (string[])lines.Clone();
        if (format == DocumentFormat.Td1)
        {
            char[] l1 = result[0].ToCharArray();
            int position = l1[14] == '<' ? 15 + result[0][15..].IndexOf('<', StringComparison.Ordinal) - 1 : 14;
            l1[position] = (char)('0' + ((l1[position] - '0' + 1) % 10));
            result[0] = new string(l1);
            string l2 = result[1];
            string composite = string.Concat(result[0].AsSpan(5, 25), l2.AsSpan(0, 7), l2.AsSpan(8, 7), l2.AsSpan(18, 11));
            result[1] = l2[..29] + MrzFormat.CheckChar(composite);
            return result;
        }

        char[] chars = result[1].ToCharArray();
        chars[9] = (char)('0' + ((chars[9] - '0' + 1) % 10));
        string body = new(chars, 0, chars.Length - 1);
        string compositeInput = format == DocumentFormat.Td3
            ? string.Concat(body.AsSpan(0, 10), body.AsSpan(13, 7), body.AsSpan(21, 22))
            : string.Concat(body.AsSpan(0, 10), body.AsSpan(13, 7), body.AsSpan(21, 14));
        result[1] = body + MrzFormat.CheckChar(compositeInput);
        return result;
    }

    /// <summary>Changes one letter of the holder's given names (not covered by any check digit).</summary>
    public static string[] AlterName(DocumentFormat format, string[] lines)
    {
        string[] result = (string[])lines.Clone();
        int nameLine = format == DocumentFormat.Td1 ? 2 : 0;
        int nameStart = format == DocumentFormat.Td1 ? 0 : 5;
        char[] chars = result[nameLine].ToCharArray();
        int separator = new string(chars).IndexOf("<<", nameStart, StringComparison.Ordinal);
        int position = separator >= 0 && separator + 2 < chars.Length && chars[separator + 2] != '<' ? separator + 2 : nameStart;
        chars[position] = chars[position] == 'Z' ? 'A' : (char)(chars[position] + 1);
        result[nameLine] = new string(chars);
        return result;
    }
}
