namespace Doppel.Core.Tests;

public class DistributionsTest
{
    private static List<double> Column(string gen, int n = 20000) =>
        DoppelRecipe.Parse($"tables:\n  t:\n    rows: {n}\n    columns:\n      x: {gen}\n").WithSeed(5).Rows("t").Select(r => Convert.ToDouble(r["x"], System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public void Normal_has_its_mean_and_stddev()
    {
        var xs = Column("{ gen: float, dist: normal, mean: 50, stddev: 10 }");
        var mean = xs.Average();
        var sd = Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / xs.Count);
        mean.Should().BeApproximately(50, 0.3);
        sd.Should().BeApproximately(10, 0.3);
    }

    [Fact]
    public void Poisson_and_exponential_have_their_means()
    {
        Column("{ gen: int, dist: poisson, mean: 4 }").Average().Should().BeApproximately(4, 0.08);
        Column("{ gen: float, dist: exponential, mean: 3 }").Average().Should().BeApproximately(3, 0.1);
    }

    [Fact]
    public void Uniform_ints_stay_in_range_and_cover_it()
    {
        var xs = Column("{ gen: int, min: 1, max: 6 }");
        xs.Should().OnlyContain(x => x >= 1 && x <= 6);
        xs.GroupBy(x => x).Should().HaveCount(6).And.OnlyContain(g => Math.Abs(g.Count() - (xs.Count / 6.0)) < xs.Count * 0.02);
    }

    [Fact]
    public void Weighted_choice_follows_its_weights()
    {
        var rows = DoppelRecipe.Parse("tables:\n  t:\n    rows: 20000\n    columns:\n      x: { gen: choice, values: { A: 3, B: 1 } }\n").Rows("t").Select(r => (string)r["x"]!).ToList();
        (rows.Count(x => x == "A") / (double)rows.Count).Should().BeApproximately(0.75, 0.015);
    }

    [Fact]
    public void Zipf_rank_one_is_most_frequent()
    {
        var xs = Column("{ gen: int, dist: zipf, n: 100, s: 1.2 }");
        var counts = xs.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        counts[1].Should().BeGreaterThan(counts[2]).And.BeGreaterThan(counts[10]);
    }

    [Fact]
    public void Child_counts_follow_the_poisson_mean_and_windows_hold()
    {
        var recipe = DoppelRecipe.Parse(TestRecipes.Clinic).WithParam("patients", "3000");
        var encounters = recipe.Rows("encounters").ToList();
        (encounters.Count / 3000.0).Should().BeApproximately(2, 0.08);
        encounters.Should().OnlyContain(e => (DateTime)e["discharge_time"]! >= (DateTime)e["admit_time"]!);
        encounters.Where(e => (string)e["status"]! == "OPEN").Should().OnlyContain(e => e["closed_at"] == null);
    }
}
