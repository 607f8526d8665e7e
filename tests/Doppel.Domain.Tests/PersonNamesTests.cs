using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class PersonNamesTests
{
    [Theory]
    [InlineData(Sex.Female, NameLocale.EnGb, 200)]
    [InlineData(Sex.Male, NameLocale.EnGb, 200)]
    [InlineData(Sex.Female, NameLocale.EnUs, 150)]
    [InlineData(Sex.Male, NameLocale.EnUs, 150)]
    public void First_name_tables_are_large_unique_and_positive(Sex sex, NameLocale locale, int minimum)
    {
        var table = PersonNames.FirstNameTable(sex, locale);
        table.Should().HaveCountGreaterThanOrEqualTo(minimum);
        table.Select(e => e.Value).Should().OnlyHaveUniqueItems();
        table.Should().OnlyContain(e => e.Weight > 0 && e.Value.Length > 1 && char.IsUpper(e.Value[0]));
    }

    [Theory]
    [InlineData(NameLocale.EnGb, 500)]
    [InlineData(NameLocale.EnUs, 150)]
    public void Surname_tables_are_large_and_unique(NameLocale locale, int minimum)
    {
        var table = PersonNames.LastNameTable(locale);
        table.Should().HaveCountGreaterThanOrEqualTo(minimum);
        table.Select(e => e.Value).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Surnames_follow_the_census_ordering()
    {
        var top = PersonNames.LastNameTable().OrderByDescending(e => e.Weight).Take(10).Select(e => e.Value);
        top.Should().Equal("Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson");
    }

    [Theory]
    [InlineData(Sex.Female, NameLocale.EnGb)]
    [InlineData(Sex.Male, NameLocale.EnGb)]
    [InlineData(Sex.Female, NameLocale.EnUs)]
    public void Drawn_first_names_match_their_weights(Sex sex, NameLocale locale)
    {
        var table = PersonNames.FirstNameTable(sex, locale);
        var total = table.Sum(e => e.Weight);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var rng = new Rng(1234);
        const int draws = 100_000;
        for (var i = 0; i < draws; i++)
        {
            var name = PersonNames.FirstName(ref rng, sex, locale);
            counts[name] = counts.GetValueOrDefault(name) + 1;
        }

        // The five most frequent names land within 5 standard deviations of their expected counts.
        foreach (var (name, weight) in table.OrderByDescending(e => e.Weight).Take(5))
        {
            var p = weight / total;
            var expected = p * draws;
            var sigma = Math.Sqrt(draws * p * (1 - p));
            counts.GetValueOrDefault(name).Should().BeInRange((int)(expected - (5 * sigma)), (int)(expected + (5 * sigma)), name);
        }

        counts.Keys.Should().BeSubsetOf(table.Select(e => e.Value));
        counts.Count.Should().BeGreaterThan(table.Count * 9 / 10, "nearly every name shows up in 100k draws");
    }

    [Fact]
    public void Any_sex_mixes_female_and_male_names_half_and_half()
    {
        var female = PersonNames.FirstNameTable(Sex.Female).Select(e => e.Value).ToHashSet(StringComparer.Ordinal);
        var rng = new Rng(77);
        var femaleCount = 0;
        const int draws = 50_000;
        for (var i = 0; i < draws; i++)
        {
            if (female.Contains(PersonNames.FirstName(ref rng, Sex.Any)))
            {
                femaleCount++;
            }
        }

        femaleCount.Should().BeCloseTo(draws / 2, 700);
    }

    [Fact]
    public void Surname_frequencies_match_weights()
    {
        var table = PersonNames.LastNameTable();
        var total = table.Sum(e => e.Weight);
        var smithShare = table.Single(e => e.Value == "Smith").Weight / total;
        var rng = new Rng(5);
        var smith = 0;
        const int draws = 100_000;
        for (var i = 0; i < draws; i++)
        {
            if (PersonNames.LastName(ref rng) == "Smith")
            {
                smith++;
            }
        }

        var expected = smithShare * draws;
        smith.Should().BeCloseTo((int)expected, (uint)(5 * Math.Sqrt(expected)));
    }

    [Fact]
    public void Names_are_returned_from_the_preloaded_table_without_copies()
    {
        var rng = new Rng(3);
        var a = PersonNames.LastName(ref rng, NameLocale.EnUs);
        var table = PersonNames.LastNameTable(NameLocale.EnUs);
        table.Any(e => ReferenceEquals(e.Value, a)).Should().BeTrue();
    }
}

public class WeightedSamplerTests
{
    [Fact]
    public void Frequencies_match_weights_including_zero_weights()
    {
        var sampler = new WeightedSampler([5, 0, 1, 3, 1]);
        var counts = new int[5];
        var rng = new Rng(9);
        const int draws = 200_000;
        for (var i = 0; i < draws; i++)
        {
            counts[sampler.Sample(ref rng)]++;
        }

        counts[1].Should().Be(0);
        counts[0].Should().BeCloseTo(draws / 2, 1_200);
        counts[2].Should().BeCloseTo(draws / 10, 700);
        counts[3].Should().BeCloseTo(draws * 3 / 10, 1_100);
        counts[4].Should().BeCloseTo(draws / 10, 700);
    }

    [Fact]
    public void Single_weight_always_wins()
    {
        var sampler = new WeightedSampler([0.001]);
        var rng = new Rng(1);
        for (var i = 0; i < 100; i++)
        {
            sampler.Sample(ref rng).Should().Be(0);
        }
    }

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 0.0, 0.0 })]
    [InlineData(new[] { 1.0, -1.0 })]
    [InlineData(new[] { 1.0, double.NaN })]
    [InlineData(new[] { double.PositiveInfinity })]
    public void Bad_weights_are_rejected(double[] weights) =>
        FluentActions.Invoking(() => new WeightedSampler(weights)).Should().Throw<ArgumentException>();
}
