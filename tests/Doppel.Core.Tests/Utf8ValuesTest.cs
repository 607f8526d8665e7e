using System.Globalization;
using System.Text;
using Doppel.Formats;

namespace Doppel.Core.Tests;

/// <summary>The UTF-8 date and timestamp writers against .NET's own calendar, over every day of 1600–2400.</summary>
public class Utf8ValuesTest
{
    private static readonly int Epoch = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    [Fact]
    public void Every_day_from_1600_to_2400_is_written_as_iso_8601()
    {
        var buffer = new byte[16];
        var first = new DateOnly(1600, 1, 1).DayNumber;
        var last = new DateOnly(2400, 12, 31).DayNumber;
        for (var day = first; day <= last; day++)
        {
            var n = Utf8Values.WriteDate(day - Epoch, buffer);
            var expected = DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var actual = Encoding.ASCII.GetString(buffer, 0, n);
            if (actual != expected)
            {
                Assert.Fail($"day {day - Epoch}: expected {expected}, got {actual}");
            }
        }
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("1899-12-31")]
    [InlineData("1900-01-01")]
    [InlineData("1970-01-01")]
    [InlineData("2199-12-31")]
    [InlineData("2200-01-01")]
    [InlineData("9999-12-31")]
    public void Edges_of_the_date_tables_and_of_the_calendar(string date)
    {
        var buffer = new byte[16];
        var day = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - Epoch;
        Encoding.ASCII.GetString(buffer, 0, Utf8Values.WriteDate(day, buffer)).Should().Be(date);
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00Z")]
    [InlineData(1_234_567L, "1970-01-01T00:00:01.234567Z")]
    [InlineData(86_399_999_000L, "1970-01-01T23:59:59.999Z")]
    [InlineData(-1L, "1969-12-31T23:59:59.999999Z")]
    [InlineData(1_795_219_200_000_000L, "2026-11-21T00:00:00Z")]
    public void Timestamps_are_utc_iso_8601_with_fractions_only_when_needed(long micros, string expected)
    {
        var buffer = new byte[40];
        Encoding.ASCII.GetString(buffer, 0, Utf8Values.WriteTimestamp(micros, buffer)).Should().Be(expected);
    }
}
