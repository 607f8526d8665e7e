using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>How a deliberately invalid postcode breaks the rules (domain reference §2.5 step 5).</summary>
public enum PostcodeInvalidKind
{
    /// <summary>A forbidden letter in a restricted position (§2.2): Q/V/X first, I/J/Z second, C/I/K/M/O/V in the unit.</summary>
    ForbiddenLetter = 0,

    /// <summary>No space between outward and inward code (<c>SW1A1AA</c>); valid after normalisation.</summary>
    MissingSpace = 1,

    /// <summary>Two spaces (<c>M1  1AA</c>); valid after normalisation.</summary>
    DoubleSpace = 2,

    /// <summary>Lower case (<c>sw1a 1aa</c>); valid after normalisation.</summary>
    LowerCase = 3,

    /// <summary>Inward code starting with a letter (<c>M1 AAA</c>).</summary>
    InwardLetterFirst = 4,

    /// <summary>A five-character outward code (<c>MM1AA 1AA</c>).</summary>
    OutwardTooLong = 5,

    /// <summary>A three-digit district (<c>M111 1AA</c>).</summary>
    ThreeDigitDistrict = 6,
}

/// <summary>
/// UK postcodes (domain reference §2): real outward codes from the embedded area/district table
/// (§2.4) with a random inward code, and a strict validator equivalent to the regex of §2.3.
/// </summary>
/// <remarks>
/// Generated postcodes have a real outward code (area + district), so they look right on a map, but
/// the inward code is random: a postcode may not exist in Royal Mail PAF (§2.3 "shape only").
/// Districts are drawn uniformly, so areas are weighted by their number of districts: the reference
/// gives no population weights (§2.5 step 1), and district counts roughly follow population.
/// </remarks>
public static class UkPostcode
{
    /// <summary>Longest canonical postcode: <c>AA9A 9AA</c>.</summary>
    public const int MaxLength = 8;

    /// <summary>A destination of this many chars fits every <see cref="WriteInvalid"/> output.</summary>
    public const int MaxInvalidLength = 10;

    // §2.2 per-position letter sets, as bit masks over 'A'..'Z'.
    private static readonly uint Area1 = Mask("ABCDEFGHIJKLMNOPRSTUWYZ"); // 1st letter: never Q, V, X
    private static readonly uint Area2 = Mask("ABCDEFGHKLMNOPQRSTUVWXY"); // 2nd area letter: never I, J, Z
    private static readonly uint SubDistrict1 = Mask("ABCDEFGHJKPSTUW"); // A9A 3rd char (with P, §2.2 "use the set with P")
    private static readonly uint SubDistrict2 = Mask("ABEHMNPRVWXY"); // AA9A 4th char
    private const string UnitLetters = "ABDEFGHJLNPQRSTUWXYZ"; // inward unit: never C, I, K, M, O, V
    private static readonly uint Unit = Mask(UnitLetters);
    private const string SingleLetterAreas = "BEGLMNSW";

    private static readonly Lazy<DistrictTable> Table = new(DistrictTable.Load);

    /// <summary>The 124 postcode areas of the embedded table (§2.4), e.g. <c>AB</c>, <c>B</c>, <c>SW</c>.</summary>
    public static IReadOnlyList<string> Areas => Table.Value.Areas;

    /// <summary>Every geographic outward code of the embedded table (§2.4), e.g. <c>LS1</c>, <c>SW1A</c>.</summary>
    public static IReadOnlyList<string> OutwardCodes => Table.Value.Outwards;

    /// <summary>The geographic outward codes of one area, or an empty list for an unknown area.</summary>
    public static IReadOnlyList<string> OutwardCodesIn(string area) =>
        Table.Value.ByArea.TryGetValue(area, out var slice) ? new ArraySegment<string>(Table.Value.Outwards, slice.Start, slice.Count) : [];

