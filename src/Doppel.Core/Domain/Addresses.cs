using System.Globalization;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>A real town or city with its region and postal prefixes, from the embedded place tables.</summary>
/// <param name="City">Town or city name, e.g. <c>Leeds</c>, <c>Seattle</c>.</param>
/// <param name="Region">County (en-GB) or USPS state code (en-US), e.g. <c>West Yorkshire</c>, <c>WA</c>.</param>
/// <param name="PostalPrefixes">UK postcode areas (domain reference §2.4) or the US ZIP3 prefix of the city.</param>
/// <param name="Locale">Which table the place comes from.</param>
public sealed record Place(string City, string Region, IReadOnlyList<string> PostalPrefixes, NameLocale Locale);

/// <summary>
/// Plausible street addresses: a house number, a common street name and a suffix (<c>42 Church Road</c>,
/// <c>1187 Maple Ave</c>), real towns and cities, and postcodes or ZIP codes that agree with the place.
/// </summary>
/// <remarks>
/// Street lines are composed from common name parts, not looked up in an address register, so a line
/// may or may not exist in the chosen town. Places are weighted by rough population.
/// </remarks>
public static class Addresses
{
    /// <summary>A destination of this many chars fits every <see cref="WriteStreetLine"/> output.</summary>
    public const int MaxStreetLineLength = 48;

    /// <summary>Chars written by <see cref="WriteUsZip(ref Rng, Span{char})"/>.</summary>
    public const int UsZipLength = 5;

    private const int MaxStreetPart = 20;

    private static readonly Lazy<Streets> GbStreets = new(() => Streets.Load("streets-en-gb.tsv"));
    private static readonly Lazy<Streets> UsStreets = new(() => Streets.Load("streets-en-us.tsv"));
    private static readonly Lazy<Places> GbPlaces = new(() => Places.Load("towns-en-gb.tsv", NameLocale.EnGb));
    private static readonly Lazy<Places> UsPlaces = new(() => Places.Load("cities-en-us.tsv", NameLocale.EnUs));

    /// <summary>
    /// Writes a street line: <c>42 Church Road</c> (en-GB: numbers mostly 1–60, suffixes Road, Street,
    /// Lane, Avenue, Close …) or <c>1187 Maple Ave</c> (en-US: numbers 100–29999, suffixes St, Ave, Blvd …).
    /// </summary>
    /// <returns>The number of chars written; size the destination with <see cref="MaxStreetLineLength"/>.</returns>
    public static int WriteStreetLine(ref Rng rng, Span<char> dest, NameLocale locale = NameLocale.EnGb)
    {
        DomainThrow.EnsureLength(dest, MaxStreetLineLength, nameof(WriteStreetLine));
        var streets = StreetsOf(locale);
        int number;
        if (locale == NameLocale.EnGb)
        {
            // Most UK streets are short: low house numbers dominate.
            number = 1 + rng.NextInt(rng.NextBool(0.75) ? 60 : 250);
        }
        else
        {
            var digits = rng.NextDouble();
            number = digits < 0.4 ? 100 + rng.NextInt(900) : digits < 0.9 ? 1000 + rng.NextInt(9000) : 10000 + rng.NextInt(20000);
        }

        number.TryFormat(dest, out var n, default, CultureInfo.InvariantCulture);
        dest[n++] = ' ';
        var name = streets.Names.Sample(ref rng);
        name.CopyTo(dest[n..]);
        n += name.Length;
        dest[n++] = ' ';
        var suffix = streets.Suffixes.Sample(ref rng);
        suffix.CopyTo(dest[n..]);
        return n + suffix.Length;
    }

    /// <summary>A real town or city and its region (county for en-GB, state code for en-US), weighted by rough population.</summary>
    public static (string City, string Region) City(ref Rng rng, NameLocale locale = NameLocale.EnGb)
    {
        var place = RandomPlace(ref rng, locale);
        return (place.City, place.Region);
    }

    /// <summary>A real town or city with its postal prefixes, weighted by rough population.</summary>
    public static Place RandomPlace(ref Rng rng, NameLocale locale = NameLocale.EnGb)
    {
        var places = PlacesOf(locale);
        return places.All[places.Sampler.Sample(ref rng)];
    }

    /// <summary>All places of a locale (for validation and tests).</summary>
    public static IReadOnlyList<Place> AllPlaces(NameLocale locale = NameLocale.EnGb) => PlacesOf(locale).All;

