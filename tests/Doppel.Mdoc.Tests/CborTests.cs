using Doppel.Mdoc.Cbor;

namespace Doppel.Mdoc.Tests;

public sealed class CborTests
{
    // RFC 8949 Appendix A: values whose preferred serialization is the listed encoding.
    public static TheoryData<string, CborValue> AppendixA => new()
    {
        { "00", 0 }, { "01", 1 }, { "0a", 10 }, { "17", 23 }, { "1818", 24 }, { "1819", 25 }, { "1864", 100 },
        { "1903e8", 1000 }, { "1a000f4240", 1000000 }, { "1b000000e8d4a51000", 1000000000000 },
        { "1bffffffffffffffff", new CborInteger(ulong.MaxValue, negative: false) },
        { "3bffffffffffffffff", new CborInteger(ulong.MaxValue, negative: true) },
        { "20", -1 }, { "29", -10 }, { "3863", -100 }, { "3903e7", -1000 },
        { "f90000", new CborFloat(0.0) }, { "f98000", new CborFloat(-0.0) }, { "f93c00", new CborFloat(1.0) },
        { "fb3ff199999999999a", new CborFloat(1.1) }, { "f93e00", new CborFloat(1.5) }, { "f97bff", new CborFloat(65504.0) },
        { "fa47c35000", new CborFloat(100000.0) }, { "fa7f7fffff", new CborFloat(3.4028234663852886e+38) },
        { "fb7e37e43c8800759c", new CborFloat(1.0e+300) }, { "f90001", new CborFloat(5.960464477539063e-8) },
        { "f90400", new CborFloat(0.00006103515625) }, { "f9c400", new CborFloat(-4.0) }, { "fbc010666666666666", new CborFloat(-4.1) },
        { "f97c00", new CborFloat(double.PositiveInfinity) }, { "f97e00", new CborFloat(double.NaN) }, { "f9fc00", new CborFloat(double.NegativeInfinity) },
        { "f4", false }, { "f5", true }, { "f6", CborValue.Null }, { "f7", CborValue.Undefined }, { "f0", new CborSimple(16) }, { "f8ff", new CborSimple(255) },
        { "c074323031332d30332d32315432303a30343a30305a", new CborTag(0, "2013-03-21T20:04:00Z") },
        { "c11a514b67b0", new CborTag(1, 1363896240) },
        { "d74401020304", new CborTag(23, new byte[] { 1, 2, 3, 4 }) },
        { "d818456449455446", new CborTag(24, Convert.FromHexString("6449455446")) },
        { "d82076687474703a2f2f7777772e6578616d706c652e636f6d", new CborTag(32, "http://www.example.com") },
        { "40", Array.Empty<byte>() }, { "4401020304", new byte[] { 1, 2, 3, 4 } },
        { "60", string.Empty }, { "6161", "a" }, { "6449455446", "IETF" }, { "62225c", "\"\\" }, { "62c3bc", "\u00fc" },
        { "63e6b0b4", "\u6c34" }, { "64f0908591", "\U00010151" },
        { "80", new CborArray() }, { "83010203", new CborArray { 1, 2, 3 } },
        { "8301820203820405", new CborArray { 1, new CborArray { 2, 3 }, new CborArray { 4, 5 } } },
        { "98190102030405060708090a0b0c0d0e0f101112131415161718181819", new CborArray(Enumerable.Range(1, 25).Select(i => (CborValue)i)) },
        { "a0", new CborMap() }, { "a201020304", new CborMap { { 1, 2 }, { 3, 4 } } },
        { "a26161016162820203", new CborMap { { "a", 1 }, { "b", new CborArray { 2, 3 } } } },
        { "826161a161626163", new CborArray { "a", new CborMap { { "b", "c" } } } },
        { "a56161614161626142616361436164614461656145", new CborMap { { "a", "A" }, { "b", "B" }, { "c", "C" }, { "d", "D" }, { "e", "E" } } },
    };

    [Theory]
    [MemberData(nameof(AppendixA))]
    public void Rfc8949_appendix_A_values_encode_to_the_listed_bytes_and_decode_back(string hex, CborValue value)
    {
        Convert.ToHexStringLower(CborEncoder.Encode(value)).Should().Be(hex);
        var decoded = CborDecoder.Decode(Convert.FromHexString(hex), requireDeterministic: true);
        Convert.ToHexStringLower(CborEncoder.Encode(decoded, new CborEncodeOptions { ReencodeDecoded = true })).Should().Be(hex);
        decoded.Kind.Should().Be(value.Kind);
    }

