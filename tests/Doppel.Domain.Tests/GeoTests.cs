using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class GeoTests
{
    // Domain reference §7.4 (computed with the >= rule).
    [Theory]
    [InlineData(42.6, -5.6, 5, "ezs42")]
    [InlineData(57.64911, 10.40744, 11, "u4pruydqqvj")]
    [InlineData(51.5007, -0.1246, 9, "gcpuvpmm2")]
    [InlineData(39.92816697, 116.38954991, 12, "wx4g0s8q3jf9")]
    [InlineData(38.866, -77.480, 7, "dqbvhgk")]
    [InlineData(53.344606, -6.272877, 10, "gc7x3r04z7")]
    [InlineData(41.12, -71.34, 6, "drm3bt")]
    [InlineData(51.5, -0.1, 12, "gcpuvxr1jzfd")]
    [InlineData(-33.8568, 151.2153, 8, "r3gx2ux9")]
    [InlineData(40.6892, -74.0445, 7, "dr5r7p4")]
    [InlineData(0.0, 0.0, 6, "s00000")]
    public void Geohash_reference_vectors(double lat, double lon, int precision, string expected)
    {
        Span<char> dest = stackalloc char[12];
        var n = Geo.WriteGeohash(lat, lon, precision, dest);
        new string(dest[..n]).Should().Be(expected);
    }

    [Theory]
    [InlineData("ezs42", 42.5830078125, 42.626953125, -5.625, -5.5810546875)]
    [InlineData("u10hfr2", 51.499786376953125, 51.50115966796875, 0.098876953125, 0.100250244140625)]
    [InlineData("s00000", 0, 0.0054931640625, 0, 0.010986328125)]
    public void Geohash_decoding_reference_vectors(string hash, double minLat, double maxLat, double minLon, double maxLon)
    {
        var cell = Geo.DecodeGeohash(hash);
        cell.Should().Be((minLat, maxLat, minLon, maxLon));
    }

    [Fact]
    public void Decoded_centre_of_u10hfr2_matches_postgis()
    {
        var (minLat, maxLat, minLon, maxLon) = Geo.DecodeGeohash("u10hfr2");
        ((minLat + maxLat) / 2).Should().Be(51.50047302246094);
        ((minLon + maxLon) / 2).Should().Be(0.0995635986328125);
    }

    [Fact]
    public void Encoding_then_decoding_gives_a_cell_that_contains_the_point()
    {
        var rng = new Rng(21);
        Span<char> dest = stackalloc char[12];
        for (var i = 0; i < 50_000; i++)
        {
            var lat = (rng.NextDouble() * 180) - 90;
            var lon = (rng.NextDouble() * 360) - 180;
            var precision = 1 + rng.NextInt(12);
            var n = Geo.WriteGeohash(lat, lon, precision, dest);
            var (minLat, maxLat, minLon, maxLon) = Geo.DecodeGeohash(dest[..n]);
            lat.Should().BeInRange(minLat, maxLat);
            lon.Should().BeInRange(minLon, maxLon);

            // Half-open cells under the >= rule: a point never sits on the upper edge unless it is the world's edge.
            (lat < maxLat || maxLat == 90).Should().BeTrue();
            (lon < maxLon || maxLon == 180).Should().BeTrue();
        }
    }

    [Fact]
    public void Extreme_coordinates_encode()
    {
        Span<char> dest = stackalloc char[12];
        Geo.WriteGeohash(90, 180, 12, dest);
        new string(dest).Should().Be("zzzzzzzzzzzz");
        Geo.WriteGeohash(-90, -180, 12, dest);
        new string(dest).Should().Be("000000000000");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(13)]
    public void Bad_precision_throws_with_the_allowed_range(int precision)
    {
        var act = () => Geo.WriteGeohash(0, 0, precision, new char[16]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*1 to 12*");
    }

    [Theory]
    [InlineData(91, 0)]
    [InlineData(0, 180.5)]
    [InlineData(double.NaN, 0)]
    public void Bad_coordinates_throw(double lat, double lon) =>
        FluentActions.Invoking(() => Geo.WriteGeohash(lat, lon, 5, new char[12])).Should().Throw<ArgumentOutOfRangeException>();

    [Theory]
    [InlineData("")]
    [InlineData("ezs4a")]
    [InlineData("1234567890123")]
    public void Bad_geohash_throws(string hash) =>
        FluentActions.Invoking(() => Geo.DecodeGeohash(hash)).Should().Throw<ArgumentException>();

    [Theory]
    [InlineData(-0.1246, 51.5007, "POINT(-0.1246 51.5007)")]
    [InlineData(-71.064544, 42.28787, "POINT(-71.064544 42.28787)")]
    [InlineData(0.0, -0.0, "POINT(0 0)")]
    [InlineData(-0.00000001, 0.00000004, "POINT(0 0)")]
    [InlineData(180.0, -90.0, "POINT(180 -90)")]
    [InlineData(0.12345675, 1.0 / 3, "POINT(0.1234568 0.3333333)")]
    public void Wkt_points_are_lon_lat_with_up_to_seven_decimals(double lon, double lat, string expected)
    {
        Span<char> dest = stackalloc char[Geo.MaxWktPointLength];
        var n = Geo.WriteWktPoint(lon, lat, dest);
        new string(dest[..n]).Should().Be(expected);
    }

    [Fact]
    public void Wkt_text_is_stable_when_parsed_and_written_again()
    {
        var rng = new Rng(22);
        Span<char> a = stackalloc char[Geo.MaxWktPointLength];
        Span<char> b = stackalloc char[Geo.MaxWktPointLength];
        for (var i = 0; i < 10_000; i++)
        {
            var n = Geo.WriteWktPoint((rng.NextDouble() * 360) - 180, (rng.NextDouble() * 180) - 90, a);
            var text = a[6..(n - 1)];
            var space = text.IndexOf(' ');
            var lon = double.Parse(text[..space], provider: System.Globalization.CultureInfo.InvariantCulture);
            var lat = double.Parse(text[(space + 1)..], provider: System.Globalization.CultureInfo.InvariantCulture);
            var m = Geo.WriteWktPoint(lon, lat, b);
            b[..m].SequenceEqual(a[..n]).Should().BeTrue();
        }
    }

    [Fact]
    public void Haversine_matches_known_distances()
    {
        // One degree of latitude on the mean-radius sphere = R·π/180.
        Geo.HaversineMeters(0, 0, 1, 0).Should().BeApproximately(Geo.EarthRadiusMeters * Math.PI / 180, 1e-6);
        // London (Westminster) to Paris (Notre-Dame): about 343 km.
        Geo.HaversineMeters(51.5007, -0.1246, 48.853, 2.3499).Should().BeApproximately(342_500, 2_000);
        Geo.HaversineMeters(10, 20, 10, 20).Should().Be(0);
        Geo.HaversineMeters(0, 0, 0, 180).Should().BeApproximately(Math.PI * Geo.EarthRadiusMeters, 1e-6);
    }

    [Theory]
    [InlineData(51.5007, -0.1246, 1.0)]
    [InlineData(51.5007, -0.1246, 500.0)]
    [InlineData(53.8, -1.55, 25_000.0)]
    [InlineData(89.99, 10.0, 50_000.0)]
    [InlineData(-33.8568, 179.999, 10_000.0)]
    [InlineData(0.0, 0.0, 2_000_000.0)]
    public void Random_points_never_leave_the_radius(double lat, double lon, double radius)
    {
        var rng = new Rng(23);
        var inner = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var (pLat, pLon) = Geo.RandomPointWithin(ref rng, lat, lon, radius);
            pLat.Should().BeInRange(-90, 90);
            pLon.Should().BeInRange(-180, 180);
            var distance = Geo.HaversineMeters(lat, lon, pLat, pLon);
            if (distance > radius)
            {
                Assert.Fail($"draw {i}: {distance} m > {radius} m");
            }

            if (distance <= radius / 2)
            {
                inner++;
            }
        }

        // Uniform over the disc: a quarter of the points lie within half the radius (area ratio).
        var expectedInner = radius < 100_000 ? 0.25 : (1 - Math.Cos(radius / 2 / Geo.EarthRadiusMeters)) / (1 - Math.Cos(radius / Geo.EarthRadiusMeters));
        inner.Should().BeCloseTo((int)(expectedInner * 100_000), 700);
    }

    [Fact]
    public void Random_points_cover_every_direction()
    {
        var rng = new Rng(24);
        var quadrants = new int[4];
        for (var i = 0; i < 40_000; i++)
        {
            var (lat, lon) = Geo.RandomPointWithin(ref rng, 51.5, -0.12, 1000);
            quadrants[(lat >= 51.5 ? 0 : 2) + (lon >= -0.12 ? 0 : 1)]++;
        }

        quadrants.Should().OnlyContain(q => q > 9_500 && q < 10_500);
    }

    [Fact]
    public void Zero_radius_returns_the_centre_and_bad_radius_throws()
    {
        var rng = new Rng(25);
        var (lat, lon) = Geo.RandomPointWithin(ref rng, 10, 20, 0);
        lat.Should().BeApproximately(10, 1e-12);
        lon.Should().BeApproximately(20, 1e-12);
        FluentActions.Invoking(() =>
        {
            var r = new Rng(1);
            return Geo.RandomPointWithin(ref r, 0, 0, -1);
        }).Should().Throw<ArgumentOutOfRangeException>();
    }
}