    /// <summary>Writes a random canonical postcode (outward + space + inward) from a real district.</summary>
    /// <returns>The number of chars written (6–8); size the destination with <see cref="MaxLength"/>.</returns>
    public static int WriteRandom(ref Rng rng, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, MaxLength, nameof(WriteRandom));
        var outwards = Table.Value.Outwards;
        return WritePostcode(ref rng, outwards[rng.NextInt(outwards.Length)], dest);
    }

    /// <summary>
    /// <see cref="WriteRandom"/> as ASCII bytes (the same postcode for the same random stream), for writers that store
    /// UTF-8 directly; <paramref name="dest"/> needs 16 bytes (the outward code is moved as one vector).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int WriteRandomUtf8(ref Rng rng, Span<byte> dest)
    {
        var table = Table.Value;
        var outward = rng.NextInt(table.Outwards.Length);
        Vector128.Create<byte>(table.OutwardsUtf8.Padded(outward)[..16]).CopyTo(dest);
        var i = table.OutwardsUtf8.Length(outward);
        var (sector, unit1, unit2) = Inward(ref rng);
        dest[i + 3] = (byte)unit2;
        dest[i + 2] = (byte)unit1;
        dest[i + 1] = (byte)sector;
        dest[i] = (byte)' ';
        return i + 4;
    }

    /// <summary>Writes a random canonical postcode in one postcode area (e.g. <c>"LS"</c>; case-insensitive).</summary>
    /// <exception cref="ArgumentException"><paramref name="area"/> is not one of <see cref="Areas"/>.</exception>
    public static int WriteRandomInArea(ref Rng rng, string area, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, MaxLength, nameof(WriteRandomInArea));
        var table = Table.Value;
        if (!table.ByArea.TryGetValue(area, out var slice))
        {
            DomainThrow.Argument(nameof(area), $"Unknown postcode area '{area}'; use one of the 124 areas in UkPostcode.Areas, e.g. LS, M, SW.");
        }

        return WritePostcode(ref rng, table.Outwards[slice.Start + rng.NextInt(slice.Count)], dest);
    }

    /// <summary>True when the input matches the strict canonical regex of §2.3 (upper case, one space, per-position letter rules, or <c>GIR 0AA</c>).</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        var length = value.Length;
        if (length is < 6 or > MaxLength)
        {
            return false;
        }

        if (value.SequenceEqual("GIR 0AA"))
        {
            return true; // §2.1: the one legacy exception.
        }

        // Inward code: space, sector digit, two unit letters (§2.1, §2.2).
        if (value[length - 4] != ' ' || !char.IsAsciiDigit(value[length - 3]) || !In(Unit, value[length - 2]) || !In(Unit, value[length - 1]))
        {
            return false;
        }

        var outward = value[..(length - 4)];
        if (!In(Area1, outward[0]))
        {
            return false;
        }

        // The six outward shapes of §2.1.
        return outward.Length switch
        {
            2 => char.IsAsciiDigit(outward[1]), // A9
            3 => (char.IsAsciiDigit(outward[1]) && char.IsAsciiDigit(outward[2])) // A99
                || (In(Area2, outward[1]) && char.IsAsciiDigit(outward[2])) // AA9
                || (char.IsAsciiDigit(outward[1]) && In(SubDistrict1, outward[2])), // A9A
            4 => In(Area2, outward[1]) && char.IsAsciiDigit(outward[2])
                && (char.IsAsciiDigit(outward[3]) || In(SubDistrict2, outward[3])), // AA99 or AA9A
            _ => false,
        };
    }

    /// <summary>
    /// Normalises free-form input as §2.3 describes (trim, upper-case, drop all whitespace, one space
    /// before the last three characters) into <paramref name="dest"/>. It does not validate: follow with <see cref="IsValid"/>.
    /// </summary>
    /// <returns>The number of chars written, or 0 when the input has fewer than 5 or more than 7 non-space chars.</returns>
    public static int WriteNormalized(ReadOnlySpan<char> input, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, MaxLength, nameof(WriteNormalized));
        Span<char> compact = stackalloc char[MaxLength];
        var count = 0;
        foreach (var c in input)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (count == MaxLength - 1)
            {
                return 0;
            }

            compact[count++] = char.ToUpperInvariant(c);
        }

        if (count < 5)
        {
            return 0;
        }

        compact[..(count - 3)].CopyTo(dest);
        dest[count - 3] = ' ';
        compact.Slice(count - 3, 3).CopyTo(dest[(count - 2)..]);
        return count + 1;
    }

    /// <summary>
    /// Writes a postcode that fails <see cref="IsValid"/> in the given way (§2.5 step 5), built from a
    /// real outward code where the defect allows it, for negative tests of validators.
    /// </summary>
    /// <returns>The number of chars written; size the destination with <see cref="MaxInvalidLength"/>.</returns>
    public static int WriteInvalid(ref Rng rng, PostcodeInvalidKind kind, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, MaxInvalidLength, nameof(WriteInvalid));
        Span<char> valid = stackalloc char[MaxLength];
        var n = WriteRandom(ref rng, valid);
        switch (kind)
        {
            case PostcodeInvalidKind.ForbiddenLetter:
            {
                valid[..n].CopyTo(dest);
                var twoLetterArea = char.IsAsciiLetter(valid[1]);
                switch (rng.NextInt(twoLetterArea ? 3 : 2))
                {
                    case 0:
                        dest[0] = "QVX"[rng.NextInt(3)];
                        break;
                    case 1:
                        dest[n - 1 - rng.NextInt(2)] = "CIKMOV"[rng.NextInt(6)];
                        break;
                    default:
                        dest[1] = "IJZ"[rng.NextInt(3)];
                        break;
                }

                return n;
            }

            case PostcodeInvalidKind.MissingSpace:
                valid[..(n - 4)].CopyTo(dest);
                valid[(n - 3)..n].CopyTo(dest[(n - 4)..]);
                return n - 1;

            case PostcodeInvalidKind.DoubleSpace:
                valid[..(n - 3)].CopyTo(dest);
                dest[n - 3] = ' ';
                valid[(n - 3)..n].CopyTo(dest[(n - 2)..]);
                return n + 1;

            case PostcodeInvalidKind.LowerCase:
                for (var i = 0; i < n; i++)
                {
                    dest[i] = char.ToLowerInvariant(valid[i]);
                }

                return n;

            case PostcodeInvalidKind.InwardLetterFirst:
                valid[..n].CopyTo(dest);
                dest[n - 3] = UnitLetters[rng.NextInt(UnitLetters.Length)];
                return n;

            case PostcodeInvalidKind.OutwardTooLong:
            {
                // Two area letters, a digit and two letters: one character more than any outward code.
                dest[0] = valid[0];
                dest[1] = UnitLetters[rng.NextInt(UnitLetters.Length)];
                dest[2] = (char)('1' + rng.NextInt(9));
                dest[3] = UnitLetters[rng.NextInt(UnitLetters.Length)];
                dest[4] = UnitLetters[rng.NextInt(UnitLetters.Length)];
                valid[(n - 4)..n].CopyTo(dest[5..]);
                return 9;
            }

            case PostcodeInvalidKind.ThreeDigitDistrict:
                dest[0] = SingleLetterAreas[rng.NextInt(SingleLetterAreas.Length)];
                dest[1] = (char)('1' + rng.NextInt(9));
                dest[2] = (char)('0' + rng.NextInt(10));
                dest[3] = (char)('0' + rng.NextInt(10));
                valid[(n - 4)..n].CopyTo(dest[4..]);
                return 8;

            default:
                DomainThrow.OutOfRange(nameof(kind), kind, "a defined PostcodeInvalidKind");
                return 0;
        }
    }

    private static int WritePostcode(ref Rng rng, string outward, Span<char> dest)
    {
        // §2.5 steps 2-4: real outward code, sector digit 0-9, two unit letters from the allowed 20.
        var i = outward.Length;
        var target = dest[..i];
        for (var k = 0; k < target.Length; k++)
        {
            target[k] = outward[k]; // 2–4 chars: cheaper than a general copy call
        }

        var (sector, unit1, unit2) = Inward(ref rng);
        dest[i] = ' ';
        dest[i + 1] = sector;
        dest[i + 2] = unit1;
        dest[i + 3] = unit2;
        return i + 4;
    }

    /// <summary>The inward code from one draw: sector digit 0–9 and two unit letters from the allowed 20 (shared by both writers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (char Sector, char Unit1, char Unit2) Inward(ref Rng rng)
    {
        var draw = rng.NextBelow(10 * 20 * 20);
        return ((char)('0' + (int)(draw / 400)), UnitLetters[(int)(draw / 20 % 20)], UnitLetters[(int)(draw % 20)]);
    }

    private static bool In(uint mask, char c) => c is >= 'A' and <= 'Z' && (mask & (1u << (c - 'A'))) != 0;

    private static uint Mask(string letters)
    {
        var mask = 0u;
        foreach (var c in letters)
        {
            mask |= 1u << (c - 'A');
        }

        return mask;
    }

    private sealed class DistrictTable
    {
        private const string FileName = "postcode-districts.tsv";

        private DistrictTable(string[] areas, string[] outwards, Dictionary<string, (int Start, int Count)> byArea)
        {
            Areas = areas;
            Outwards = outwards;
            ByArea = byArea;
        }

        public string[] Areas { get; }

        public string[] Outwards { get; }

        public Data.Utf8StringTable OutwardsUtf8 => _utf8 ??= new Data.Utf8StringTable(Outwards);

        private Data.Utf8StringTable? _utf8;

        public Dictionary<string, (int Start, int Count)> ByArea { get; }

        public static DistrictTable Load()
        {
            var areas = new List<string>();
            var outwards = new List<string>();
            var byArea = new Dictionary<string, (int, int)>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in EmbeddedData.ReadTable(FileName, 4))
            {
                var area = row[0];
                var start = outwards.Count;
                if (row[2] != "-")
                {
                    foreach (var part in row[2].Split(','))
                    {
                        var dash = part.IndexOf('-', StringComparison.Ordinal);
                        var from = int.Parse(dash < 0 ? part : part[..dash], System.Globalization.CultureInfo.InvariantCulture);
                        var to = dash < 0 ? from : int.Parse(part[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                        for (var d = from; d <= to; d++)
                        {
                            outwards.Add(area + d.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                }

                if (row[3] != "-")
                {
                    outwards.AddRange(row[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }

                areas.Add(area);
                byArea.Add(area, (start, outwards.Count - start));
            }

            // Every outward code must produce regex-valid postcodes (§2.5 step 4 "assert the regex").
            foreach (var outward in outwards)
            {
                if (!IsValid(outward + " 1AA"))
                {
                    throw new InvalidOperationException($"{FileName}: outward code '{outward}' breaks the §2.3 postcode rules.");
                }
            }

            return new DistrictTable([.. areas], [.. outwards], byArea);
        }
    }
}
