using System.Globalization;
using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.Nhs;

/// <summary>The two file families of the NHS pack.</summary>
public enum NhsFamily
{
    /// <summary>SFT (overnight-stay) files.</summary>
    Sft = 0,

    /// <summary>GP (registered-patient) files.</summary>
    Gp = 1,
}

/// <summary>
/// Which person every row of the NHS pack's files holds, as a pure function of (family, file index,
/// row ordinal in the file). Nothing is materialised: each row computes its own person.
/// </summary>
/// <remarks>
/// <para>A <b>person index</b> identifies a patient; their NHS number is
/// <c>NhsNumber.WriteUnique(person, key)</c> and their name, date of birth and postcode are computed
/// from the same index (<see cref="NhsPerson"/>), so a patient looks the same in both families.</para>
/// <para>Layout, with V valid and I invalid numbers per file and S = <see cref="SftPool"/>:</para>
/// <list type="bullet">
/// <item>Within a file, row ordinal j is shuffled to slot p by a keyed permutation of [0, V + I);
/// slots below V are valid, the rest invalid, so valid and invalid rows are interleaved.</item>
/// <item>SFT file f, valid slot p: person f·V + p (persons 0 … S − 1, each exactly once).</item>
/// <item>GP file f has <see cref="OverlapIn"/>(f) = ⌊r·V·(f+1)⌋ − ⌊r·V·f⌋ overlapping slots (so every file is
/// within one record of r·V, and the total is ⌊r·V·G⌋). Overlap slot p is global overlap number
/// g = ⌊r·V·f⌋ + p, mapped to SFT person π(g mod S) by a keyed permutation π of [0, S): distinct within
/// a file, and spread evenly over the SFT patients across files.</item>
/// <item>GP non-overlapping slots take fresh persons S, S + 1, … in file order, disjoint from SFT and
/// from each other.</item>
/// <item>Invalid slots are encoded as negative values −1 − (f·I + p − V); they carry their own
/// attributes (<see cref="AttributeIndex"/>) and a labelled invalid number.</item>
/// </list>
/// </remarks>
public sealed class NhsLayout
{
    /// <summary>Invalid rows' attribute indices start here, far above any valid person index.</summary>
    private const long InvalidAttributeBase = 1L << 40;

    public required long SftFiles { get; init; }

    public required long GpFiles { get; init; }

    public required long ValidPerFile { get; init; }

    public required long InvalidPerFile { get; init; }

    /// <summary>Share of each GP file's valid numbers taken from the SFT patients (0 when GP files are generated alone).</summary>
    public required double OverlapRatio { get; init; }

    /// <summary>The run's seed; all keys derive from it.</summary>
    public required ulong Seed { get; init; }

    public long RowsPerFile => ValidPerFile + InvalidPerFile;

    /// <summary>Distinct SFT patients (valid numbers across all SFT files).</summary>
    public long SftPool => SftFiles * ValidPerFile;

    // ⌊r·V·f⌋ for f = 0 … GpFiles, computed once (decimal is ~20× slower than a lookup, and this runs per GP row).
    private long[]? _overlapPrefix;

    /// <summary>Overlapping GP rows in files before <paramref name="file"/>: ⌊r·V·file⌋, computed in decimal so 0.4 × 2000 is exactly 800.</summary>
    public long OverlapBefore(long file)
    {
        if (file >= 0 && file <= GpFiles && GpFiles <= 1 << 20)
        {
            // A benign race: two threads may both build the same table; either result is correct.
            var prefix = _overlapPrefix ??= Enumerable.Range(0, (int)GpFiles + 1).Select(f => OverlapBeforeExact(f)).ToArray();
            return prefix[file];
        }

        return OverlapBeforeExact(file);
    }

    private long OverlapBeforeExact(long file) => (long)decimal.Floor((decimal)OverlapRatio * ValidPerFile * file);

    /// <summary>Overlapping (also in SFT) valid rows of GP file <paramref name="file"/>.</summary>
    public long OverlapIn(long file) => OverlapBefore(file + 1) - OverlapBefore(file);

    /// <summary>Distinct valid NHS numbers the whole run uses (SFT pool plus GP-only patients).</summary>
    public long DistinctPersons => SftPool + (GpFiles * ValidPerFile) - OverlapBefore(GpFiles);

