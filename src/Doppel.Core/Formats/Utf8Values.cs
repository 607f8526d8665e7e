using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace Doppel.Formats;

/// <summary>Fast UTF-8 writers for dates and timestamps (proleptic Gregorian, UTC), used by the text formats.</summary>
public static class Utf8Values
{
    /// <summary>Writes <c>YYYY-MM-DD</c> for days since 1970-01-01; returns 10 (years 0–9999).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int WriteDate(long days, Span<byte> dest)
    {
        var (y, m, d) = (uint)(days - YearStarts[0]) < (uint)(YearStarts[^1] - YearStarts[0]) ? FromTables((int)days) : CivilFromDays(days);
        Write4(y, dest);
        dest[4] = (byte)'-';
        Write2(m, dest[5..]);
        dest[7] = (byte)'-';
        Write2(d, dest[8..]);
        return 10;
    }

    /// <summary>Writes an ISO 8601 UTC timestamp; fractional digits only when needed (see <see cref="TextFormatting.WriteTimestamp"/>).</summary>
    public static int WriteTimestamp(long micros, Span<byte> dest)
    {
        var days = Math.DivRem(micros, 86_400_000_000L, out var rem);
        if (rem < 0)
        {
            rem += 86_400_000_000L;
            days--;
        }

        WriteDate(days, dest);
        dest[10] = (byte)'T';
        var secs = (int)(rem / 1_000_000);
        var frac = (int)(rem % 1_000_000);
        Write2(secs / 3600, dest[11..]);
        dest[13] = (byte)':';
        Write2(secs / 60 % 60, dest[14..]);
        dest[16] = (byte)':';
        Write2(secs % 60, dest[17..]);
        var n = 19;
        if (frac != 0)
        {
            dest[n++] = (byte)'.';
            if (frac % 1000 == 0)
            {
                Write3(frac / 1000, dest[n..]);
                n += 3;
            }
            else
            {
                Write3(frac / 1000, dest[n..]);
                Write3(frac % 1000, dest[(n + 3)..]);
                n += 6;
            }
        }

        dest[n++] = (byte)'Z';
        return n;
    }

    public static int WriteDouble(double v, Span<byte> dest)
    {
        v.TryFormat(dest, out var n, "R", CultureInfo.InvariantCulture);
        return n;
    }

    public static int WriteInt(long v, Span<byte> dest)
    {
        Utf8Formatter.TryFormat(v, dest, out var n);
        return n;
    }

    // Dates in 1900–2199 (nearly all generated ones) by table: the year from an estimate corrected once against
    // year starts, month and day from the day of the year. civil_from_days needs a chain of divisions and
    // mispredicts on random dates; this is a few loads from 3 KB of tables.
    private const int FirstTableYear = 1900;
    private static readonly int[] YearStarts = [.. Enumerable.Range(FirstTableYear, 301).Select(y => (int)(new DateOnly(y, 1, 1).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber))];
    private static readonly short[] LeapOffsets = [.. Enumerable.Range(FirstTableYear, 301).Select(y => (short)(DateTime.IsLeapYear(y) ? 366 : 0))]; // no branch on random years
    private static readonly ushort[] MonthDays = [.. Enumerable.Range(0, 2 * 366).Select(i => MonthDay(i / 366 == 1 ? 2000 : 2001, i % 366))];

    private static ushort MonthDay(int year, int dayOfYear)
    {
        var date = new DateOnly(year, 1, 1).AddDays(Math.Min(dayOfYear, DateTime.IsLeapYear(year) ? 365 : 364));
        return (ushort)((date.Month << 8) | date.Day);
    }

    private static (int Year, int Month, int Day) FromTables(int days)
    {
        var index = Math.Min((int)((long)(days - YearStarts[0]) * 400 / 146097), YearStarts.Length - 2); // mean Gregorian year; off by at most one
        index -= days < YearStarts[index] ? 1 : 0;
        index += days >= YearStarts[index + 1] ? 1 : 0;
        var md = MonthDays[LeapOffsets[index] + (days - YearStarts[index])];
        return (FirstTableYear + index, md >> 8, md & 0xFF);
    }

    /// <summary>Days since 1970-01-01 to (year, month, day); Howard Hinnant's civil_from_days.</summary>
    public static (int Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = (int)(z - (era * 146097));
        var yoe = (doe - (doe / 1460) + (doe / 36524) - (doe / 146096)) / 365;
        var y = (int)(yoe + (era * 400));
        var doy = doe - ((365 * yoe) + (yoe / 4) - (yoe / 100));
        var mp = ((5 * doy) + 2) / 153;
        var d = doy - (((153 * mp) + 2) / 5) + 1;
        var m = mp < 10 ? mp + 3 : mp - 9;
        return (m <= 2 ? y + 1 : y, m, d);
    }

    // "00", "01", … "99": two digits per lookup instead of a division each.
    private static ReadOnlySpan<byte> Pairs => "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write2(int v, Span<byte> d)
    {
        d[1] = Pairs[(2 * v) + 1];
        d[0] = Pairs[2 * v];
    }

    private static void Write3(int v, Span<byte> d)
    {
        d[0] = (byte)('0' + (v / 100));
        d[1] = (byte)('0' + (v / 10 % 10));
        d[2] = (byte)('0' + (v % 10));
    }

    private static void Write4(int v, Span<byte> d)
    {
        var high = v / 100 % 100;
        Write2(v - (v / 100 * 100), d[2..]);
        Write2(high, d);
    }

    /// <summary>
    /// Copies value <paramref name="index"/> of a text column into <paramref name="dest"/>, which has at least 16
    /// bytes more room than the value needs: short values (most generated text) move as one 16-byte vector.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int CopyShort(Data.Utf8Column column, int index, Span<byte> dest)
    {
        var length = column.Lengths[index];
        Data.ShortCopy.Copy(column.Data, column.Starts[index], length, dest);
        return length;
    }

    internal static readonly SearchValues<byte> CsvSpecial = SearchValues.Create(","u8.ToArray().Concat("\"\r\n"u8.ToArray()).ToArray());

    internal static readonly SearchValues<byte> JsonSpecial = SearchValues.Create(Enumerable.Range(0, 0x20).Select(i => (byte)i).Concat("\"\\"u8.ToArray()).ToArray());
}
