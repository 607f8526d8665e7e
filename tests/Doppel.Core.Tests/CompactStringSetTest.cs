using Doppel.Validation;

namespace Doppel.Core.Tests;

public class CompactStringSetTest
{
    [Fact]
    public void It_agrees_with_a_hash_set_on_a_million_mixed_values()
    {
        var set = new CompactStringSet();
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var rng = new Seeding.Rng(3);
        for (var i = 0; i < 1_000_000; i++)
        {
            // Many repeats, every length from 0 to ~300 (across the 1-byte and 2-byte length prefixes), non-ASCII too.
            var n = (int)rng.NextBelow(40_000);
            var value = (n % 7) switch
            {
                0 => string.Empty,
                1 => new string('x', n % 300) + n,
                2 => "Zoë-" + n + "-Ω",
                3 => n.ToString("D10", System.Globalization.CultureInfo.InvariantCulture),
                _ => "v" + n,
            };
            set.Add(value).Should().Be(reference.Add(value), value);
        }

        set.Count.Should().Be(reference.Count);
        foreach (var v in new[] { "v1", "v40001", "Zoë-2-Ω", "Zoë-2-O", string.Empty, new string('x', 299) + "299" })
        {
            set.Contains(v).Should().Be(reference.Contains(v), v);
        }
    }

    [Fact]
    public void A_value_longer_than_a_chunk_is_kept_whole()
    {
        var set = new CompactStringSet();
        var big = new string('é', 700_000); // 1.4 MB of UTF-8: larger than a 1 MB chunk
        set.Add(big).Should().BeTrue();
        set.Add("after").Should().BeTrue();
        set.Add(big).Should().BeFalse();
        set.Contains(big[..^1]).Should().BeFalse();
    }
}
