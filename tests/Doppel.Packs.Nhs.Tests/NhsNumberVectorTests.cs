using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>Modulus 11 against the domain reference's test vectors (§1.5), and the invalid kinds of §1.4.</summary>
public sealed class NhsNumberVectorTests
{
    [Theory]
    [MemberData(nameof(NhsNumberVectors.Valid), MemberType = typeof(NhsNumberVectors))]
    public void Reference_vectors_marked_valid_pass_modulus_11(string number) => NhsNumber.IsValid(number).Should().BeTrue();

    [Theory]
    [MemberData(nameof(NhsNumberVectors.Invalid), MemberType = typeof(NhsNumberVectors))]
    public void Reference_vectors_marked_invalid_fail_with_their_defect(string number, NhsInvalidKind kind) => NhsNumber.Classify(number).Should().Be(kind);

    [Theory]
    [MemberData(nameof(NhsNumberVectors.CheckDigits), MemberType = typeof(NhsNumberVectors))]
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
