using Doppel.Domain;

namespace Doppel.Domain.Tests;

public class NhsRankTests
{
    [Fact]
    public void Ranks_of_the_999_range_map_to_every_valid_number_in_ascending_order()
    {
        // Brute force: every body 999000000–999999999 whose Modulus 11 check value is not 10, in order.
        long rank = 0;
        Span<char> first9 = stackalloc char[9];
        Span<char> written = stackalloc char[10];
        "999".AsSpan().CopyTo(first9);
        for (var body = 0; body < 1_000_000; body++)
        {
            body.ToString("D6", System.Globalization.CultureInfo.InvariantCulture).AsSpan().CopyTo(first9[3..]);
            var check = NhsNumber.CheckDigit(first9);
            if (check == 10)
            {
                continue;
            }

            NhsNumber.WriteTest999(rank++, written);
            if (!written[..9].SequenceEqual(first9) || written[9] != (char)('0' + check))
            {
                Assert.Fail($"rank {rank - 1}: expected {first9}{check}, got {written}");
            }
        }

        rank.Should().Be(NhsNumber.Capacity(NhsRange.Test999));
    }
}
