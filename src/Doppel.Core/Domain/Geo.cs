using System.Globalization;
using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>
/// Geohash encoding and decoding (domain reference §7.1), WKT points in PostGIS axis order (§7.3),
/// great-circle distance and uniform random points within a radius.
/// </summary>
public static class Geo
{
    /// <summary>Mean Earth radius in metres (IUGG R1), the sphere used by <see cref="HaversineMeters"/> and <see cref="RandomPointWithin"/>.</summary>
    public const double EarthRadiusMeters = 6_371_008.8;

    /// <summary>Longest geohash supported (§7.2: 12 chars ≈ 3.7 cm × 1.9 cm).</summary>
    public const int MaxGeohashPrecision = 12;

    /// <summary>A destination of this many chars fits every <see cref="WriteWktPoint"/> output.</summary>
    public const int MaxWktPointLength = 32;

    /// <summary>Decimals kept by <see cref="WriteWktPoint"/>: 1e-7° ≈ 1.1 cm, finer than any GPS fix.</summary>
    public const int WktDecimals = 7;

    // §7.1: base32 alphabet without a, i, l, o.
    private const string Base32 = "0123456789bcdefghjkmnpqrstuvwxyz";

    /// <summary>
    /// Writes the geohash of a point with <paramref name="precision"/> chars (§7.1: bits alternate
    /// starting with longitude; a value equal to the midpoint goes to the upper half, the <c>&gt;=</c> rule).
    /// </summary>
    /// <returns>The number of chars written (= precision).</returns>
    /// <exception cref="ArgumentOutOfRangeException">Precision outside 1–12, latitude outside [-90, 90] or longitude outside [-180, 180].</exception>
    public static int WriteGeohash(double lat, double lon, int precision, Span<char> dest)
    {
        if (precision is < 1 or > MaxGeohashPrecision)
        {
            DomainThrow.OutOfRange(nameof(precision), precision, "1 to 12 characters");
        }

        CheckLatLon(lat, lon);
        DomainThrow.EnsureLength(dest, precision, nameof(WriteGeohash));

        double latMin = -90, latMax = 90, lonMin = -180, lonMax = 180;
        var isLon = true;
        for (var i = 0; i < precision; i++)
        {
            var index = 0;
            for (var bit = 0; bit < 5; bit++)
            {
                index <<= 1;
                if (isLon)
                {
                    var mid = (lonMin + lonMax) / 2;
                    if (lon >= mid)
                    {
                        index |= 1;
                        lonMin = mid;
                    }
                    else
                    {
                        lonMax = mid;
                    }
                }
                else
                {
                    var mid = (latMin + latMax) / 2;
                    if (lat >= mid)
                    {
                        index |= 1;
                        latMin = mid;
                    }
                    else
                    {
                        latMax = mid;
                    }
                }

                isLon = !isLon;
            }

            dest[i] = Base32[index];
        }

        return precision;
    }

    /// <summary>The cell of a geohash (§7.1 "decoding returns a cell"); its centre is the usual decoded point.</summary>
    /// <exception cref="ArgumentException">Empty, longer than 12, or a char outside the geohash alphabet (upper case is accepted).</exception>
    public static (double MinLat, double MaxLat, double MinLon, double MaxLon) DecodeGeohash(ReadOnlySpan<char> geohash)
    {
        if (geohash.Length is < 1 or > MaxGeohashPrecision)
        {
            DomainThrow.Argument(nameof(geohash), $"A geohash has 1 to 12 characters; got {geohash.Length}.");
        }

        double latMin = -90, latMax = 90, lonMin = -180, lonMax = 180;
        var isLon = true;
        foreach (var c in geohash)
        {
            var index = Base32.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
            if (index < 0)
            {
                DomainThrow.Argument(nameof(geohash), $"'{c}' is not a geohash character (alphabet {Base32}: no a, i, l, o).");
            }

            for (var bit = 4; bit >= 0; bit--)
            {
                var one = ((index >> bit) & 1) != 0;
                if (isLon)
                {
                    var mid = (lonMin + lonMax) / 2;
                    if (one)
                    {
                        lonMin = mid;
                    }
                    else
                    {
                        lonMax = mid;
                    }
                }
                else
                {
                    var mid = (latMin + latMax) / 2;
                    if (one)
                    {
                        latMin = mid;
                    }
                    else
                    {
                        latMax = mid;
                    }
                }

                isLon = !isLon;
            }
        }

        return (latMin, latMax, lonMin, lonMax);
    }

