using System.Diagnostics;
using System.Runtime.CompilerServices;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>Which block of NHS numbers a generator draws from (domain reference §1.3).</summary>
public enum NhsRange
{
    /// <summary><c>999xxxxxxx</c>: valid but never issued, reserved for test patients (§1.3). The safe default.</summary>
    Test999 = 0,

    /// <summary><c>4000000000–4999999999</c> and <c>6000000000–7999999999</c>: the England, Wales and Isle of Man blocks (§1.3). Numbers may belong to real people.</summary>
    England = 1,

    /// <summary>Every checksum-valid 10-digit number, <c>0000000000</c>–<c>9999999999</c>, ignoring allocation.</summary>
    Any = 2,
}

/// <summary>The defect of an invalid NHS number (domain reference §1.4).</summary>
public enum NhsInvalidKind
{
    /// <summary>Ten digits whose 10th digit differs from the Modulus 11 check digit.</summary>
    WrongCheckDigit = 0,

    /// <summary>Ten digits whose first nine give check value 10, so no 10th digit can be valid.</summary>
    CheckDigitTen = 1,

    /// <summary>Only ASCII digits (in an accepted layout), but not ten of them (e.g. 9 or 11).</summary>
    WrongLength = 2,

    /// <summary>Contains a letter, a letter O for a zero, a non-ASCII (Unicode) digit or another non-digit.</summary>
    NonDigit = 3,

    /// <summary>Digits with separators in a layout other than plain 10 digits or the 3-3-4 display form (<c>943-476-5919</c>, a trailing space).</summary>
    Formatting = 4,

    /// <summary>Checksum-valid, but outside the requested <see cref="NhsRange"/> (only reported by the range-aware overloads).</summary>
    OutOfRange = 5,
}

/// <summary>
/// NHS numbers: Modulus 11 validation (§1.2), uniform generation of valid numbers without rejection
/// loops, a keyed bijection for numbers that are unique by construction, and deliberately invalid
/// numbers for negative tests (§1.4).
/// </summary>
/// <remarks>
/// A number is 9 body digits plus a check digit, so valid numbers correspond one-to-one to bodies
/// whose check value is not 10. A digit DP over (remaining positions, weighted-sum residue mod 11)
/// counts those bodies, which lets us draw a uniform rank and unrank it directly.
/// </remarks>
public static class NhsNumber
{
    /// <summary>Digits in an NHS number.</summary>
    public const int Length = 10;

    /// <summary>Length of the 3-3-4 display form <c>NNN NNN NNNN</c> (§1.1).</summary>
    public const int DisplayLength = 12;

    /// <summary>A destination of this many chars fits every <see cref="WriteInvalid"/> output.</summary>
    public const int MaxInvalidLength = 12;

    private const int BodyLength = 9;
    private const int Modulus = 11;

