using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Doppel.Formats;

/// <summary>Fast UTF-8 writers for dates and timestamps (proleptic Gregorian, UTC), used by the text formats.</summary>
public static class Utf8Values
{
    /// <summary>Writes <c>YYYY-MM-DD</c> for days since 1970-01-01; returns 10 (years 0–9999).</summary>
    public static int WriteDate(long days, Span<byte> dest)
    {
        var (y, m, d) = CivilFromDays(days);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write2(int v, Span<byte> d)
    {
        d[0] = (byte)('0' + (v / 10));
        d[1] = (byte)('0' + (v % 10));
    }

    private static void Write3(int v, Span<byte> d)
    {
        d[0] = (byte)('0' + (v / 100));
        d[1] = (byte)('0' + (v / 10 % 10));
        d[2] = (byte)('0' + (v % 10));
    }

    private static void Write4(int v, Span<byte> d)
    {
        d[0] = (byte)('0' + (v / 1000 % 10));
        d[1] = (byte)('0' + (v / 100 % 10));
        d[2] = (byte)('0' + (v / 10 % 10));
        d[3] = (byte)('0' + (v % 10));
    }

    /// <summary>
    /// Copies value <paramref name="index"/> of a text column into <paramref name="dest"/>, which has at least 16
    /// bytes more room than the value needs: short values (most generated text) move as one 16-byte vector.
    /// </summary>
    public static int CopyShort(Data.Utf8Column column, int index, Span<byte> dest)
    {
        var start = column.Starts[index];
        var length = column.Lengths[index];
        var data = column.Data;
        if (length <= 16 && start + 16 <= data.Length)
        {
            Vector128.Create<byte>(data.AsSpan(start, 16)).CopyTo(dest);
        }
        else
        {
            data.AsSpan(start, length).CopyTo(dest);
        }

        return length;
    }

    internal static readonly SearchValues<byte> CsvSpecial = SearchValues.Create(","u8.ToArray().Concat("\"\r\n"u8.ToArray()).ToArray());

    internal static readonly SearchValues<byte> JsonSpecial = SearchValues.Create(Enumerable.Range(0, 0x20).Select(i => (byte)i).Concat("\"\\"u8.ToArray()).ToArray());
}
