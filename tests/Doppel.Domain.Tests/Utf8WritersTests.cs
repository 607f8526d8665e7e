using System.Text;
using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Domain.Tests;

/// <summary>The ASCII writers used by the columnar path give exactly what the UTF-16 writers give for the same stream.</summary>
public class Utf8WritersTests
{
    [Fact]
    public void Nhs_numbers_of_the_999_range_are_the_same_in_bytes_and_chars()
    {
        var chars = new char[NhsNumber.Length];
        var bytes = new byte[NhsNumber.Length];
        for (ulong seed = 0; seed < 200_000; seed++)
        {
            var a = new Rng(seed);
            var b = new Rng(seed);
            NhsNumber.WriteRandomValid(ref a, chars);
            NhsNumber.WriteRandomValidTest999(ref b, bytes);
            if (Encoding.ASCII.GetString(bytes) != new string(chars))
            {
                Assert.Fail($"seed {seed}: {new string(chars)} vs {Encoding.ASCII.GetString(bytes)}");
            }

            a.NextULong().Should().Be(b.NextULong());
        }
    }

    [Fact]
    public void Postcodes_are_the_same_in_bytes_and_chars()
    {
        var chars = new char[UkPostcode.MaxLength];
        var bytes = new byte[16];
        for (ulong seed = 0; seed < 200_000; seed++)
        {
            var a = new Rng(seed);
            var b = new Rng(seed);
            var n = UkPostcode.WriteRandom(ref a, chars);
            var m = UkPostcode.WriteRandomUtf8(ref b, bytes);
            if (Encoding.ASCII.GetString(bytes, 0, m) != new string(chars, 0, n))
            {
                Assert.Fail($"seed {seed}: {new string(chars, 0, n)} vs {Encoding.ASCII.GetString(bytes, 0, m)}");
            }

            a.NextULong().Should().Be(b.NextULong());
        }
    }
}