    // SuffixCount[k * 11 + r]: ways to fill the last k body digits (positions 10-k..9, weights k+1..2)
    // so that their weighted sum is r (mod 11). Row 0 is the empty suffix.
    private static readonly long[] SuffixCount = BuildSuffixCount();
    private static readonly long[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

    // [remaining * 11 + partial residue]: completions of a body prefix (same as Completions, precomputed
    // so unranking runs without divisions).
    private static readonly long[] ValidCompletions = BuildCompletions(wantValid: true);
    private static readonly long[] CheckTenCompletions = BuildCompletions(wantValid: false);

    private static readonly Segment[] Test999Segments = [new(999, 3, 6)];
    private static readonly Segment[] EnglandSegments = [new(4, 1, 8), new(6, 1, 8), new(7, 1, 8)];
    private static readonly Segment[] AnySegments = [new(0, 0, 9)];

    // §1.3: 8600000000–8999999999 is unallocated, so checksum-valid numbers there are safe "out of range" examples.
    private static readonly Segment[] UnallocatedSegments = [new(86, 2, 8), new(87, 2, 8), new(88, 2, 8), new(89, 2, 8)];

    /// <summary>
    /// The Modulus 11 check value of the first nine digits (§1.2): 0–9, or 10 when no check digit
    /// makes the number valid.
    /// </summary>
    /// <exception cref="ArgumentException">The input is not exactly nine ASCII digits.</exception>
    public static int CheckDigit(ReadOnlySpan<char> first9)
    {
        if (first9.Length != BodyLength || !AllAsciiDigits(first9))
        {
            DomainThrow.Argument(nameof(first9), "CheckDigit needs exactly 9 ASCII digits.");
        }

        return CheckFromResidue(WeightedSum(first9) % Modulus);
    }

    /// <summary>
    /// True when the input is a checksum-valid NHS number: ten ASCII digits, or the 3-3-4 display form
    /// with single spaces (§1.1, §1.4 "normalise spaces only"). Range is not checked; see the overload.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> value) => Classify(value) is null;

    /// <summary>True when the input is checksum-valid and inside <paramref name="range"/>.</summary>
    public static bool IsValid(ReadOnlySpan<char> value, NhsRange range) => Classify(value, range) is null;

    /// <summary>Which defect the input has (§1.4), or null when it is a checksum-valid NHS number.</summary>
    /// <remarks>Precedence: non-digit characters, then bad separators, then length, then the check digit.</remarks>
    public static NhsInvalidKind? Classify(ReadOnlySpan<char> value)
    {
        Span<char> digits = stackalloc char[Length];
        return ClassifyCore(value, digits);
    }

    /// <summary>Like <see cref="Classify(ReadOnlySpan{char})"/>, and also <see cref="NhsInvalidKind.OutOfRange"/> for a checksum-valid number outside <paramref name="range"/>.</summary>
    public static NhsInvalidKind? Classify(ReadOnlySpan<char> value, NhsRange range)
    {
        Span<char> digits = stackalloc char[Length];
        var kind = ClassifyCore(value, digits);
        if (kind is not null)
        {
            return kind;
        }

        return IsInRange(digits, range) ? null : NhsInvalidKind.OutOfRange;
    }

    /// <summary>How many valid NHS numbers <paramref name="range"/> holds (the domain of <see cref="WriteUnique"/>).</summary>
    public static long Capacity(NhsRange range) => SumValid(SegmentsOf(range));

    /// <summary>
    /// Writes a uniformly random valid NHS number (10 digits, no spaces) from <paramref name="range"/>;
    /// valid by construction, one random draw, no rejection loop.
    /// </summary>
    /// <returns>The number of chars written (always 10).</returns>
    public static int WriteRandomValid(ref Rng rng, Span<char> dest, NhsRange range = NhsRange.Test999)
    {
        DomainThrow.EnsureLength(dest, Length, nameof(WriteRandomValid));
        var rank = (long)rng.NextBelow((ulong)Capacity(range));
        UnrankValid(SegmentsOf(range), rank, dest);
        return Length;
    }

    /// <summary>
    /// Writes the valid NHS number at position <paramref name="index"/> of a pseudo-random ordering
    /// of <paramref name="range"/> chosen by <paramref name="key"/>. Distinct indices always give
    /// distinct numbers, so a column of these is unique by construction.
    /// </summary>
    /// <remarks>
    /// A keyed 4-round Feistel network permutes [0, 2^2h) ⊇ [0, Capacity); cycle walking (re-applying
    /// the permutation until the result falls inside the domain) turns it into a permutation of
    /// [0, Capacity), whose output is then unranked like <see cref="WriteRandomValid"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative or ≥ <see cref="Capacity"/>.</exception>
    public static int WriteUnique(long index, ulong key, Span<char> dest, NhsRange range = NhsRange.Test999)
    {
        var capacity = Capacity(range);
        if ((ulong)index >= (ulong)capacity)
        {
            DomainThrow.OutOfRange(nameof(index), index, $"0 to {capacity - 1} (the valid numbers in NhsRange.{range})");
        }

        DomainThrow.EnsureLength(dest, Length, nameof(WriteUnique));
        UnrankValid(SegmentsOf(range), FeistelPermutation.Permute(index, capacity, key), dest);
        return Length;
    }

    /// <summary>
    /// Writes a deliberately invalid number of the given kind (§1.4), based on the test range 999 so a
    /// stray "valid" bit can never hit a real patient (OutOfRange uses the unallocated 86–89 block). <see cref="Classify(ReadOnlySpan{char})"/> maps
    /// every output back to <paramref name="kind"/> (OutOfRange outputs need the range-aware overload).
    /// </summary>
    /// <returns>The number of chars written (9–12); size the destination with <see cref="MaxInvalidLength"/>.</returns>
    public static int WriteInvalid(ref Rng rng, NhsInvalidKind kind, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, MaxInvalidLength, nameof(WriteInvalid));
        switch (kind)
        {
            case NhsInvalidKind.WrongCheckDigit:
            {
                // §1.4: take a valid number and replace digit 10 with any other digit.
                WriteRandomValid(ref rng, dest);
                var check = dest[9] - '0';
                dest[9] = (char)('0' + ((check + 1 + rng.NextInt(9)) % 10));
                return Length;
            }

            case NhsInvalidKind.CheckDigitTen:
            {
                // §1.4: a body whose check value is 10, plus any 10th digit.
                var segment = Test999Segments[0];
                UnrankBody(segment, (long)rng.NextBelow((ulong)segment.CheckTenCount), wantValid: false, dest);
                dest[9] = (char)('0' + rng.NextInt(10));
                return Length;
            }

            case NhsInvalidKind.WrongLength:
            {
                // §1.4: 9 or 11 digits.
                WriteRandomValid(ref rng, dest);
                if (rng.NextBool(0.5))
                {
                    return BodyLength;
                }

                dest[10] = (char)('0' + rng.NextInt(10));
                return Length + 1;
            }

            case NhsInvalidKind.NonDigit:
            {
                // §1.4: a letter, 'O' for '0', or a Unicode digit (Arabic-Indic U+0660–U+0669).
                WriteRandomValid(ref rng, dest);
                var position = rng.NextInt(Length);
                switch (rng.NextInt(3))
                {
                    case 0:
                        dest[position] = (char)('A' + rng.NextInt(26));
                        break;
                    case 1:
                        // The classic typo replaces a real zero when there is one.
                        var zero = dest[..Length].IndexOf('0');
                        dest[zero >= 0 ? zero : position] = 'O';
                        break;
                    default:
                        dest[position] = (char)('\u0660' + (dest[position] - '0'));
                        break;
                }

                return Length;
            }

            case NhsInvalidKind.Formatting:
                return WriteBadFormatting(ref rng, dest);

            case NhsInvalidKind.OutOfRange:
            {
                // §1.3: checksum-valid but in the unallocated block 86–89xxxxxxxx.
                UnrankValid(UnallocatedSegments, (long)rng.NextBelow((ulong)SumValid(UnallocatedSegments)), dest);
                return Length;
            }

            default:
                DomainThrow.OutOfRange(nameof(kind), kind, "a defined NhsInvalidKind");
                return 0;
        }
    }

