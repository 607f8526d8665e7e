using System.Globalization;
using System.Text;
using Doppel.Data;

namespace Doppel.Formats;

/// <summary>Invariant, allocation-free text forms of dates and timestamps (ISO 8601, UTC).</summary>
public static class TextFormatting
{
    /// <summary>Writes <c>YYYY-MM-DD</c>; returns 10.</summary>
    public static int WriteDate(long days, Span<char> dest)
    {
        var d = DataTypes.FromDays(days);
        d.TryFormat(dest, out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return n;
    }

    /// <summary>
    /// Writes <c>YYYY-MM-DDThh:mm:ssZ</c>, with <c>.fff</c> or <c>.ffffff</c> only when the instant has
    /// sub-second precision, so second-precision data stays short and every value parses as ISO 8601.
    /// </summary>
    public static int WriteTimestamp(long micros, Span<char> dest)
    {
        var dt = DataTypes.FromMicros(micros);
        var frac = (int)(((micros % 1_000_000) + 1_000_000) % 1_000_000);
        string format = frac == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : frac % 1000 == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";
        dt.TryFormat(dest, out var n, format, CultureInfo.InvariantCulture);
        return n;
    }

    public static string FormatTimestamp(long micros)
    {
        Span<char> buffer = stackalloc char[40];
        return new string(buffer[..WriteTimestamp(micros, buffer)]);
    }

    public static string FormatDate(long days)
    {
        Span<char> buffer = stackalloc char[16];
        return new string(buffer[..WriteDate(days, buffer)]);
    }

    /// <summary>Parses ISO 8601 timestamps; a value without an offset is taken as UTC.</summary>
    public static bool TryParseTimestamp(string s, out long micros)
    {
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var dto))
        {
            micros = DataTypes.ToMicros(dto.UtcDateTime);
            return true;
        }

        micros = 0;
        return false;
    }

    public static bool TryParseDate(string s, out long days)
    {
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            days = DataTypes.ToDays(d);
            return true;
        }

        days = 0;
        return false;
    }

    /// <summary>Appends a JSON string literal (quotes and escapes).</summary>
    public static void AppendJsonString(StringBuilder sb, ReadOnlySpan<char> s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
