using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class NhsNumberTests
{
    // Domain reference §1.5: every vector, with its verdict.
    [Theory]
    [MemberData(nameof(NhsNumberVectors.Classified), MemberType = typeof(NhsNumberVectors))]
    public void Reference_vectors_classify_as_documented(string input, NhsInvalidKind? expected)
    {
        NhsNumber.Classify(input).Should().Be(expected);
        NhsNumber.IsValid(input).Should().Be(expected is null);
    }

    // Domain reference §1.2 applied to the first nine digits of every §1.5 vector.
    [Theory]
    [MemberData(nameof(NhsNumberVectors.CheckDigits), MemberType = typeof(NhsNumberVectors))]
    public void Check_digit_follows_modulus_11_with_11_as_0_and_10_as_invalid(string first9, int expected) =>
        NhsNumber.CheckDigit(first9).Should().Be(expected);

    [Theory]
    [InlineData("12345678")]
    [InlineData("12345678A")]
    [InlineData("1234567890")]
    public void Check_digit_rejects_anything_but_nine_ascii_digits(string input) =>
        FluentActions.Invoking(() => NhsNumber.CheckDigit(input)).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData("943-476-5919", NhsInvalidKind.Formatting)]
    [InlineData("9434765919 ", NhsInvalidKind.Formatting)]
    [InlineData("943 4765 919", NhsInvalidKind.Formatting)]
    [InlineData("94347659I9", NhsInvalidKind.NonDigit)]
    [InlineData("9O00000009", NhsInvalidKind.NonDigit)]
    [InlineData("٩434765919", NhsInvalidKind.NonDigit)]
    [InlineData("", NhsInvalidKind.WrongLength)]
    [InlineData("94347659190", NhsInvalidKind.WrongLength)]
    public void Formatting_variants_and_non_digits_are_classified(string input, NhsInvalidKind expected) =>
        NhsNumber.Classify(input).Should().Be(expected);

    [Theory]
    [InlineData("0000000000", NhsRange.Any, null)]
    [InlineData("0000000000", NhsRange.England, NhsInvalidKind.OutOfRange)]
    [InlineData("9434765919", NhsRange.Test999, NhsInvalidKind.OutOfRange)]
    [InlineData("9996543218", NhsRange.Test999, null)]
    [InlineData("4010232137", NhsRange.England, null)]
    [InlineData("6541003238", NhsRange.England, null)]
    [InlineData("9000000009", NhsRange.England, NhsInvalidKind.OutOfRange)]
    public void Range_aware_classification_reports_out_of_range(string input, NhsRange range, NhsInvalidKind? expected) =>
        NhsNumber.Classify(input, range).Should().Be(expected);

    [Fact]
    public void Capacity_counts_exactly_the_valid_numbers_of_each_range()
    {
        // Brute force over the 10^6 bodies of the 999 range.
        var test999 = 0L;
        Span<char> body = stackalloc char[9];
        "999".CopyTo(body);
        for (var suffix = 0; suffix < 1_000_000; suffix++)
        {
            suffix.TryFormat(body[3..], out _, "D6", System.Globalization.CultureInfo.InvariantCulture);
            if (NhsNumber.CheckDigit(body) != 10)
            {
                test999++;
            }
        }

        NhsNumber.Capacity(NhsRange.Test999).Should().Be(test999);
        NhsNumber.Capacity(NhsRange.Test999).Should().Be(909_091);

        // Roughly 10/11 of the bodies are valid in every block.
        NhsNumber.Capacity(NhsRange.England).Should().BeCloseTo(300_000_000L * 10 / 11, 10).And.Be(272_727_273);
        NhsNumber.Capacity(NhsRange.Any).Should().BeCloseTo(1_000_000_000L * 10 / 11, 10).And.Be(909_090_910);
    }

    [Theory]
    [InlineData(NhsRange.Test999)]
    [InlineData(NhsRange.England)]
    [InlineData(NhsRange.Any)]
    public void Random_valid_numbers_are_always_valid_and_in_range(NhsRange range)
    {
        var rng = new Rng(42);
        Span<char> dest = stackalloc char[10];
        for (var i = 0; i < 100_000; i++)
        {
            NhsNumber.WriteRandomValid(ref rng, dest, range).Should().Be(10);
            NhsNumber.Classify(dest, range).Should().BeNull(new string(dest));
        }
    }

    [Fact]
    public void Random_valid_numbers_spread_evenly_over_their_free_digits()
    {
        // England: first digit 4, 6 or 7 with equal shares (each block holds ~1/3 of the valid numbers).
        var rng = new Rng(7);
        Span<char> dest = stackalloc char[10];
        var first = new int[10];
        var fourth999 = new int[10];
        const int draws = 100_000;
        for (var i = 0; i < draws; i++)
        {
            NhsNumber.WriteRandomValid(ref rng, dest, NhsRange.England);
            first[dest[0] - '0']++;
            NhsNumber.WriteRandomValid(ref rng, dest);
            fourth999[dest[3] - '0']++;
        }

        foreach (var digit in new[] { 4, 6, 7 })
        {
            first[digit].Should().BeCloseTo(draws / 3, 1_500);
        }

        first.Sum().Should().Be(first[4] + first[6] + first[7]);
        foreach (var count in fourth999)
        {
            count.Should().BeCloseTo(draws / 10, 1_000);
        }
    }

    [Fact]
    public void Unique_numbers_cover_the_whole_test_range_exactly_once()
    {
        var capacity = NhsNumber.Capacity(NhsRange.Test999);
        var seen = new bool[10_000_000];
        Span<char> dest = stackalloc char[10];
        for (long i = 0; i < capacity; i++)
        {
            NhsNumber.WriteUnique(i, 0xC0FFEE, dest, NhsRange.Test999);
            NhsNumber.IsValid(dest, NhsRange.Test999).Should().BeTrue();
            var key = int.Parse(dest[3..], provider: System.Globalization.CultureInfo.InvariantCulture); // 7 digits after 999
            seen[key].Should().BeFalse("index {0} repeated {1}", i, new string(dest));
            seen[key] = true;
        }
    }

    [Fact]
    public void Unique_numbers_are_injective_over_a_million_indices_in_England()
    {
        var seen = new HashSet<long>();
        Span<char> dest = stackalloc char[10];
        for (long i = 0; i < 1_000_000; i++)
        {
            NhsNumber.WriteUnique(i, 12345, dest, NhsRange.England);
            seen.Add(long.Parse(dest, provider: System.Globalization.CultureInfo.InvariantCulture)).Should().BeTrue();
        }

        // The order is pseudo-random, not the identity: consecutive indices jump around the range.
        NhsNumber.WriteUnique(0, 12345, dest, NhsRange.England);
        var a = new string(dest);
        NhsNumber.WriteUnique(1, 12345, dest, NhsRange.England);
        new string(dest)[..3].Should().NotBe(a[..3]);
    }

    [Fact]
    public void Unique_order_depends_on_the_key()
    {
        Span<char> a = stackalloc char[10];
        Span<char> b = stackalloc char[10];
        var same = 0;
        for (long i = 0; i < 1000; i++)
        {
            NhsNumber.WriteUnique(i, 1, a);
            NhsNumber.WriteUnique(i, 2, b);
            if (a.SequenceEqual(b))
            {
                same++;
            }
        }

        same.Should().BeLessThan(5);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(909_091L)]
    public void Unique_index_beyond_capacity_throws(long index)
    {
        var act = () => NhsNumber.WriteUnique(index, 1, new char[10], NhsRange.Test999);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*0 to 909090*");
    }

    [Theory]
    [InlineData(NhsInvalidKind.WrongCheckDigit)]
    [InlineData(NhsInvalidKind.CheckDigitTen)]
    [InlineData(NhsInvalidKind.WrongLength)]
    [InlineData(NhsInvalidKind.NonDigit)]
    [InlineData(NhsInvalidKind.Formatting)]
    public void Invalid_numbers_classify_back_to_their_kind(NhsInvalidKind kind)
    {
        var rng = new Rng(99);
        Span<char> dest = stackalloc char[NhsNumber.MaxInvalidLength];
        for (var i = 0; i < 20_000; i++)
        {
            var n = NhsNumber.WriteInvalid(ref rng, kind, dest);
            NhsNumber.Classify(dest[..n]).Should().Be(kind, new string(dest[..n]));
        }
    }

    [Fact]
    public void Out_of_range_numbers_pass_the_checksum_but_fail_every_allocated_range()
    {
        var rng = new Rng(5);
        Span<char> dest = stackalloc char[NhsNumber.MaxInvalidLength];
        for (var i = 0; i < 10_000; i++)
        {
            var n = NhsNumber.WriteInvalid(ref rng, NhsInvalidKind.OutOfRange, dest);
            NhsNumber.Classify(dest[..n]).Should().BeNull();
            NhsNumber.Classify(dest[..n], NhsRange.Test999).Should().Be(NhsInvalidKind.OutOfRange);
            NhsNumber.Classify(dest[..n], NhsRange.England).Should().Be(NhsInvalidKind.OutOfRange);
            dest[..2].ToString().Should().BeOneOf("86", "87", "88", "89");
        }
    }

    [Fact]
    public void Non_digit_kind_uses_letters_letter_o_and_unicode_digits()
    {
        var rng = new Rng(3);
        Span<char> dest = stackalloc char[NhsNumber.MaxInvalidLength];
        bool letter = false, o = false, unicode = false;
        for (var i = 0; i < 1000; i++)
        {
            var n = NhsNumber.WriteInvalid(ref rng, NhsInvalidKind.NonDigit, dest);
            foreach (var c in dest[..n])
            {
                letter |= c is >= 'A' and <= 'Z' and not 'O';
                o |= c == 'O';
                unicode |= c is >= '\u0660' and <= '\u0669';
            }
        }

        (letter && o && unicode).Should().BeTrue();
    }

    [Fact]
    public void Display_form_is_3_3_4_and_validates()
    {
        Span<char> dest = stackalloc char[12];
        NhsNumber.WriteDisplay("9434765919", dest).Should().Be(12);
        dest.ToString().Should().Be("943 476 5919");
        NhsNumber.IsValid(dest).Should().BeTrue();
    }

    [Fact]
    public void Short_destination_gives_an_actionable_error()
    {
        var act = () =>
        {
            var rng = new Rng(1);
            return NhsNumber.WriteRandomValid(ref rng, new char[5]);
        };
        act.Should().Throw<ArgumentException>().WithMessage("*at least 10 chars*");
    }
}