    [Theory]
    [InlineData("5f42010243030405ff", "indefinite-length")]
    [InlineData("7f657374726561646d696e67ff", "indefinite-length")]
    [InlineData("9fff", "indefinite-length")]
    [InlineData("bf61610161629f0203ffff", "indefinite-length")]
    [InlineData("ff", "break")]
    [InlineData("1c", "reserved additional information value 28")]
    [InlineData("f818", "two-byte simple value 24")]
    [InlineData("", "input is empty")]
    [InlineData("19 01", "truncated")]
    [InlineData("5820 0001", "byte string of length 32 needs 32 bytes but 2 remain")]
    [InlineData("9b 00000001 00000000", "truncated input: array declares 4294967296 entries")]
    [InlineData("62 c328", "not valid UTF-8")]
    [InlineData("a2 0101 0102", "duplicate key")]
    [InlineData("0000", "1 trailing byte")]
    [InlineData("d818 01", "tag 24 must enclose a byte string")]
    [InlineData("d903ec 1a00000001", "tag 1004 must enclose a text string")]
    public void Malformed_input_is_rejected_with_a_clear_message(string hex, string expected)
    {
        var act = () => CborDecoder.Decode(Convert.FromHexString(hex.Replace(" ", string.Empty)));
        act.Should().Throw<CborException>().Which.Message.Should().Contain(expected).And.StartWith("CBOR: ");
    }

    [Fact]
    public void Deeply_nested_input_is_rejected_instead_of_overflowing_the_stack()
    {
        var bytes = Enumerable.Repeat((byte)0x81, 100_000).Append((byte)0x00).ToArray();
        var act = () => CborDecoder.Decode(bytes);
        act.Should().Throw<CborException>().WithMessage("*nesting deeper than 64*");
    }

    [Theory]
    [InlineData("1817", "not in its shortest form")]
    [InlineData("190001", "not in its shortest form")]
    [InlineData("fa3f800000", "float is not in its shortest form")]
    [InlineData("a2616201616101", "not in bytewise lexicographic order")]
    [InlineData("a2181801 0102", "not in bytewise lexicographic order")]
    public void Deterministic_mode_rejects_non_preferred_encodings(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", string.Empty));
        CborDecoder.Decode(bytes).Should().NotBeNull("the input is well-formed");
        var act = () => CborDecoder.Decode(bytes, requireDeterministic: true);
        act.Should().Throw<CborException>().Which.Message.Should().Contain(expected);
    }

    [Fact]
    public void Map_keys_are_sorted_by_bytewise_order_of_their_encodings()
    {
        // RFC 8949 §4.2.1 example order: 10, 100, -1, "z", "aa", [100], [-1], false.
        var map = new CborMap
        {
            { false, 8 }, { new CborArray { -1 }, 7 }, { new CborArray { 100 }, 6 }, { "aa", 5 }, { "z", 4 }, { -1, 3 }, { 100, 2 }, { 10, 1 },
        };
        var decoded = CborDecoder.Decode(CborEncoder.Encode(map), requireDeterministic: true).AsMap("map");
        decoded.Select(e => e.Value.AsInt64("v")).Should().Equal(1, 2, 3, 4, 5, 6, 7, 8);
    }

    [Fact]
    public void Order_keeping_maps_keep_order_unless_all_maps_are_sorted()
    {
        var item = new CborMap(keepOrder: true) { { "digestID", 0 }, { "random", new byte[] { 1 } } };
        Convert.ToHexStringLower(CborEncoder.Encode(item)).Should().StartWith("a2686469676573744944");
        Convert.ToHexStringLower(CborEncoder.Encode(item, CborEncodeOptions.CoreDeterministic)).Should().StartWith("a26672616e646f6d");
    }

    [Fact]
    public void Duplicate_keys_cannot_be_encoded()
    {
        var map = new CborMap { { "a", 1 }, { "a", 2 } };
        var act = () => CborEncoder.Encode(map);
        act.Should().Throw<CborException>().WithMessage("*duplicate map key*");
    }

    [Fact]
    public void Decoded_values_are_reencoded_verbatim_so_signed_bytes_survive()
    {
        // A non-preferred but well-formed encoding: 1-byte argument for 1, keys unsorted.
        var bytes = Convert.FromHexString("a2616218016161f5");
        var decoded = CborDecoder.Decode(bytes);
        CborEncoder.Encode(new CborArray { decoded }).Should().Equal([0x81, .. bytes]);
        Convert.ToHexStringLower(CborEncoder.Encode(decoded, new CborEncodeOptions { ReencodeDecoded = true })).Should().Be("a26162016161f5");
        Convert.ToHexStringLower(CborEncoder.Encode(decoded, new CborEncodeOptions { ReencodeDecoded = true, SortAllMaps = true })).Should().Be("a26161f5616201");
    }

