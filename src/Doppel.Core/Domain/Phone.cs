using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>
/// Telephone numbers from ranges reserved for fiction, so no generated number can ring a real person.
/// </summary>
/// <remarks>
/// The domain reference has no telephone section. UK ranges are Ofcom's "telephone numbers for drama"
/// (well known and widely reproduced: 07700 900000–900999 for mobiles, 1,000 numbers per geographic
/// range below, 01632 960000–960999 with no area). US numbers use NANPA's fictional block
/// 555-0100–555-0199, which is reserved in every area code.
/// </remarks>
public static class Phone
{
    /// <summary>Chars needed by <see cref="WriteUkMobile"/>: <c>07700 900123</c>.</summary>
    public const int UkMobileLength = 12;

    /// <summary>Longest <see cref="WriteUkLandline"/> output: <c>0113 496 0123</c>.</summary>
    public const int UkLandlineMaxLength = 13;

    /// <summary>Chars needed by <see cref="WriteUsFictional"/>: <c>(206) 555-0142</c>.</summary>
    public const int UsLength = 14;

    // Ofcom drama ranges: the fixed part of each range, followed by 3 random digits (000–999).
    private static readonly string[] UkLandlinePrefixes =
    [
        "0113 496 0", // Leeds
        "0114 496 0", // Sheffield
        "0115 496 0", // Nottingham
        "0116 496 0", // Leicester
        "0117 496 0", // Bristol
        "0118 496 0", // Reading
        "0121 496 0", // Birmingham
        "0131 496 0", // Edinburgh
        "0141 496 0", // Glasgow
        "0151 496 0", // Liverpool
        "0161 496 0", // Manchester
        "020 7946 0", // London
        "0191 498 0", // Tyneside, Durham, Sunderland
        "028 9649 6", // Northern Ireland
        "029 2018 0", // Cardiff
        "01632 960", // no area
    ];

    private const string NoAreaPrefix = "01632 960";

    // Postcode area (domain reference §2.4) → the drama range of its telephone area, so a synthetic
    // address and phone number agree; other areas fall back to the no-area range.
    private static readonly Dictionary<string, string> PrefixByPostcodeArea = new(StringComparer.OrdinalIgnoreCase)
    {
        ["LS"] = "0113 496 0",
        ["S"] = "0114 496 0",
        ["NG"] = "0115 496 0",
        ["LE"] = "0116 496 0",
        ["BS"] = "0117 496 0",
        ["RG"] = "0118 496 0",
        ["B"] = "0121 496 0",
        ["EH"] = "0131 496 0",
        ["G"] = "0141 496 0",
        ["L"] = "0151 496 0",
        ["M"] = "0161 496 0",
        ["E"] = "020 7946 0",
        ["EC"] = "020 7946 0",
        ["N"] = "020 7946 0",
        ["NW"] = "020 7946 0",
        ["SE"] = "020 7946 0",
        ["SW"] = "020 7946 0",
        ["W"] = "020 7946 0",
        ["WC"] = "020 7946 0",
        ["NE"] = "0191 498 0",
        ["SR"] = "0191 498 0",
        ["DH"] = "0191 498 0",
        ["BT"] = "028 9649 6",
        ["CF"] = "029 2018 0",
    };

    // Real, well-known US area codes (major metros) so numbers look plausible; the 555-01xx line
    // number is what makes them fictional.
    private static readonly string[] UsAreaCodes =
    [
        "201", "202", "206", "212", "213", "214", "215", "216", "303", "305", "310", "312", "313", "314",
        "317", "347", "404", "407", "408", "410", "412", "414", "415", "425", "469", "480", "503", "504",
        "510", "512", "513", "602", "612", "614", "615", "617", "619", "626", "646", "702", "704", "713",
        "714", "718", "720", "773", "801", "813", "816", "818", "832", "858", "904", "916", "919", "949",
        "971", "972", "253", "757",
    ];

    /// <summary>Writes a UK mobile number from Ofcom's drama range 07700 900000–900999, as <c>07700 900123</c>.</summary>
    /// <returns>The number of chars written (always 12).</returns>
    public static int WriteUkMobile(ref Rng rng, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, UkMobileLength, nameof(WriteUkMobile));
        "07700 900".CopyTo(dest);
        WriteDigits(rng.NextInt(1000), 3, dest[9..]);
        return UkMobileLength;
    }

    /// <summary>Writes a UK geographic number from one of Ofcom's drama ranges (uniform over the ranges), e.g. <c>020 7946 0123</c>.</summary>
    /// <returns>The number of chars written (12 or 13).</returns>
    public static int WriteUkLandline(ref Rng rng, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, UkLandlineMaxLength, nameof(WriteUkLandline));
        return WriteWithPrefix(ref rng, UkLandlinePrefixes[rng.NextInt(UkLandlinePrefixes.Length)], dest);
    }

    /// <summary>
    /// Writes a UK drama-range number in the telephone area of a postcode area (e.g. <c>"LS"</c> gives
    /// <c>0113 496 0xxx</c>, London areas give <c>020 7946 0xxx</c>); areas without a drama range get <c>01632 960xxx</c>.
    /// </summary>
    public static int WriteUkLandlineFor(ref Rng rng, string postcodeArea, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, UkLandlineMaxLength, nameof(WriteUkLandlineFor));
        var prefix = PrefixByPostcodeArea.TryGetValue(postcodeArea, out var p) ? p : NoAreaPrefix;
        return WriteWithPrefix(ref rng, prefix, dest);
    }

    /// <summary>Writes a fictional US number, 555-0100–555-0199 in a real area code, as <c>(206) 555-0142</c>.</summary>
    /// <returns>The number of chars written (always 14).</returns>
    public static int WriteUsFictional(ref Rng rng, Span<char> dest)
    {
        DomainThrow.EnsureLength(dest, UsLength, nameof(WriteUsFictional));
        var area = UsAreaCodes[rng.NextInt(UsAreaCodes.Length)];
        dest[0] = '(';
        area.CopyTo(dest[1..]);
        ") 555-01".CopyTo(dest[4..]);
        WriteDigits(rng.NextInt(100), 2, dest[12..]);
        return UsLength;
    }

    private static int WriteWithPrefix(ref Rng rng, string prefix, Span<char> dest)
    {
        prefix.CopyTo(dest);
        WriteDigits(rng.NextInt(1000), 3, dest[prefix.Length..]);
        return prefix.Length + 3;
    }

    private static void WriteDigits(int value, int width, Span<char> dest)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            dest[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
