using System.Security.Cryptography;
using System.Text;
using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class EmailTests
{
    private static string Write(string first, string last, ref Rng rng)
    {
        Span<char> dest = stackalloc char[Email.MaxLength];
        var n = Email.Write(first, last, ref rng, dest);
        return new string(dest[..n]);
    }

    [Fact]
    public void Addresses_are_lower_case_ascii_on_reserved_domains_only()
    {
        var rng = new Rng(10);
        var domains = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 50_000; i++)
        {
            var first = PersonNames.FirstName(ref rng, Sex.Any);
            var last = PersonNames.LastName(ref rng);
            var email = Write(first, last, ref rng);
            email.Should().MatchRegex("^[a-z0-9._]+@[a-z.]+$", email);
            email.Length.Should().BeLessThanOrEqualTo(Email.MaxLength);
            email.IndexOf('@', StringComparison.Ordinal).Should().BeLessThanOrEqualTo(64);
            Email.HasReservedDomain(email).Should().BeTrue(email);
            domains.Add(email[(email.IndexOf('@', StringComparison.Ordinal) + 1)..]);
        }

        domains.Should().BeEquivalentTo("example.com", "example.org", "example.net", "mail.example.com", "post.example.org", "inbox.example.net");
    }

    [Fact]
    public void Local_parts_follow_the_name_patterns()
    {
        var rng = new Rng(11);
        var locals = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 5_000; i++)
        {
            var email = Write("Sarah", "Jones", ref rng);
            locals.Add(email[..email.IndexOf('@', StringComparison.Ordinal)]);
        }

        locals.Should().Contain(["sarah.jones", "s.jones", "sarahjones", "sarah_jones", "sjones", "jones.sarah"]);
        locals.Should().Contain(l => l.StartsWith("sarah.jones", StringComparison.Ordinal) && char.IsAsciiDigit(l[l.Length - 1]));
        locals.Should().Contain(l => l.StartsWith("sarahjones", StringComparison.Ordinal) && char.IsAsciiDigit(l[l.Length - 1]));
        locals.Should().OnlyContain(l => l.Contains("sarah", StringComparison.Ordinal) || l.StartsWith("s.", StringComparison.Ordinal) || l.StartsWith("sjones", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Zoë", "O'Brien-Smith", "zoe", "obriensmith")]
    [InlineData("Łukasz", "Wałęsa", "lukasz", "walesa")]
    [InlineData("Søren", "Kierkegaard", "soren", "kierkegaard")]
    [InlineData("Ærin", "Straße", "aerin", "strasse")]
    [InlineData("Ștefan", "Țurcan", "stefan", "turcan")]
    [InlineData("Mary Ann", "St. John", "maryann", "stjohn")]
    public void Names_are_folded_to_ascii(string first, string last, string f, string l)
    {
        var rng = new Rng(12);
        for (var i = 0; i < 200; i++)
        {
            var email = Write(first, last, ref rng);
            var local = email[..email.IndexOf('@', StringComparison.Ordinal)];
            (local.Contains(f, StringComparison.Ordinal) || local.Contains(l, StringComparison.Ordinal)).Should().BeTrue(email);
            email.Should().MatchRegex("^[a-z0-9._]+@");
        }
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("李", "王")]
    [InlineData("", "Jones")]
    [InlineData("'", "-")]
    public void Names_without_latin_letters_still_give_valid_addresses(string first, string last)
    {
        var rng = new Rng(13);
        var email = Write(first, last, ref rng);
        email.Should().MatchRegex("^[a-z]+[0-9]+@[a-z.]+$");
        Email.HasReservedDomain(email).Should().BeTrue();
    }

    [Fact]
    public void Very_long_names_are_cut_to_fit()
    {
        var rng = new Rng(14);
        var longName = new string('x', 500);
        var email = Write(longName, longName, ref rng);
        email.IndexOf('@', StringComparison.Ordinal).Should().BeLessThanOrEqualTo(64);
    }

    [Fact]
    public void Normalize_trims_and_lower_cases()
    {
        Email.Normalize("  Sarah.Jones@Example.COM \t").Should().Be("sarah.jones@example.com");
        Span<char> dest = stackalloc char[64];
        var n = Email.WriteNormalized("  Sarah.Jones@Example.COM ", dest);
        new string(dest[..n]).Should().Be("sarah.jones@example.com");
    }

    [Theory]
    [InlineData("sarah.jones@example.com")]
    [InlineData("")]
    [InlineData("zoë@example.org")]
    public void Sha256_hex_matches_the_framework_hash(string normalized)
    {
        Span<char> dest = stackalloc char[Email.Sha256HexLength];
        Email.WriteSha256Hex(normalized, dest).Should().Be(64);
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)));
        new string(dest).Should().Be(expected);
    }

    [Fact]
    public void Sha256_of_a_known_address_is_pinned()
    {
        Span<char> dest = stackalloc char[Email.Sha256HexLength];
        Email.WriteSha256Hex("test@example.com", dest);

        // sha256("test@example.com"), computed independently with coreutils sha256sum.
        new string(dest).Should().Be("973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b");
    }

    [Fact]
    public void Sha256_of_a_long_input_uses_a_pooled_buffer()
    {
        var text = new string('a', 5000);
        Span<char> dest = stackalloc char[Email.Sha256HexLength];
        Email.WriteSha256Hex(text, dest);
        new string(dest).Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    [Theory]
    [InlineData("a@example.com", true)]
    [InlineData("a@EXAMPLE.net", true)]
    [InlineData("a@mail.example.org", true)]
    [InlineData("a@notexample.com", false)]
    [InlineData("a@example.com.evil.io", false)]
    [InlineData("a@gmail.com", false)]
    [InlineData("example.com", false)]
    public void Reserved_domain_check_is_exact(string email, bool expected) =>
        Email.HasReservedDomain(email).Should().Be(expected);
}