    /// <summary>
    /// Writes <c>POINT(lon lat)</c> (§7.3: x y = longitude latitude, InvariantCulture). Coordinates are
    /// rounded to <see cref="WktDecimals"/> decimals with trailing zeros dropped (<c>POINT(-0.1246 51.5007)</c>),
    /// so the text is stable: parsing it and writing again gives the same text, and it matches what
    /// PostGIS <c>ST_AsText</c> prints for such values. We do not use "R" (shortest round-trip) because
    /// arithmetic noise such as 51.500700000000002 would leak into the output.
    /// </summary>
    /// <returns>The number of chars written; size the destination with <see cref="MaxWktPointLength"/>.</returns>
    public static int WriteWktPoint(double lon, double lat, Span<char> dest)
    {
        CheckLatLon(lat, lon);
        DomainThrow.EnsureLength(dest, MaxWktPointLength, nameof(WriteWktPoint));
        "POINT(".CopyTo(dest);
        var n = 6;
        n += WriteCoordinate(lon, dest[n..]);
        dest[n++] = ' ';
        n += WriteCoordinate(lat, dest[n..]);
        dest[n++] = ')';
        return n;
    }

    /// <summary>Great-circle distance in metres on a sphere of radius <see cref="EarthRadiusMeters"/> (haversine formula).</summary>
    public static double HaversineMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var phi1 = DegreesToRadians(lat1);
        var phi2 = DegreesToRadians(lat2);
        var dPhi = phi2 - phi1;
        var dLambda = DegreesToRadians(lon2 - lon1);
        var sinPhi = Math.Sin(dPhi / 2);
        var sinLambda = Math.Sin(dLambda / 2);
        var a = (sinPhi * sinPhi) + (Math.Cos(phi1) * Math.Cos(phi2) * sinLambda * sinLambda);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1.0, Math.Sqrt(a)));
    }

    /// <summary>
    /// A point uniformly distributed over the spherical disc (cap) of <paramref name="radiusMeters"/> around
    /// (<paramref name="lat"/>, <paramref name="lon"/>); its <see cref="HaversineMeters"/> distance from the centre is ≤ the radius by construction.
    /// </summary>
    /// <remarks>
    /// We draw the angular distance δ from the exact cap distribution, δ = 2·asin(√u · sin(Δ/2)) (the
    /// spherical form of "sqrt for the radius"), and a uniform bearing θ, then move along the great
    /// circle. Unlike an equirectangular offset with a cos(lat) correction, this stays exact near the
    /// poles, across the antimeridian and for large radii; Δ is shrunk by 1e-9 relative so floating-point
    /// rounding can never push a point past the radius. Two random draws per point.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Bad coordinates, or a radius that is negative, not finite or beyond half the Earth's circumference.</exception>
    public static (double Lat, double Lon) RandomPointWithin(ref Rng rng, double lat, double lon, double radiusMeters)
    {
        CheckLatLon(lat, lon);
        if (!(radiusMeters >= 0) || radiusMeters > Math.PI * EarthRadiusMeters)
        {
            DomainThrow.OutOfRange(nameof(radiusMeters), radiusMeters, "0 to 20,015,118 metres (half the Earth's circumference)");
        }

        var u = rng.NextDouble();
        var theta = 2 * Math.PI * rng.NextDouble();
        var maxAngle = radiusMeters / EarthRadiusMeters * (1 - 1e-9);
        var delta = 2 * Math.Asin(Math.Sqrt(u) * Math.Sin(maxAngle / 2));

        // Destination point on a great circle (bearing θ, angular distance δ).
        var phi1 = DegreesToRadians(lat);
        var lambda1 = DegreesToRadians(lon);
        var sinPhi1 = Math.Sin(phi1);
        var cosPhi1 = Math.Cos(phi1);
        var sinDelta = Math.Sin(delta);
        var cosDelta = Math.Cos(delta);
        var sinPhi2 = Math.Clamp((sinPhi1 * cosDelta) + (cosPhi1 * sinDelta * Math.Cos(theta)), -1.0, 1.0);
        var phi2 = Math.Asin(sinPhi2);
        var lambda2 = lambda1 + Math.Atan2(Math.Sin(theta) * sinDelta * cosPhi1, cosDelta - (sinPhi1 * sinPhi2));

        var lon2 = RadiansToDegrees(lambda2);
        if (lon2 > 180)
        {
            lon2 -= 360;
        }
        else if (lon2 < -180)
        {
            lon2 += 360;
        }

        return (RadiansToDegrees(phi2), lon2);
    }

    private static int WriteCoordinate(double value, Span<char> dest)
    {
        var rounded = Math.Round(value, WktDecimals, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0; // never print "-0"
        }

        rounded.TryFormat(dest, out var written, "0.#######", CultureInfo.InvariantCulture);
        return written;
    }

    private static void CheckLatLon(double lat, double lon)
    {
        if (!(lat >= -90 && lat <= 90))
        {
            DomainThrow.OutOfRange(nameof(lat), lat, "latitude -90 to 90 degrees");
        }

        if (!(lon >= -180 && lon <= 180))
        {
            DomainThrow.OutOfRange(nameof(lon), lon, "longitude -180 to 180 degrees");
        }
    }

    private static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180.0);

    private static double RadiansToDegrees(double radians) => radians * (180.0 / Math.PI);
}