    private ulong ShuffleKey(NhsFamily family, long file) => SeedTree.Combine(SeedTree.Combine(Seed, family == NhsFamily.Sft ? "nhs.shuffle.sft" : "nhs.shuffle.gp"), (ulong)file);

    private ulong OverlapKey => SeedTree.Combine(Seed, "nhs.overlap");

    /// <summary>Key of the NHS-number permutation shared by both families.</summary>
    public ulong NumberKey => NumberKeyFor(Seed);

    /// <summary>Key of the NHS-number permutation for a run's seed: person p has number <c>NhsNumber.WriteUnique(p, key)</c>.</summary>
    public static ulong NumberKeyFor(ulong seed) => SeedTree.Combine(seed, "nhs.number");

    /// <summary>
    /// The person of row <paramref name="ordinal"/> of file <paramref name="file"/>: ≥ 0 for a valid row
    /// (a person index), negative for an invalid row.
    /// </summary>
    public long PersonOf(NhsFamily family, long file, long ordinal)
    {
        if ((ulong)ordinal >= (ulong)RowsPerFile)
        {
            throw new DoppelException(string.Create(CultureInfo.InvariantCulture, $"NHS pack: row {ordinal} of a file that holds {RowsPerFile} rows (valid + invalid per file); the table's per_parent must be valid_nhs_per_file + invalid_nhs_per_file"), ExitCodes.UsageError);
        }

        var slot = FeistelPermutation.Permute(ordinal, RowsPerFile, ShuffleKey(family, file));
        if (slot >= ValidPerFile)
        {
            return -1 - ((file * InvalidPerFile) + (slot - ValidPerFile));
        }

        if (family == NhsFamily.Sft)
        {
            return (file * ValidPerFile) + slot;
        }

        var overlap = OverlapIn(file);
        if (slot < overlap)
        {
            var g = OverlapBefore(file) + slot;
            return FeistelPermutation.Permute(g % SftPool, SftPool, OverlapKey);
        }

        return SftPool + (file * ValidPerFile) - OverlapBefore(file) + (slot - overlap);
    }

    /// <summary>The index person attributes are computed from: the person for valid rows, a separate range per family for invalid rows.</summary>
    public static long AttributeIndex(NhsFamily family, long person) =>
        person >= 0 ? person : InvalidAttributeBase + (family == NhsFamily.Gp ? InvalidAttributeBase / 2 : 0) + (-1 - person);

    /// <summary>Why this layout cannot be generated (a one-line, actionable message), or null when it can.</summary>
    public string? Problem(NhsRange range)
    {
        if (ValidPerFile < 0 || InvalidPerFile < 0 || SftFiles < 0 || GpFiles < 0)
        {
            return "file counts and numbers per file must be ≥ 0";
        }

        if (!double.IsFinite(OverlapRatio) || OverlapRatio is < 0 or > 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"GP_SFT_OVERLAP_RATIO must be between 0 and 1, not {OverlapRatio}");
        }

        if (GpFiles > 0 && OverlapIn(0) > 0 && SftPool == 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"GP_SFT_OVERLAP_RATIO={OverlapRatio} asks GP files to reuse SFT patients, but there are none (NUM_SFT_FILES={SftFiles}, VALID_NHS_PER_FILE={ValidPerFile}); set the ratio to 0 or use mode=gp");
        }

        var maxOverlap = GpFiles == 0 ? 0 : (long)Math.Ceiling(OverlapRatio * ValidPerFile);
        if (maxOverlap > SftPool && GpFiles > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"each GP file needs up to {maxOverlap} distinct SFT patients (GP_SFT_OVERLAP_RATIO={OverlapRatio} × VALID_NHS_PER_FILE={ValidPerFile}) but the SFT files hold only {SftPool}; add SFT files or lower the ratio");
        }

        var capacity = NhsNumber.Capacity(range);
        if (DistinctPersons > capacity)
        {
            var name = range switch { NhsRange.Test999 => "test (999…)", NhsRange.England => "england", _ => "any" };
            return string.Create(CultureInfo.InvariantCulture, $"the run needs {DistinctPersons:N0} distinct valid NHS numbers but the '{name}' range holds {capacity:N0}; generate fewer files or numbers per file, or set nhs_range=england or any (numbers that may belong to real people)");
        }

        return null;
    }
}