    /// <summary>Writes a 10-digit number in the 3-3-4 display form <c>NNN NNN NNNN</c> (§1.1).</summary>
    /// <returns>The number of chars written (always 12).</returns>
    public static int WriteDisplay(ReadOnlySpan<char> number, Span<char> dest)
    {
        if (number.Length != Length)
        {
            DomainThrow.Argument(nameof(number), "WriteDisplay needs the 10-digit form of the number.");
        }

        DomainThrow.EnsureLength(dest, DisplayLength, nameof(WriteDisplay));
        number[..3].CopyTo(dest);
        dest[3] = ' ';
        number[3..6].CopyTo(dest[4..]);
        dest[7] = ' ';
        number[6..].CopyTo(dest[8..]);
        return DisplayLength;
    }

    /// <summary>True when the ten ASCII digits lie in <paramref name="range"/> (§1.3 block boundaries).</summary>
    public static bool IsInRange(ReadOnlySpan<char> tenDigits, NhsRange range) => range switch
    {
        NhsRange.Test999 => tenDigits.StartsWith("999"),
        NhsRange.England => tenDigits.Length > 0 && tenDigits[0] is '4' or '6' or '7',
        _ => true,
    };

    private static NhsInvalidKind? ClassifyCore(ReadOnlySpan<char> value, Span<char> digits)
    {
        var digitCount = 0;
        var separators = false;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digitCount++;
            }
            else if (c is ' ' or '-' or '\t')
            {
                separators = true;
            }
            else
            {
                return NhsInvalidKind.NonDigit;
            }
        }

        if (separators)
        {
            // Only the exact 3-3-4 display form with single spaces is normalised (§1.1, §1.4).
            if (value.Length != DisplayLength || value[3] != ' ' || value[7] != ' ' || digitCount != Length)
            {
                return NhsInvalidKind.Formatting;
            }

            value[..3].CopyTo(digits);
            value[4..7].CopyTo(digits[3..]);
            value[8..].CopyTo(digits[6..]);
        }
        else if (digitCount != Length)
        {
            return NhsInvalidKind.WrongLength;
        }
        else
        {
            value.CopyTo(digits);
        }

        // §1.2 steps 1-5.
        var check = CheckFromResidue(WeightedSum(digits[..BodyLength]) % Modulus);
        if (check == 10)
        {
            return NhsInvalidKind.CheckDigitTen;
        }

        return digits[9] - '0' == check ? null : NhsInvalidKind.WrongCheckDigit;
    }

    private static int WriteBadFormatting(ref Rng rng, Span<char> dest)
    {
        Span<char> number = stackalloc char[Length];
        WriteRandomValid(ref rng, number);
        switch (rng.NextInt(3))
        {
            case 0:
                // 999-123-4567: hyphens instead of spaces.
                WriteDisplay(number, dest);
                dest[3] = '-';
                dest[7] = '-';
                return DisplayLength;
            case 1:
                // 999 1234 567: spaces in the wrong places.
                number[..3].CopyTo(dest);
                dest[3] = ' ';
                number[3..7].CopyTo(dest[4..]);
                dest[8] = ' ';
                number[7..].CopyTo(dest[9..]);
                return DisplayLength;
            default:
                // "9991234567 ": a trailing space.
                number.CopyTo(dest);
                dest[Length] = ' ';
                return Length + 1;
        }
    }

    /// <summary>
    /// Writes the valid number with rank <paramref name="rank"/> of the default 999 range (ascending order):
    /// the same as unranking digit by digit, in a few branch-free operations on a 19 KB index (a 3.6 MB
    /// table of all numbers missed the cache on random ranks; data-dependent loops mispredicted).
    /// </summary>
    /// <remarks>
    /// Bodies come in groups of ten that share all but the last free digit d. That digit adds 2d (mod 11)
    /// to the weighted sum, which takes ten distinct residues, so a group has exactly one invalid body
    /// (check value 10) unless its base residue is 3, when all ten are valid. The index holds one bit per
    /// group (all ten valid) and, per 64 groups, how many such groups come before.
    /// </remarks>
    internal static void WriteTest999(long rank, Span<char> dest)
    {
        Span<byte> ascii = stackalloc byte[Length];
        WriteTest999(rank, ascii);
        for (var i = 0; i < Length; i++)
        {
            dest[i] = (char)ascii[i];
        }
    }

    /// <summary>
    /// <see cref="WriteRandomValid(ref Rng, Span{char}, NhsRange)"/> for the default 999 range, as ASCII bytes: the same
    /// number for the same random stream, for writers that store UTF-8 directly.
    /// </summary>
    /// <returns>The number of bytes written (always 10).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int WriteRandomValidTest999(ref Rng rng, Span<byte> dest)
    {
        WriteTest999((long)rng.NextBelow(Test999Capacity), dest);
        return Length;
    }

    /// <summary>The valid 999 number with this rank as ASCII digits (the one layout both writers share).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTest999(long rank, Span<byte> dest)
    {
        var (high, low, d, check) = Test999Parts(rank);
        dest[9] = (byte)('0' + check);
        dest[8] = (byte)('0' + d);
        dest[7] = DigitBytes[(low * 3) + 2];
        dest[6] = DigitBytes[(low * 3) + 1];
        dest[5] = DigitBytes[low * 3];
        dest[4] = DigitBytes[(high * 3) + 2];
        dest[3] = DigitBytes[(high * 3) + 1];
        dest[2] = (byte)'9';
        dest[1] = (byte)'9';
        dest[0] = (byte)'9';
    }

    private static readonly ulong Test999Capacity = (ulong)Capacity(NhsRange.Test999);

    /// <summary>The valid 999 number with this rank as its parts: free digits 1–2 (high), 3–5 (low), 6 (d) and the check digit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int High, int Low, int D, int Check) Test999Parts(long rank)
    {
        var index = Test999Index.Value;

        // ≈ 9 1/11 valid bodies per group, 64 groups per word: the estimates are off by at most one (the tests check every rank).
        var w = (int)(rank / 582);
        w += ValidBeforeWord(index, w + 1) <= rank ? 1 : 0;
        var rem = (int)(rank - ValidBeforeWord(index, w));
        var mask = index.FullGroups[w];
        var t = Math.Min(((rem * 11) + 30) / 100, 63);
        t -= ValidBeforeGroup(mask, t) > rem ? 1 : 0;

        var k = rem - ValidBeforeGroup(mask, t);
        var group = (w * 64) + t;
        var high = group / 1000;
        var low = group - (high * 1000);
        var baseResidue = (GroupResidueHigh[high] + GroupResidueLow[low]) % 11;

        // The one last digit whose check value would be 10 (none, i.e. 10, when all ten bodies are valid).
        var invalid = ((mask >> t) & 1) != 0 ? 10 : (1 - baseResidue + 11) % 11 * 6 % 11; // 6 = 2⁻¹ mod 11
        var d = k + (k >= invalid ? 1 : 0);
        var check = 11 - ((baseResidue + (2 * d)) % 11);
        return (high, low, d, check == 11 ? 0 : check);
    }

    // "000001002…999": three digits per number, for writing digit groups without division chains.
    private static readonly byte[] DigitBytes = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 1000).Select(i => i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture))));

    private static long ValidBeforeWord((ulong[] FullGroups, int[] Prefix) index, int word) => (9L * 64 * word) + index.Prefix[word];

    private static int ValidBeforeGroup(ulong mask, int t) => (9 * t) + System.Numerics.BitOperations.PopCount(mask & ((1UL << t) - 1));

    /// <summary>Weighted sum mod 11 of 999 and the first five free digits of a group (weights 10…3).</summary>
    private static int GroupResidue(int group)
    {
        var high = group / 1000;
        return (GroupResidueHigh[high] + GroupResidueLow[group - (high * 1000)]) % 11;
    }

    // The weighted sum split by digits: the group's last three digits (weights 3, 4, 5) and its first two (6, 7) with 999 (10, 9, 8).
    private static readonly byte[] GroupResidueLow = [.. Enumerable.Range(0, 1000).Select(v => (byte)(((v % 10 * 3) + (v / 10 % 10 * 4) + (v / 100 * 5)) % 11))];
    private static readonly byte[] GroupResidueHigh = [.. Enumerable.Range(0, 100).Select(v => (byte)(((9 * 10) + (9 * 9) + (9 * 8) + (v % 10 * 6) + (v / 10 * 7)) % 11))];

    private static readonly Lazy<(ulong[] FullGroups, int[] Prefix)> Test999Index = new(() =>
    {
        const int groups = 100_000;
        var words = (groups + 63) / 64;
        var full = new ulong[words];
        for (var g = 0; g < groups; g++)
        {
            if (GroupResidue(g) == 3)
            {
                full[g / 64] |= 1UL << (g % 64);
            }
        }

        var prefix = new int[words + 1];
        for (var i = 0; i < words; i++)
        {
            prefix[i + 1] = prefix[i] + System.Numerics.BitOperations.PopCount(full[i]);
        }

        return (full, prefix);
    });

    private static void UnrankValid(Segment[] segments, long rank, Span<char> dest)
    {
        if (ReferenceEquals(segments, Test999Segments))
        {
            WriteTest999(rank, dest);
            return;
        }

        foreach (var segment in segments)
        {
            if (rank < segment.ValidCount)
            {
                var residue = UnrankBody(segment, rank, wantValid: true, dest);
                dest[9] = (char)('0' + CheckFromResidue(residue));
                return;
            }

            rank -= segment.ValidCount;
        }

        throw new UnreachableException("rank beyond the segment capacity");
    }

    /// <summary>
    /// Writes the 9-digit body with the given rank among the segment's bodies whose check value is
    /// not 10 (<paramref name="wantValid"/>) or is 10 (otherwise), in lexicographic order, and returns
    /// the body's weighted sum mod 11.
    /// </summary>
    private static int UnrankBody(in Segment segment, long rank, bool wantValid, Span<char> dest)
    {
        var prefix = segment.Prefix;
        for (var i = segment.PrefixLength - 1; i >= 0; i--)
        {
            dest[i] = (char)('0' + (prefix % 10));
            prefix /= 10;
        }

        var table = wantValid ? ValidCompletions : CheckTenCompletions;
        var sum = segment.PrefixResidue;
        for (var position = segment.PrefixLength; position < BodyLength; position++)
        {
            var weight = 10 - position; // §1.2: 0-based position p has weight 10 - p.
            var row = (BodyLength - 1 - position) * Modulus;
            var next = sum; // residue with this position's digit = 0; each next digit adds the weight
            for (var digit = 0; ; digit++)
            {
                var count = table[row + next];
                if (rank < count || digit == 9)
                {
                    dest[position] = (char)('0' + digit);
                    sum = next;
                    break;
                }

                rank -= count;
                next += weight;
                if (next >= Modulus)
                {
                    next -= Modulus;
                }
            }
        }

        return sum;
    }

    /// <summary>Bodies completing a partial sum with <paramref name="remaining"/> free digits whose check value is (not) 10.</summary>
    private static long Completions(int remaining, int partialResidue, bool wantValid)
    {
        // Check value 10 ⇔ total residue 1 (§1.2 step 4: c = 11 − r).
        var needed = (1 - partialResidue + Modulus) % Modulus;
        var checkTen = SuffixCount[(remaining * Modulus) + needed];
        return wantValid ? Pow10[remaining] - checkTen : checkTen;
    }

    private static long SumValid(Segment[] segments)
    {
        long total = 0;
        foreach (var segment in segments)
        {
            total += segment.ValidCount;
        }

        return total;
    }

    private static long[] BuildCompletions(bool wantValid)
    {
        var table = new long[BodyLength * Modulus];
        for (var remaining = 0; remaining < BodyLength; remaining++)
        {
            for (var residue = 0; residue < Modulus; residue++)
            {
                table[(remaining * Modulus) + residue] = Completions(remaining, residue, wantValid);
            }
        }

        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CheckFromResidue(int residue)
    {
        // §1.2 step 4: c = 11 − r; 11 maps to 0; 10 means "no valid check digit".
        var check = Modulus - residue;
        return check == Modulus ? 0 : check;
    }

    private static int WeightedSum(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            sum += (body[i] - '0') * (10 - i); // §1.2 step 1: weights 10..2.
        }

        return sum;
    }

    private static bool AllAsciiDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static Segment[] SegmentsOf(NhsRange range) => range switch
    {
        NhsRange.Test999 => Test999Segments,
        NhsRange.England => EnglandSegments,
        NhsRange.Any => AnySegments,
        _ => ThrowRange(range),
    };

    private static Segment[] ThrowRange(NhsRange range)
    {
        DomainThrow.OutOfRange(nameof(range), range, "Test999, England or Any");
        return [];
    }

    private static long[] BuildSuffixCount()
    {
        var table = new long[(BodyLength + 1) * Modulus];
        table[0] = 1;
        for (var k = 1; k <= BodyLength; k++)
        {
            var weight = k + 1; // the first of the last k positions is position 10-k (1-based), weight 11-(10-k).
            for (var digit = 0; digit <= 9; digit++)
            {
                for (var r = 0; r < Modulus; r++)
                {
                    table[(k * Modulus) + ((r + (digit * weight)) % Modulus)] += table[((k - 1) * Modulus) + r];
                }
            }
        }

        return table;
    }

    /// <summary>A fixed leading part of the body followed by free digits.</summary>
    private readonly struct Segment
    {
        public Segment(int prefix, int prefixLength, int freeDigits)
        {
            Prefix = prefix;
            PrefixLength = prefixLength;
            var sum = 0;
            var p = prefix;
            for (var i = prefixLength - 1; i >= 0; i--)
            {
                sum += p % 10 * (10 - i);
                p /= 10;
            }

            PrefixResidue = sum % Modulus;
            ValidCount = Completions(freeDigits, PrefixResidue, wantValid: true);
            CheckTenCount = Completions(freeDigits, PrefixResidue, wantValid: false);
        }

        public int Prefix { get; }

        public int PrefixLength { get; }

        public int PrefixResidue { get; }

        public long ValidCount { get; }

        public long CheckTenCount { get; }
    }
}
