using Doppel.Domain;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>The row → person mapping, checked exhaustively on small layouts.</summary>
public sealed class NhsLayoutTests
{
    private static NhsLayout Layout(long sft = 2, long gp = 7, long valid = 40, long invalid = 9, double ratio = 0.35, ulong seed = 42) =>
        new() { SftFiles = sft, GpFiles = gp, ValidPerFile = valid, InvalidPerFile = invalid, OverlapRatio = ratio, Seed = seed };

    private static List<long> FileRows(NhsLayout l, NhsFamily family, long file) =>
        Enumerable.Range(0, (int)l.RowsPerFile).Select(j => l.PersonOf(family, file, j)).ToList();

    [Fact]
    public void Every_file_has_exactly_the_valid_and_invalid_counts_interleaved_not_grouped()
    {
        var l = Layout();
        foreach (var family in new[] { NhsFamily.Sft, NhsFamily.Gp })
        {
            for (var f = 0; f < (family == NhsFamily.Sft ? l.SftFiles : l.GpFiles); f++)
            {
                var rows = FileRows(l, family, f);
                rows.Count(p => p >= 0).Should().Be(40);
                rows.Count(p => p < 0).Should().Be(9);
                // Shuffled: the invalid rows are not all at the end (or the start) of the file.
                var firstInvalid = rows.FindIndex(p => p < 0);
                var lastInvalid = rows.FindLastIndex(p => p < 0);
                (lastInvalid - firstInvalid).Should().BeGreaterThan(9, "invalid rows are spread through the file");
            }
        }
    }

    [Fact]
    public void Sft_files_hold_each_sft_patient_exactly_once()
    {
        var l = Layout();
        var persons = Enumerable.Range(0, (int)l.SftFiles).SelectMany(f => FileRows(l, NhsFamily.Sft, f)).Where(p => p >= 0).ToList();
        persons.Order().Should().Equal(Enumerable.Range(0, (int)l.SftPool).Select(i => (long)i));
    }

    [Theory]
    [InlineData(0.35)]
    [InlineData(0.4)]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(0.333)]
    public void Gp_overlap_is_the_ratio_to_within_one_row_per_file_and_exact_in_total(double ratio)
    {
        var l = Layout(ratio: ratio);
        long total = 0;
        var gpOnly = new HashSet<long>();
        for (var f = 0; f < l.GpFiles; f++)
        {
            var valid = FileRows(l, NhsFamily.Gp, f).Where(p => p >= 0).ToList();
            valid.Should().OnlyHaveUniqueItems("no number repeats within a file");
            var overlap = valid.Count(p => p < l.SftPool);
            overlap.Should().Be((int)l.OverlapIn(f));
            ((double)overlap).Should().BeApproximately(ratio * l.ValidPerFile, 1.0);
            total += overlap;
            foreach (var p in valid.Where(p => p >= l.SftPool))
            {
                gpOnly.Add(p).Should().BeTrue("GP-only patients appear in one GP file only");
            }
        }

        total.Should().Be((long)Math.Floor((decimal)ratio * l.ValidPerFile * l.GpFiles));
        gpOnly.Should().HaveCount((int)((l.GpFiles * l.ValidPerFile) - total));
        (l.SftPool + gpOnly.Count).Should().Be(l.DistinctPersons);
    }

    [Fact]
    public void Overlapping_gp_rows_cover_the_sft_patients_evenly()
    {
        // 7 files × 14 overlapping rows = 98 uses of 80 SFT patients: each is used once or twice.
        var l = Layout();
        var uses = Enumerable.Range(0, (int)l.GpFiles).SelectMany(f => FileRows(l, NhsFamily.Gp, f)).Where(p => p >= 0 && p < l.SftPool).GroupBy(p => p).ToList();
        uses.Should().HaveCount((int)l.SftPool);
        uses.Should().OnlyContain(g => g.Count() == 1 || g.Count() == 2);
    }

    [Fact]
    public void Invalid_rows_get_their_own_attribute_indices_per_family()
    {
        var l = Layout();
        var sft = Enumerable.Range(0, (int)l.SftFiles).SelectMany(f => FileRows(l, NhsFamily.Sft, f)).Where(p => p < 0).Select(p => NhsLayout.AttributeIndex(NhsFamily.Sft, p)).ToList();
        var gp = Enumerable.Range(0, (int)l.GpFiles).SelectMany(f => FileRows(l, NhsFamily.Gp, f)).Where(p => p < 0).Select(p => NhsLayout.AttributeIndex(NhsFamily.Gp, p)).ToList();
        sft.Concat(gp).Should().OnlyHaveUniqueItems();
        sft.Concat(gp).Should().OnlyContain(i => i > l.DistinctPersons);
    }

    [Fact]
    public void A_different_seed_shuffles_differently()
    {
        FileRows(Layout(seed: 1), NhsFamily.Gp, 0).Should().NotEqual(FileRows(Layout(seed: 2), NhsFamily.Gp, 0));
    }

    [Fact]
    public void Impossible_layouts_are_explained_in_one_line()
    {
        Layout(sft: 0).Problem(NhsRange.Test999).Should().Contain("NUM_SFT_FILES=0").And.Contain("set the ratio to 0 or use mode=gp");
        Layout(sft: 1, valid: 10, ratio: 1).Problem(NhsRange.Test999).Should().BeNull();
        Layout(gp: 2000, valid: 2000, invalid: 0).Problem(NhsRange.Test999).Should().Contain("distinct valid NHS numbers but the 'test (999…)' range holds").And.Contain("nhs_range=england or any");
        Layout(gp: 2000, valid: 2000, invalid: 0).Problem(NhsRange.Any).Should().BeNull();
        Layout(ratio: 1.5).Problem(NhsRange.Test999).Should().Contain("between 0 and 1");
        Layout().Problem(NhsRange.Test999).Should().BeNull();
    }

    [Fact]
    public void A_row_beyond_the_file_size_is_a_usage_error()
    {
        var act = () => Layout().PersonOf(NhsFamily.Sft, 0, 49);
        act.Should().Throw<DoppelException>().WithMessage("*valid_nhs_per_file + invalid_nhs_per_file*");
    }
}