    /// <summary>
    /// Writes a postal code that agrees with <paramref name="place"/>: a UK postcode in one of its
    /// postcode areas (<see cref="UkPostcode.WriteRandomInArea"/>) or a US ZIP code with its ZIP3 prefix.
    /// </summary>
    /// <returns>The number of chars written; a destination of <see cref="UkPostcode.MaxLength"/> chars fits both.</returns>
    public static int WritePostalCode(ref Rng rng, Place place, Span<char> dest)
    {
        ArgumentNullException.ThrowIfNull(place);
        var prefix = place.PostalPrefixes[place.PostalPrefixes.Count == 1 ? 0 : rng.NextInt(place.PostalPrefixes.Count)];
        return place.Locale == NameLocale.EnGb ? UkPostcode.WriteRandomInArea(ref rng, prefix, dest) : WriteUsZip(ref rng, prefix, dest);
    }

    /// <summary>Writes a ZIP-like 5-digit code whose first three digits are the ZIP3 of a random US city.</summary>
    public static int WriteUsZip(ref Rng rng, Span<char> dest)
    {
        var places = UsPlaces.Value;
        return WriteUsZip(ref rng, places.All[places.Sampler.Sample(ref rng)].PostalPrefixes[0], dest);
    }

    /// <summary>Writes a ZIP-like 5-digit code: <paramref name="zip3"/> followed by two random digits (01–99, never 00).</summary>
    /// <exception cref="ArgumentException"><paramref name="zip3"/> is not three ASCII digits.</exception>
    public static int WriteUsZip(ref Rng rng, string zip3, Span<char> dest)
    {
        if (zip3 is not { Length: 3 } || !char.IsAsciiDigit(zip3[0]) || !char.IsAsciiDigit(zip3[1]) || !char.IsAsciiDigit(zip3[2]))
        {
            DomainThrow.Argument(nameof(zip3), $"A ZIP3 prefix is three digits, e.g. 981; got '{zip3}'.");
        }

        DomainThrow.EnsureLength(dest, UsZipLength, nameof(WriteUsZip));
        zip3.CopyTo(dest);
        var last = 1 + rng.NextInt(99);
        dest[3] = (char)('0' + (last / 10));
        dest[4] = (char)('0' + (last % 10));
        return UsZipLength;
    }

    private static Streets StreetsOf(NameLocale locale) => locale switch
    {
        NameLocale.EnGb => GbStreets.Value,
        NameLocale.EnUs => UsStreets.Value,
        _ => ThrowLocale<Streets>(locale),
    };

    private static Places PlacesOf(NameLocale locale) => locale switch
    {
        NameLocale.EnGb => GbPlaces.Value,
        NameLocale.EnUs => UsPlaces.Value,
        _ => ThrowLocale<Places>(locale),
    };

    private static T ThrowLocale<T>(NameLocale locale)
    {
        DomainThrow.OutOfRange(nameof(locale), locale, "EnGb or EnUs");
        return default!;
    }

    private sealed class Streets(WeightedTable names, WeightedTable suffixes)
    {
        public WeightedTable Names { get; } = names;

        public WeightedTable Suffixes { get; } = suffixes;

        public static Streets Load(string fileName)
        {
            var names = WeightedTable.Load(fileName, row => row[0] == "name", valueColumn: 1);
            var suffixes = WeightedTable.Load(fileName, row => row[0] == "suffix", valueColumn: 1);
            foreach (var value in names.Values.Concat(suffixes.Values))
            {
                if (value.Length > MaxStreetPart)
                {
                    throw new InvalidOperationException($"{fileName}: '{value}' is longer than {MaxStreetPart} chars.");
                }
            }

            return new Streets(names, suffixes);
        }
    }

    private sealed class Places(Place[] all, WeightedSampler sampler)
    {
        public Place[] All { get; } = all;

        public WeightedSampler Sampler { get; } = sampler;

        public static Places Load(string fileName, NameLocale locale)
        {
            var places = new List<Place>();
            var weights = new List<double>();
            foreach (var row in EmbeddedData.ReadTable(fileName, 4))
            {
                var prefixes = row[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                foreach (var prefix in prefixes)
                {
                    var ok = locale == NameLocale.EnGb ? UkPostcode.OutwardCodesIn(prefix).Count > 0 : prefix.Length == 3 && prefix.All(char.IsAsciiDigit);
                    if (!ok)
                    {
                        throw new InvalidOperationException($"{fileName}: '{prefix}' (for {row[0]}) is not a known postal prefix.");
                    }
                }

                places.Add(new Place(row[0], row[1], prefixes, locale));
                weights.Add(EmbeddedData.ParseWeight(row[3], fileName));
            }

            return new Places([.. places], new WeightedSampler(weights.ToArray()));
        }
    }
}
