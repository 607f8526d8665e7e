using System.Text.RegularExpressions;
using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class UkPostcodeTests
{
    // Domain reference §2.3, verbatim.
    private static readonly Regex Strict = new(
        "^(?:GIR 0AA|(?:[ABCDEFGHIJKLMNOPRSTUWYZ][0-9][0-9]?|[ABCDEFGHIJKLMNOPRSTUWYZ][ABCDEFGHKLMNOPQRSTUVWXY][0-9][0-9]?|[ABCDEFGHIJKLMNOPRSTUWYZ][0-9][ABCDEFGHJKPSTUW]|[ABCDEFGHIJKLMNOPRSTUWYZ][ABCDEFGHKLMNOPQRSTUVWXY][0-9][ABEHMNPRVWXY]) [0-9][ABDEFGHJLNPQRSTUWXYZ]{2})$",
        RegexOptions.CultureInvariant);

    // Domain reference §2.6.
    [Theory]
    [InlineData("M1 1AA", true)]
    [InlineData("M60 1NW", true)]
    [InlineData("CR2 6XH", true)]
    [InlineData("DN55 1PT", true)]
    [InlineData("W1A 1HQ", true)]
    [InlineData("EC1A 1BB", true)]
    [InlineData("SW1A 1AA", true)]
    [InlineData("GIR 0AA", true)]
    [InlineData("BS98 1TL", true)]
    [InlineData("W1P 1AA", true)]
    [InlineData("N1P 1AA", true)]
    [InlineData("QA1 1AA", false)]
    [InlineData("VA1 1AA", false)]
    [InlineData("XA1 1AA", false)]
    [InlineData("AI1 1AA", false)]
    [InlineData("AJ1 1AA", false)]
    [InlineData("AZ1 1AA", false)]
    [InlineData("W1I 1AA", false)]
    [InlineData("W1L 1AA", false)]
    [InlineData("EC1C 1AA", false)]
    [InlineData("EC1D 1AA", false)]
    [InlineData("SW1A 1CA", false)]
    [InlineData("SW1A 1AK", false)]
    [InlineData("SW1A 1MO", false)]
    [InlineData("M1 1AV", false)]
    [InlineData("SW1A1AA", false)]
    [InlineData("sw1a 1aa", false)]
    [InlineData("M1  1AA", false)]
    [InlineData("M 1AA", false)]
    [InlineData("M111 1AA", false)]
    [InlineData("M1 AAA", false)]
    [InlineData("M1 11A", false)]
    public void Reference_vectors_match_the_strict_rules(string input, bool expected)
    {
        UkPostcode.IsValid(input).Should().Be(expected);
        Strict.IsMatch(input).Should().Be(expected, "the test's copy of the §2.3 regex agrees");
    }

    [Fact]
    public void Hand_written_validator_agrees_with_the_regex_on_fuzzed_input()
    {
        // Strings built from postcode-like pieces, so that many are near misses.
        const string alphabet = "ABCDEGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        var rng = new Rng(2024);
        Span<char> buffer = stackalloc char[9];
        var matches = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var length = 5 + rng.NextInt(5);
            if (i % 2 == 0)
            {
                length = UkPostcode.WriteRandom(ref rng, buffer);
                buffer[rng.NextInt(length)] = alphabet[rng.NextInt(alphabet.Length)];
            }
            else
            {
                for (var j = 0; j < length; j++)
                {
                    buffer[j] = alphabet[rng.NextInt(alphabet.Length)];
                }
            }

            var text = new string(buffer[..length]);
            var expected = Strict.IsMatch(text);
            UkPostcode.IsValid(text).Should().Be(expected, text);
            matches += expected ? 1 : 0;
        }

        matches.Should().BeGreaterThan(10_000);
    }

    [Fact]
    public void Random_postcodes_always_match_and_use_real_outward_codes()
    {
        var outwards = UkPostcode.OutwardCodes.ToHashSet(StringComparer.Ordinal);
        var rng = new Rng(11);
        var areas = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 100_000; i++)
        {
            var postcode = TestUtil.Write(ref rng, UkPostcode.WriteRandom);
            Strict.IsMatch(postcode).Should().BeTrue(postcode);
            var outward = postcode[..^4];
            outwards.Should().Contain(outward);
            areas.Add(new string(outward.TakeWhile(char.IsAsciiLetter).ToArray()));
        }

        UkPostcode.Areas.Should().HaveCount(124);
        areas.Count.Should().Be(124, "100k draws over ~2,800 districts reach every area");
    }

    [Fact]
    public void Dataset_has_the_reference_districts()
    {
        UkPostcode.OutwardCodes.Should().Contain(["LS1", "SW1A", "EC1A", "W1B", "N1C", "E1W", "BL0", "AB10", "ZE3", "WC2R"]);
        UkPostcode.OutwardCodes.Should().NotContain(["W1A", "N1P", "BS98", "BF1", "EC50"], "non-geographic districts are left out");
        UkPostcode.OutwardCodesIn("EC").Should().HaveCount(23);
        UkPostcode.OutwardCodesIn("JE").Should().Equal("JE2", "JE3", "JE5");
        UkPostcode.OutwardCodes.Should().OnlyHaveUniqueItems().And.HaveCount(2818);
    }

    [Fact]
    public void Postcodes_in_an_area_stay_in_that_area()
    {
        var rng = new Rng(8);
        Span<char> dest = stackalloc char[UkPostcode.MaxLength];
        var districts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 5_000; i++)
        {
            var n = UkPostcode.WriteRandomInArea(ref rng, "LS", dest);
            var text = new string(dest[..n]);
            text.Should().StartWith("LS");
            char.IsAsciiDigit(text[2]).Should().BeTrue();
            UkPostcode.IsValid(text).Should().BeTrue();
            districts.Add(text[..^4]);
        }

        districts.Should().HaveCount(29);
    }

    [Fact]
    public void Unknown_area_gives_an_actionable_error()
    {
        var act = () =>
        {
            var rng = new Rng(1);
            return UkPostcode.WriteRandomInArea(ref rng, "QQ", new char[8]);
        };
        act.Should().Throw<ArgumentException>().WithMessage("Unknown postcode area 'QQ'*UkPostcode.Areas*");
    }

    [Theory]
    [InlineData(" sw1a1aa ", "SW1A 1AA")]
    [InlineData("m1 1aa", "M1 1AA")]
    [InlineData("EC1A  1BB", "EC1A 1BB")]
    [InlineData("1AA", "")]
    [InlineData("EC1A1BBX", "")]
    public void Normalisation_inserts_one_space_before_the_inward_code(string input, string expected)
    {
        Span<char> dest = stackalloc char[UkPostcode.MaxLength];
        var n = UkPostcode.WriteNormalized(input, dest);
        new string(dest[..n]).Should().Be(expected);
    }

    [Fact]
    public void Inward_codes_cover_all_sectors_and_allowed_unit_letters()
    {
        var rng = new Rng(12);
        var sectors = new HashSet<char>();
        var units = new HashSet<char>();
        for (var i = 0; i < 20_000; i++)
        {
            var postcode = TestUtil.Write(ref rng, UkPostcode.WriteRandom);
            sectors.Add(postcode[^3]);
            units.Add(postcode[^2]);
            units.Add(postcode[^1]);
        }

        sectors.Should().HaveCount(10);
        new string([.. units.Order()]).Should().Be("ABDEFGHJLNPQRSTUWXYZ");
    }

    [Theory]
    [InlineData(PostcodeInvalidKind.ForbiddenLetter, false)]
    [InlineData(PostcodeInvalidKind.MissingSpace, true)]
    [InlineData(PostcodeInvalidKind.DoubleSpace, true)]
    [InlineData(PostcodeInvalidKind.LowerCase, true)]
    [InlineData(PostcodeInvalidKind.InwardLetterFirst, false)]
    [InlineData(PostcodeInvalidKind.OutwardTooLong, false)]
    [InlineData(PostcodeInvalidKind.ThreeDigitDistrict, false)]
    public void Invalid_postcodes_fail_and_only_layout_defects_normalise_away(PostcodeInvalidKind kind, bool validAfterNormalising)
    {
        var rng = new Rng(13);
        Span<char> dest = stackalloc char[UkPostcode.MaxInvalidLength];
        Span<char> normalized = stackalloc char[UkPostcode.MaxLength];
        for (var i = 0; i < 5_000; i++)
        {
            var n = UkPostcode.WriteInvalid(ref rng, kind, dest);
            var text = new string(dest[..n]);
            UkPostcode.IsValid(text).Should().BeFalse(text);
            Strict.IsMatch(text).Should().BeFalse(text);
            var m = UkPostcode.WriteNormalized(text, normalized);
            UkPostcode.IsValid(normalized[..m]).Should().Be(validAfterNormalising, text);
        }
    }

    [Fact]
    public void Area_lookup_ignores_case()
    {
        var rng = new Rng(14);
        TestUtil.Write(ref rng, (ref Rng r, Span<char> d) => UkPostcode.WriteRandomInArea(ref r, "ls", d)).Should().StartWith("LS");
    }
}
