using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using System.Text;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>
/// Synthetic e-mail addresses on reserved domains only, plus the normalise-and-hash step used for
/// identity matching (lower-case hex SHA-256, as ESP connectors hash addresses; domain reference §9).
/// </summary>
/// <remarks>
/// Domains are <c>example.com</c>, <c>example.org</c>, <c>example.net</c> and subdomains of them: RFC 2606
/// §3 reserves these second-level names for documentation and RFC 6761 §6.5 keeps them out of real
/// use, so a generated address can never reach a real mailbox (the reference's "synthetic-data
/// safety" rule). Local parts are lower-case ASCII letters, digits, '.' and '_' only.
/// </remarks>
public static class Email
{
    /// <summary>A destination of this many chars fits every <see cref="Write"/> output.</summary>
    public const int MaxLength = 80;

    /// <summary>Hex chars written by <see cref="WriteSha256Hex"/>.</summary>
    public const int Sha256HexLength = 64;

    // Each name part is cut to this length, so a local part stays below RFC 5321's 64 octets.
    private const int MaxPart = 24;

    private static readonly string[] DomainNames = ["example.com", "example.org", "example.net", "mail.example.com", "post.example.org", "inbox.example.net"];

    // The domains in 32-byte slots, so one vector move copies any of them.
    private static readonly byte[] Domains = [.. DomainNames.SelectMany(d => Encoding.ASCII.GetBytes(d.PadRight(32, '\0')))];
    private static readonly int[] DomainLengths = [.. DomainNames.Select(d => d.Length)];
    private static readonly WeightedSampler DomainSampler = new([40, 20, 20, 10, 5, 5]);

    // Local-part patterns (percent): first.last, f.last, firstlast, first_last, first.last42,
    // firstlast1987, flast, first42, last.first.
    private static readonly WeightedSampler PatternSampler = new([30, 15, 10, 5, 10, 10, 8, 7, 5]);

    // ASCII folding of U+00C0–U+017F (Latin-1 Supplement letters and Latin Extended-A): diacritics
    // stripped, ligatures and special letters spelled out (æ→ae, ß→ss, ł→l, þ→th). × and ÷ fold to nothing.
    private static readonly string[] LatinFold =
        ("a|a|a|a|a|a|ae|c|e|e|e|e|i|i|i|i|d|n|o|o|o|o|o||o|u|u|u|u|y|th|ss|a|a|a|a|a|a|ae|c|e|e|e|e|i|i|i|i|d|n|o|o|o|o|o||o|u|u|u|u|y|th|y|"
        + "a|a|a|a|a|a|c|c|c|c|c|c|c|c|d|d|d|d|e|e|e|e|e|e|e|e|e|e|g|g|g|g|g|g|g|g|h|h|h|h|i|i|i|i|i|i|i|i|i|i|ij|ij|j|j|k|k|k|"
        + "l|l|l|l|l|l|l|l|l|l|n|n|n|n|n|n|n|n|n|o|o|o|o|o|o|oe|oe|r|r|r|r|r|r|s|s|s|s|s|s|s|s|t|t|t|t|t|t|u|u|u|u|u|u|u|u|u|u|u|u|"
        + "w|w|y|y|y|z|z|z|z|z|z|s").Split('|');

    /// <summary>
    /// Writes an address such as <c>sarah.jones@example.com</c>, <c>s.jones@example.org</c> or
    /// <c>sarahjones1987@mail.example.com</c> built from the names, folded to lower-case ASCII
    /// (diacritics stripped, apostrophes, hyphens and spaces dropped: <c>Zoë O'Brien-Smith</c> → <c>zoe.obriensmith</c>).
    /// </summary>
    /// <returns>The number of chars written; size the destination with <see cref="MaxLength"/>.</returns>
    public static int Write(ReadOnlySpan<char> first, ReadOnlySpan<char> last, ref Rng rng, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, MaxLength, nameof(Write));

        // One folding implementation: the names go through the UTF-8 path (a lone surrogate becomes U+FFFD, dropped either way).
        var max = Encoding.UTF8.GetMaxByteCount(first.Length + last.Length);
        Span<byte> utf8 = max <= 512 ? stackalloc byte[max] : new byte[max];
        var fn = Encoding.UTF8.GetBytes(first, utf8);
        var ln = Encoding.UTF8.GetBytes(last, utf8[fn..]);
        Span<byte> address = stackalloc byte[Scratch];
        var n = WriteUtf8(utf8[..fn], fn, utf8.Slice(fn, ln), ln, ref rng, address);
        for (var i = 0; i < n; i++)
        {
            dest[i] = (char)address[i];
        }

