using System.Text.RegularExpressions;
using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class PhoneTests
{
    [Fact]
    public void Uk_mobiles_stay_in_the_ofcom_drama_range()
    {
        var rng = new Rng(1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var number = TestUtil.Write(ref rng, Phone.WriteUkMobile);
            number.Should().MatchRegex("^07700 900[0-9]{3}$");
            seen.Add(number);
        }

        seen.Should().HaveCount(1000, "all 1,000 numbers of 07700 900000–900999 are used");
    }

    [Fact]
    public void Uk_landlines_stay_in_drama_ranges()
    {
        var pattern = new Regex(
            "^(?:01(?:1[3-8]|[2-6]1) 496 0[0-9]{3}|020 7946 0[0-9]{3}|0191 498 0[0-9]{3}|028 9649 6[0-9]{3}|029 2018 0[0-9]{3}|01632 960[0-9]{3})$",
            RegexOptions.CultureInvariant);
        var rng = new Rng(2);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var number = TestUtil.Write(ref rng, Phone.WriteUkLandline);
            pattern.IsMatch(number).Should().BeTrue(number);
            prefixes.Add(number[..^3]);
        }

        prefixes.Should().HaveCount(16);
    }

    [Theory]
    [InlineData("LS", "0113 496 0")]
    [InlineData("SW", "020 7946 0")]
    [InlineData("BT", "028 9649 6")]
    [InlineData("CF", "029 2018 0")]
    [InlineData("ZE", "01632 960")]
    public void Landline_follows_the_postcode_area(string area, string prefix)
    {
        var rng = new Rng(3);
        Span<char> dest = stackalloc char[Phone.UkLandlineMaxLength];
        var n = Phone.WriteUkLandlineFor(ref rng, area, dest);
        new string(dest[..n]).Should().StartWith(prefix).And.HaveLength(prefix.Length + 3);
    }

    [Fact]
    public void Us_numbers_use_the_fictional_555_01xx_block()
    {
        var rng = new Rng(4);
        var lines = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            var number = TestUtil.Write(ref rng, Phone.WriteUsFictional);
            number.Should().MatchRegex(@"^\([2-9][0-9]{2}\) 555-01[0-9]{2}$");
            lines.Add(number[^4..]);
        }

        lines.Should().HaveCount(100, "0100–0199");
    }
}