    [Fact]
    public void Random_values_round_trip_through_encoder_and_decoder()
    {
        var rng = new Random(20240101);
        for (var i = 0; i < 500; i++)
        {
            var value = RandomValue(rng, depth: 0);
            var bytes = CborEncoder.Encode(value);
            var decoded = CborDecoder.Decode(bytes, requireDeterministic: true);
            CborEncoder.Encode(decoded, new CborEncodeOptions { ReencodeDecoded = true }).Should().Equal(bytes);
            decoded.Encoded.ToArray().Should().Equal(bytes);
            decoded.ToString().Should().Be(CborDecoder.Decode(bytes).ToString());
        }
    }

    [Fact]
    public void Truncating_a_valid_encoding_anywhere_is_reported_as_truncation()
    {
        var rng = new Random(7);
        for (var i = 0; i < 100; i++)
        {
            var bytes = CborEncoder.Encode(RandomValue(rng, depth: 2));
            var step = Math.Max(1, bytes.Length / 64);
            for (var cut = 0; cut < bytes.Length; cut += step)
            {
                var act = () => CborDecoder.Decode(bytes.AsMemory(0, cut));
                act.Should().Throw<CborException>().Which.Message.Should().Contain("truncated");
            }
        }
    }

    [Fact]
    public void Iso_building_blocks_match_the_domain_reference_vectors()
    {
        // Domain reference §5.8.
        Hex(CborTag.DateTime(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))).Should().Be("c074323032342d30312d30315430303a30303a30305a");
        Hex(CborTag.Date(new DateOnly(1990, 1, 15))).Should().Be("d903ec6a313939302d30312d3135");
        Hex(new CborMap { { 1, -7 } }).Should().Be("a10126");
        Hex(new CborMap { { 1, -35 } }).Should().Be("a1013822");
        Hex(new CborMap { { 1, -36 } }).Should().Be("a1013823");
        Hex(33).Should().Be("1821");
    }

    private static string Hex(CborValue value) => Convert.ToHexStringLower(CborEncoder.Encode(value));

    private static CborValue RandomValue(Random rng, int depth)
    {
        var kind = rng.Next(depth > 3 ? 7 : 10);
        switch (kind)
        {
            case 0:
                return new CborInteger((ulong)rng.NextInt64() >> rng.Next(64), rng.Next(2) == 0);
            case 1:
                var bytes = new byte[rng.Next(0, rng.Next(2) == 0 ? 30 : 300)];
                rng.NextBytes(bytes);
                return bytes;
            case 2:
                return new string(Enumerable.Range(0, rng.Next(0, 40)).Select(_ => "aZ09 éß水-"[rng.Next(9)]).ToArray());
            case 3:
                return rng.Next(4) switch
                {
                    0 => true,
                    1 => false,
                    2 => CborValue.Null,
                    _ => new CborSimple((byte)rng.Next(32, 256)),
                };
            case 4:
                return new CborFloat(rng.Next(3) switch
                {
                    0 => rng.Next(-1000, 1000) / 4.0,
                    1 => (float)(rng.NextDouble() * 1e6),
                    _ => rng.NextDouble() * 1e300,
                });
            case 5:
                return CborTag.Date(DateOnly.FromDayNumber(rng.Next(700_000, 750_000)));
            case 6:
                return rng.NextInt64();
            case 7:
                return new CborArray(Enumerable.Range(0, rng.Next(0, 30)).Select(_ => RandomValue(rng, depth + 1)));
            case 8:
                var map = new CborMap(keepOrder: rng.Next(2) == 0);
                var keys = new HashSet<string>();
                for (var i = rng.Next(0, 25); i > 0; i--)
                {
                    var key = rng.Next(2) == 0 ? "k" + rng.Next(1000) : rng.Next(-500, 500).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (keys.Add(key))
                    {
                        map.Add(key.StartsWith('k') ? key : int.Parse(key, System.Globalization.CultureInfo.InvariantCulture), RandomValue(rng, depth + 1));
                    }
                }

                return map.KeepOrder ? CborDecoder.Decode(CborEncoder.Encode(map, CborEncodeOptions.CoreDeterministic)) : map;
            default:
                return CborTag.Embed(RandomValue(rng, depth + 1));
        }
    }
}
