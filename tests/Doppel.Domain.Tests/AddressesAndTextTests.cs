using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class AddressesTests
{
    [Fact]
    public void Uk_street_lines_have_a_number_a_name_and_a_suffix()
    {
        var rng = new Rng(31);
        var suffixes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var line = TestUtil.Write(ref rng, (ref Rng r, Span<char> d) => Addresses.WriteStreetLine(ref r, d, NameLocale.EnGb));
            line.Should().MatchRegex(@"^[1-9][0-9]{0,2} [A-Z][A-Za-z' ]+ [A-Z][a-z]+$", line);
            suffixes.Add(line[(line.LastIndexOf(' ') + 1)..]);
        }

        suffixes.Should().Contain(["Road", "Street", "Lane", "Avenue", "Close"]);
    }

    [Fact]
    public void Us_street_lines_use_us_suffixes()
    {
        var rng = new Rng(32);
        var suffixes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20_000; i++)
        {
            var line = TestUtil.Write(ref rng, (ref Rng r, Span<char> d) => Addresses.WriteStreetLine(ref r, d, NameLocale.EnUs));
            line.Should().MatchRegex(@"^[1-9][0-9]{2,4} [0-9A-Z][A-Za-z0-9]+ [A-Z][a-z]+$", line);
            suffixes.Add(line[(line.LastIndexOf(' ') + 1)..]);
        }

        suffixes.Should().Contain(["St", "Ave", "Blvd"]);
    }

    [Fact]
    public void Places_are_real_towns_with_consistent_postal_codes()
    {
        Addresses.AllPlaces(NameLocale.EnGb).Should().HaveCountGreaterThanOrEqualTo(100);
        Addresses.AllPlaces(NameLocale.EnUs).Should().HaveCountGreaterThanOrEqualTo(100);
        var rng = new Rng(33);
        Span<char> dest = stackalloc char[UkPostcode.MaxLength];
        for (var i = 0; i < 5_000; i++)
        {
            var place = Addresses.RandomPlace(ref rng, NameLocale.EnGb);
            var n = Addresses.WritePostalCode(ref rng, place, dest);
            var postcode = new string(dest[..n]);
            UkPostcode.IsValid(postcode).Should().BeTrue();
            place.PostalPrefixes.Should().Contain(new string(postcode.TakeWhile(char.IsAsciiLetter).ToArray()));

            var us = Addresses.RandomPlace(ref rng, NameLocale.EnUs);
            n = Addresses.WritePostalCode(ref rng, us, dest);
            new string(dest[..n]).Should().MatchRegex("^[0-9]{5}$").And.StartWith(us.PostalPrefixes[0]);
            us.Region.Should().MatchRegex("^[A-Z]{2}$");
        }
    }

    [Fact]
    public void Cities_are_weighted_by_population()
    {
        var rng = new Rng(34);
        var london = 0;
        for (var i = 0; i < 20_000; i++)
        {
            if (Addresses.City(ref rng, NameLocale.EnGb).City == "London")
            {
                london++;
            }
        }

        london.Should().BeGreaterThan(3_000, "London is by far the largest place");
        Addresses.City(ref rng, NameLocale.EnUs).Region.Should().HaveLength(2);
    }

    [Fact]
    public void Zip_codes_take_a_zip3_prefix()
    {
        var rng = new Rng(35);
        Span<char> dest = stackalloc char[5];
        Addresses.WriteUsZip(ref rng, "981", dest).Should().Be(5);
        dest[..3].ToString().Should().Be("981");
        dest[3..].ToString().Should().NotBe("00");
        FluentActions.Invoking(() =>
        {
            var r = new Rng(1);
            return Addresses.WriteUsZip(ref r, "98", new char[5]);
        }).Should().Throw<ArgumentException>().WithMessage("*three digits*");
    }
}

public class TextTests
{
    private static readonly string[] Templates =
    [
        "Patient reported {mild|moderate|severe} {chest pain|shortness of breath}.",
        "{Ambulance|Fire crew} attended; {no further action|conveyed to hospital}.",
    ];

    [Fact]
    public void Sentences_expand_one_alternative_per_group()
    {
        var rng = new Rng(41);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2_000; i++)
        {
            var sentence = TestUtil.Write(ref rng, (ref Rng r, Span<char> d) => Text.WriteSentence(ref r, Templates, d));
            sentence.Should().NotContainAny("{", "}", "|");
            seen.Add(sentence);
        }

        seen.Should().HaveCount((3 * 2) + (2 * 2));
        seen.Should().Contain("Patient reported severe chest pain.");
    }

    [Fact]
    public void Empty_alternative_makes_a_word_optional()
    {
        var rng = new Rng(42);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            seen.Add(TestUtil.Write(ref rng, (ref Rng r, Span<char> d) => Text.WriteSentence(ref r, ["a {very |}big dog"], d)));
        }

        seen.Should().BeEquivalentTo("a very big dog", "a big dog");
    }

    [Theory]
    [InlineData("ok {a|b}", null)]
    [InlineData("bad {a", "Unclosed*")]
    [InlineData("bad a}", "Unmatched*")]
    [InlineData("bad {a{b}}", "Nested*")]
    public void Validate_reports_brace_errors(string template, string? pattern)
    {
        var message = Text.Validate(template);
        if (pattern is null)
        {
            message.Should().BeNull();
        }
        else
        {
            message.Should().Match(pattern);
        }
    }

    [Fact]
    public void Too_small_destination_throws()
    {
        var act = () =>
        {
            var rng = new Rng(1);
            return Text.WriteSentence(ref rng, ["a long sentence"], new char[4]);
        };
        act.Should().Throw<ArgumentException>();
    }
}
