using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>Modulus 11 against the domain reference's test vectors (§1.5), and the invalid kinds of §1.4.</summary>
public sealed class NhsNumberVectorTests
{
    [Theory]
    [InlineData("9434765919")]
    [InlineData("943 476 5919")]
    [InlineData("9000000009")]
    [InlineData("4010232137")]
    [InlineData("6541003238")]
    [InlineData("9876543210")]
    [InlineData("9999999999")]
    [InlineData("0000000000")]
    [InlineData("9990000050")]
    [InlineData("9996543218")]
    [InlineData("9991111115")]
    [InlineData("9998887771")]
    public void Reference_vectors_marked_valid_pass_modulus_11(string number) => NhsNumber.IsValid(number).Should().BeTrue();

    [Theory]
    [InlineData("9876544321", NhsInvalidKind.WrongCheckDigit)]
    [InlineData("9111111124", NhsInvalidKind.WrongCheckDigit)]
    [InlineData("9222222228", NhsInvalidKind.WrongCheckDigit)]
    [InlineData("1234567890", NhsInvalidKind.CheckDigitTen)]
    [InlineData("9991234560", NhsInvalidKind.CheckDigitTen)]
    [InlineData("9990000000", NhsInvalidKind.CheckDigitTen)]
    [InlineData("943476591", NhsInvalidKind.WrongLength)]
    public void Reference_vectors_marked_invalid_fail_with_their_defect(string number, NhsInvalidKind kind) => NhsNumber.Classify(number).Should().Be(kind);

    [Theory]
    [InlineData("943476591", 9)]
    [InlineData("900000000", 9)]
    [InlineData("401023213", 7)]
    [InlineData("987654321", 0)]
    [InlineData("999123456", 10)]
    public void Check_digit_follows_the_five_steps(string first9, int check) => NhsNumber.CheckDigit(first9).Should().Be(check);

    [Fact]
    public void Every_pack_fault_kind_produces_a_number_classified_as_that_kind()
    {
        var rng = new Rng(7);
        Span<char> dest = stackalloc char[NhsNumber.MaxInvalidLength];
        foreach (var (name, kind) in NhsPackGenerators.InvalidKinds)
        {
            for (var i = 0; i < 500; i++)
            {
                var n = NhsNumber.WriteInvalid(ref rng, kind, dest);
                NhsNumber.Classify(dest[..n]).Should().Be(kind, name);
            }
        }
    }

    [Fact]
    public void Unique_numbers_of_the_test_range_are_valid_distinct_and_start_with_999()
    {
        var key = NhsLayout.NumberKeyFor(42);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Span<char> dest = stackalloc char[NhsNumber.Length];
        for (long p = 0; p < 20_000; p++)
        {
            NhsNumber.WriteUnique(p, key, dest);
            var s = dest.ToString();
            NhsNumber.IsValid(s).Should().BeTrue(s);
            s.Should().StartWith("999");
            seen.Add(s).Should().BeTrue("distinct person indices give distinct numbers");
        }
    }
}
