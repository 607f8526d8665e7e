namespace Doppel.Domain.Tests;

public class FeistelPermutationTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(3L)]
    [InlineData(17L)]
    [InlineData(1000L)]
    [InlineData(65_536L)]
    [InlineData(65_537L)]
    public void Every_domain_size_gives_a_bijection(long size)
    {
        var seen = new bool[size];
        for (long i = 0; i < size; i++)
        {
            var j = FeistelPermutation.Permute(i, size, 0xDEADBEEF);
            j.Should().BeInRange(0, size - 1);
            seen[j].Should().BeFalse();
            seen[j] = true;
        }
    }

    [Fact]
    public void Order_looks_shuffled_not_sequential()
    {
        const long size = 100_000;
        var ascending = 0;
        var previous = FeistelPermutation.Permute(0, size, 1);
        for (long i = 1; i < 10_000; i++)
        {
            var current = FeistelPermutation.Permute(i, size, 1);
            if (current > previous)
            {
                ascending++;
            }

            previous = current;
        }

        // A random order rises about half the time.
        ascending.Should().BeInRange(4_700, 5_300);
    }

    [Fact]
    public void Huge_domains_work()
    {
        const long size = long.MaxValue;
        FeistelPermutation.Permute(size - 1, size, 3).Should().BeInRange(0, size - 1);
        FeistelPermutation.Permute(0, size, 3).Should().NotBe(FeistelPermutation.Permute(1, size, 3));
    }

    [Theory]
    [InlineData(-1L, 10L)]
    [InlineData(10L, 10L)]
    [InlineData(0L, 0L)]
    public void Out_of_domain_arguments_throw(long index, long size) =>
        FluentActions.Invoking(() => FeistelPermutation.Permute(index, size, 1)).Should().Throw<ArgumentOutOfRangeException>();
}