        return n;
    }

    /// <summary>
    /// <see cref="Write(ReadOnlySpan{char}, ReadOnlySpan{char}, ref Rng, Span{char})"/> for names given as UTF-8, writing
    /// the (ASCII) address as UTF-8: the same address for the same names and random stream.
    /// </summary>
    /// <returns>The number of bytes written; size the destination with <see cref="MaxLength"/>.</returns>
    public static int WriteUtf8(ReadOnlySpan<byte> first, ReadOnlySpan<byte> last, ref Rng rng, Span<byte> dest) =>
        WriteUtf8(first, first.Length, last, last.Length, ref rng, dest);

    /// <summary>Bytes a destination needs for <see cref="WriteUtf8(ReadOnlySpan{byte}, int, ReadOnlySpan{byte}, int, ref Rng, Span{byte})"/> to write without a bounce copy.</summary>
    internal const int Scratch = 96;

    /// <summary>
    /// <see cref="WriteUtf8(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ref Rng, Span{byte})"/> for callers that can offer 16
    /// readable bytes from the start of a short name (a column arena, a padded table): such names are folded with one
    /// vector operation. A span shorter than 16 bytes, or a longer name, takes the per-character path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int WriteUtf8(ReadOnlySpan<byte> first, int firstLength, ReadOnlySpan<byte> last, int lastLength, ref Rng rng, Span<byte> dest)
    {
        DomainThrow.EnsureLength(dest, MaxLength, nameof(WriteUtf8));
        Span<byte> parts = stackalloc byte[PartsSize];
        var fn = Fold(first, firstLength, parts[..MaxPart]);
        var ln = Fold(last, lastLength, parts.Slice(MaxPart, MaxPart));
        if (dest.Length >= Scratch)
        {
            return Compose(parts, fn, ln, ref rng, dest);
        }

        Span<byte> address = stackalloc byte[Scratch];
        var n = Compose(parts, fn, ln, ref rng, address);
        address[..n].CopyTo(dest);
        return n;
    }

    // The folded first name at [0, 24), the last name at [24, 48), and room to read 32 bytes from either.
    private const int PartsSize = 80;

    // Local-part patterns, drawn with PatternSampler: first part, separator (0: none), second part, number suffix.
    // Parts: 0 none, 1 first name, 2 first initial, 3 last name.
    private static readonly (byte A, byte Separator, byte B, bool Suffix)[] Patterns =
    [
        (1, (byte)'.', 3, false), // first.last
        (2, (byte)'.', 3, false), // f.last
        (1, 0, 3, false), // firstlast
        (1, (byte)'_', 3, false), // first_last
        (1, (byte)'.', 3, true), // first.last42
        (1, 0, 3, true), // firstlast1987
        (2, 0, 3, false), // flast
        (1, 0, 0, true), // first42
        (3, (byte)'.', 1, false), // last.first
    ];

    /// <summary>
    /// Builds the address from the folded name parts (ASCII, in <paramref name="parts"/>) and the random stream into
    /// <paramref name="dest"/> (at least <see cref="Scratch"/> bytes). Table-driven and copied in 32-byte moves:
    /// a switch over random patterns and copy loops over random lengths would mispredict on nearly every address.
    /// </summary>
    private static int Compose(Span<byte> parts, int fn, int ln, ref Rng rng, Span<byte> dest)
    {
        var pattern = PatternSampler.Sample(ref rng);

        // Names with no Latin letters (or empty) still give a valid, deterministic address.
        if (fn == 0 && ln == 0)
        {
            "user"u8.CopyTo(parts);
            fn = 4;
            pattern = 7; // user + digits
        }
        else if (fn == 0 || ln == 0)
        {
            if (fn == 0)
            {
                parts.Slice(MaxPart, ln).CopyTo(parts);
                fn = ln;
            }

            pattern = 7; // the one name + digits
        }

        var (a, separator, b, suffix) = Patterns[pattern];
        Span<int> starts = [0, 0, 0, MaxPart];
        Span<int> lengths = [0, fn, 1, ln];
        Vector256.Create<byte>(parts.Slice(starts[a], 32)).CopyTo(dest);
        var n = lengths[a];
        dest[n] = separator;
        n += separator != 0 ? 1 : 0;
        Vector256.Create<byte>(parts.Slice(starts[b], 32)).CopyTo(dest[n..]);
        n += lengths[b];
        if (suffix)
        {
            n += WriteNumberSuffix(ref rng, dest[n..]);
        }

        dest[n++] = (byte)'@';
        var domain = DomainSampler.Sample(ref rng);
        Vector256.Create<byte>(Domains.AsSpan(domain * 32, 32)).CopyTo(dest[n..]);
        return n + DomainLengths[domain];
    }

    /// <summary>Trims and lower-cases (invariant) an address: the normal form that is hashed.</summary>
    public static string Normalize(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    /// <summary>Allocation-free <see cref="Normalize"/>: writes the trimmed, invariant-lower-cased address.</summary>
    /// <returns>The number of chars written.</returns>
    public static int WriteNormalized(ReadOnlySpan<char> email, Span<char> dest)
    {
        var trimmed = email.Trim();
        DomainThrow.EnsureLength(dest, trimmed.Length, nameof(WriteNormalized));
        return trimmed.ToLowerInvariant(dest);
    }

    /// <summary>
    /// Writes the SHA-256 of the UTF-8 bytes of an already normalised address as 64 lower-case hex
    /// chars. Call <see cref="Normalize"/> (or <see cref="WriteNormalized"/>) first: hashing does not normalise.
    /// </summary>
    /// <returns>The number of chars written (always 64).</returns>
    public static int WriteSha256Hex(ReadOnlySpan<char> normalizedEmail, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, Sha256HexLength, nameof(WriteSha256Hex));
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(normalizedEmail.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = Encoding.UTF8.GetBytes(normalizedEmail, buffer);
            SHA256.HashData(buffer[..count], hash);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Convert.TryToHexStringLower(hash, dest, out var written);
        return written;
    }

    /// <summary>True when the address's domain is example.com/.org/.net or a subdomain of one (RFC 2606 reserved names), case-insensitively.</summary>
    public static bool HasReservedDomain(ReadOnlySpan<char> email)
    {
        var at = email.LastIndexOf('@');
        if (at <= 0)
        {
            return false;
        }

        var domain = email[(at + 1)..];
        foreach (var reserved in (ReadOnlySpan<string>)["example.com", "example.org", "example.net"])
        {
            if (domain.Equals(reserved, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (domain.Length > reserved.Length + 1
                && domain.EndsWith(reserved, StringComparison.OrdinalIgnoreCase)
                && domain[domain.Length - reserved.Length - 1] == '.')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Folds a name (UTF-8) into lower-case ASCII letters and digits, dropping everything else, at most
    /// <see cref="MaxPart"/> bytes; a character outside the BMP is dropped. A name of at most 16 bytes made only of ASCII letters and digits (nearly every name) whose span offers 16
    /// readable bytes is folded with one vector operation; <paramref name="dest"/> then needs 16 bytes.
    /// </summary>
    private static int Fold(ReadOnlySpan<byte> name, int length, Span<byte> dest)
    {
        if (length <= 16 && name.Length >= 16)
        {
            var bytes = Vector128.Create<byte>(name[..16]);
            var lower = bytes | Vector128.Create((byte)0x20); // digits already have this bit
            var letter = Vector128.LessThan(lower - Vector128.Create((byte)'a'), Vector128.Create((byte)26));
            var digit = Vector128.LessThan(bytes - Vector128.Create((byte)'0'), Vector128.Create((byte)10));
            var wanted = (1u << length) - 1;
            if (((letter | digit).ExtractMostSignificantBits() & wanted) == wanted)
            {
                lower.CopyTo(dest);
                return length;
            }
        }

        return Fold(name[..length], dest);
    }

    private static int Fold(ReadOnlySpan<byte> name, Span<byte> dest)
    {
        var n = 0;
        var i = 0;
        var ascii = AsciiFold;
        while (i < name.Length && n < dest.Length)
        {
            var b = name[i];
            if (b < 0x80)
            {
                var folded = ascii[b];
                if (folded != 0)
                {
                    dest[n++] = folded;
                }

                i++;
                continue;
            }

            Rune.DecodeFromUtf8(name[i..], out var rune, out var used);
            i += used;
            if (rune.IsBmp)
            {
                FoldChar((char)rune.Value, dest, ref n);
            }
        }

        return n;
    }

    /// <summary>Folds one non-ASCII char (Latin letters with diacritics and a few special letters; anything else is dropped).</summary>
    private static void FoldChar(char c, Span<byte> dest, ref int n)
    {
        if (c is >= '\u00C0' and <= '\u017F')
        {
            foreach (var folded in LatinFold[c - '\u00C0'])
            {
                if (n < dest.Length)
                {
                    dest[n++] = (byte)folded;
                }
            }
        }
        else if (c is '\u0218' or '\u0219')
        {
            dest[n++] = (byte)'s'; // Romanian Ș ș
        }
        else if (c is '\u021A' or '\u021B')
        {
            dest[n++] = (byte)'t'; // Romanian Ț ț
        }

        // Anything else (apostrophes, hyphens, spaces, other scripts) is dropped.
    }

    // ASCII letters lower-cased and digits kept; every other ASCII char is dropped (0).
    private static readonly byte[] AsciiFold = [.. Enumerable.Range(0, 128).Select(c => (byte)(char.IsAsciiLetterOrDigit((char)c) ? char.ToLowerInvariant((char)c) : 0))];

    private static int WriteNumberSuffix(ref Rng rng, Span<byte> dest)
    {
        // Two digits (10–99) or a plausible birth year (1950–2009).
        var value = rng.NextBool(0.6) ? 10 + rng.NextInt(90) : 1950 + rng.NextInt(60);
        value.TryFormat(dest, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
}
