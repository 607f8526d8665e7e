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
        "999".AsSpan().CopyTo(first9);
        for (var body = 0; body < 1_000_000; body++)
        {
            body.ToString("D6", System.Globalization.CultureInfo.InvariantCulture).AsSpan().CopyTo(first9[3..]);
            var check = NhsNumber.CheckDigit(first9);
            if (check == 10)
            {
                continue;
            }

            var last7 = NhsNumber.Test999Last7(rank++);
            if (last7 != (body * 10) + check)
            {
                Assert.Fail($"rank {rank - 1}: expected 999{body:D6}{check}, got 999{last7:D7}");
            }
        }

        rank.Should().Be(NhsNumber.Capacity(NhsRange.Test999));
    }
}
