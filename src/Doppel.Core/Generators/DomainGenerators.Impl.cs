using Doppel.Data;
using Doppel.Domain;
using Doppel.Execution;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Generators;

public static partial class DomainGenerators
{
    static partial void RegisterDomain(GeneratorRegistry r)
    {
        Validation.CheckDigits.Register("uk_postcode", s => UkPostcode.IsValid(s));
        r.Add(new GeneratorFactory("first_name", "Given names weighted by real frequency (en-GB, en-US), by sex.", [new("sex", "F/M/any, or an expression such as a sex column (F/M, female/male)", "any"), new("locale", "en-GB or en-US", "en-GB")], ctx => new FirstNameGenerator(SexOf(ctx), Locale(ctx))));
        r.Add(new GeneratorFactory("last_name", "Family names weighted by real frequency (en-GB, en-US).", [new("locale", "en-GB or en-US", "en-GB")], ctx =>
        {
            var locale = Locale(ctx); // resolved once at plan time, not per row
            return new FnGenerator(DataType.String, (f, _) => Value.FromText(PersonNames.LastName(ref f.Rng, locale)));
        }));
        r.Add(new GeneratorFactory("nhs_number", "Valid NHS numbers (Modulus 11, 999 test range by default); labelled invalid ones by fault kind.", [new("range", "test (999…), england or any", "test"), new("unique", "distinct numbers by construction (a keyed permutation of the range)", "false")], NhsGenerator.Create));
        r.Add(new GeneratorFactory("postcode", "UK postcodes in real postcode areas and districts, valid by construction.", [new("area", "restrict to one postcode area, e.g. LS")], ctx =>
        {
            var area = ctx.String("area");
            if (area is not null && !UkPostcode.Areas.Contains(area))
            {
                ctx.Error("area", $"'{area}' is not a UK postcode area", Diagnostics.Suggest.DidYouMean(area, UkPostcode.Areas));
                return null;
            }

            return new PostcodeGenerator(area);
        }));
        r.Add(new GeneratorFactory("phone", "Fictional phone numbers from ranges reserved for drama (never issued).", [new("kind", "uk_mobile, uk_landline or us", "uk_mobile")], ctx =>
        {
            var kind = ctx.String("kind") ?? "uk_mobile";
            Func<EvalFrame, Value>? make = kind switch
            {
                "uk_mobile" => f => Write(f, 16, (ref Rng rng, Span<char> d) => Phone.WriteUkMobile(ref rng, d)),
                "uk_landline" => f => Write(f, 16, (ref Rng rng, Span<char> d) => Phone.WriteUkLandline(ref rng, d)),
                "us" => f => Write(f, 16, (ref Rng rng, Span<char> d) => Phone.WriteUsFictional(ref rng, d)),
                _ => null,
            };
            if (make is null)
            {
                ctx.Error("kind", $"unknown phone kind '{kind}'", "use uk_mobile, uk_landline or us");
                return null;
            }

            return new FnGenerator(DataType.String, (f, _) => make(f));
        }));
        r.Add(new GeneratorFactory("email", "E-mail addresses on reserved domains (example.com/.org/.net), from name columns.", [new("first", "given-name expression", "a random first name"), new("last", "family-name expression", "a random last name")], ctx =>
        {
            var first = ctx.Expression("first");
            var last = ctx.Expression("last");
            return new FnGenerator(DataType.String, (f, _) =>
            {
                var fn = first is null ? PersonNames.FirstName(ref f.Rng, Sex.Any).AsMemory() : first.Evaluate(f).Text;
                var ln = last is null ? PersonNames.LastName(ref f.Rng).AsMemory() : last.Evaluate(f).Text;
                var dest = f.Arena.Rent(Math.Max(80, (fn.Length + ln.Length) * 2 + 40));
                var n = Email.Write(fn.Span, ln.Span, ref f.Rng, dest);
                return Value.FromText(f.Arena.Commit(n));
            }, [new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, ["^[a-z0-9._%+-]+@([a-z0-9-]+\\.)*example\\.(com|org|net)$"], "email")]);
        }));
        r.Add(new GeneratorFactory("street_address", "A plausible, clearly synthetic street line (number, street, suffix).", [new("locale", "en-GB or en-US", "en-GB")], ctx =>
        {
            var locale = Locale(ctx);
            return new FnGenerator(DataType.String, (f, _) => Write(f, 96, (ref Rng rng, Span<char> d) => Addresses.WriteStreetLine(ref rng, d, locale)));
        }));
        r.Add(new GeneratorFactory("city", "A real town or city name (en-GB, en-US).", [new("locale", "en-GB or en-US", "en-GB")], ctx =>
        {
            var locale = Locale(ctx);
            return new FnGenerator(DataType.String, (f, _) => Value.FromText(Addresses.City(ref f.Rng, locale).City));
        }));
        r.Add(new GeneratorFactory("geohash", "The geohash of a point at a precision (1–12).", [new("lat", "latitude expression"), new("lon", "longitude expression"), new("precision", "characters, 1–12", "8")], ctx =>
        {
            var lat = ctx.Expression("lat");
            var lon = ctx.Expression("lon");
            var precision = (int)ctx.Long("precision", 8);
            if (precision is < 1 or > 12)
            {
                ctx.Error("precision", $"geohash precision must be 1–12, not {precision}");
                return null;
            }

            if (lat is null || lon is null)
            {
                ctx.Error("lat", "geohash needs 'lat' and 'lon' expressions");
                return null;
            }

            return new FnGenerator(DataType.String, (f, _) =>
            {
                var dest = f.Arena.Rent(12);
                var n = Geo.WriteGeohash(lat.Evaluate(f).AsDouble, lon.Evaluate(f).AsDouble, precision, dest);
                return Value.FromText(f.Arena.Commit(n));
            });
        }));
        r.Add(new GeneratorFactory("wkt_point", "WKT POINT(lon lat) of a point (SRID 4326 axis order).", [new("lat", "latitude expression"), new("lon", "longitude expression")], ctx =>
        {
            var lat = ctx.Expression("lat");
            var lon = ctx.Expression("lon");
            if (lat is null || lon is null)
            {
                ctx.Error("lat", "wkt_point needs 'lat' and 'lon' expressions");
                return null;
            }

            return new FnGenerator(DataType.String, (f, _) =>
            {
                var dest = f.Arena.Rent(64);
                var n = Geo.WriteWktPoint(lon.Evaluate(f).AsDouble, lat.Evaluate(f).AsDouble, dest);
                return Value.FromText(f.Arena.Commit(n));
            });
        }));
    }

    private delegate int SpanWriter(ref Rng rng, Span<char> dest);

    private static Value Write(EvalFrame f, int max, SpanWriter writer)
    {
        var dest = f.Arena.Rent(max);
        var n = writer(ref f.Rng, dest);
        return Value.FromText(f.Arena.Commit(n));
    }

    private static NameLocale Locale(GeneratorContext ctx) => (ctx.String("locale") ?? "en-GB") switch
    {
        "en-GB" or "en_GB" or "gb" => NameLocale.EnGb,
        "en-US" or "en_US" or "us" => NameLocale.EnUs,
        var other => BadLocale(ctx, other),
    };

    private static NameLocale BadLocale(GeneratorContext ctx, string locale)
    {
        ctx.Error("locale", $"unknown locale '{locale}'", "use en-GB or en-US");
        return NameLocale.EnGb;
    }

    private static object SexOf(GeneratorContext ctx)
    {
        var raw = ctx.String("sex");
        switch (raw?.ToLowerInvariant())
        {
            case null or "any": return Sex.Any;
            case "f" or "female": return Sex.Female;
            case "m" or "male": return Sex.Male;
        }

        return ctx.Expression("sex") ?? (object)Sex.Any;
    }

    private sealed class FirstNameGenerator(object sex, NameLocale locale) : Generator
    {
        public override DataType Type => DataType.String;

        public override Value Generate(EvalFrame frame)
        {
            var s = sex is Sex fixedSex ? fixedSex : ParseSex(((Expressions.CompiledExpression)sex).Evaluate(frame));
            return Value.FromText(PersonNames.FirstName(ref frame.Rng, s, locale));
        }

        private static Sex ParseSex(Value v)
        {
            if (v.IsNull || v.Text.Length == 0)
            {
                return Sex.Any;
            }

            return char.ToUpperInvariant(v.Text.Span[0]) switch { 'F' => Sex.Female, 'M' => Sex.Male, _ => Sex.Any };
        }
    }

    private sealed class PostcodeGenerator(string? area) : Generator
    {
        public override DataType Type => DataType.String;

        public override Value Generate(EvalFrame frame)
        {
            var dest = frame.Arena.Rent(8);
            var n = area is null ? UkPostcode.WriteRandom(ref frame.Rng, dest) : UkPostcode.WriteRandomInArea(ref frame.Rng, area, dest);
            return Value.FromText(frame.Arena.Commit(n));
        }

        public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.Check, ["uk_postcode"], "postcode")];
    }

    private sealed class NhsGenerator(NhsRange range, bool unique, ulong key) : Generator
    {
        public static readonly Dictionary<string, NhsInvalidKind> Kinds = new(StringComparer.Ordinal)
        {
            ["bad_checksum"] = NhsInvalidKind.WrongCheckDigit,
            ["check_digit_10"] = NhsInvalidKind.CheckDigitTen,
            ["wrong_length"] = NhsInvalidKind.WrongLength,
            ["non_digit"] = NhsInvalidKind.NonDigit,
        };

        public static Generator? Create(GeneratorContext ctx)
        {
            var range = (ctx.String("range") ?? "test") switch
            {
                "test" => NhsRange.Test999,
                "england" => NhsRange.England,
                "any" => NhsRange.Any,
                var other => Bad(ctx, other),
            };
            return new NhsGenerator(range, ctx.Bool("unique", false), ctx.Column.Seed);
        }

        private static NhsRange Bad(GeneratorContext ctx, string other)
        {
            ctx.Error("range", $"unknown NHS number range '{other}'", "use test, england or any");
            return NhsRange.Test999;
        }

        public override DataType Type => DataType.String;

        public override bool UniqueByConstruction => unique;

        public override IReadOnlyList<string> InvalidKinds => [.. Kinds.Keys, InvalidValues.Missing];

        public override Value Generate(EvalFrame frame)
        {
            var dest = frame.Arena.Rent(10);
            var n = unique ? NhsNumber.WriteUnique(frame.Row, key, dest, range) : NhsNumber.WriteRandomValid(ref frame.Rng, dest, range);
            return Value.FromText(frame.Arena.Commit(n));
        }

        public override Value MakeInvalid(string kind, Value valid, ref Rng rng, EvalFrame frame)
        {
            if (!Kinds.TryGetValue(kind, out var k))
            {
                return base.MakeInvalid(kind, valid, ref rng, frame);
            }

            var dest = frame.Arena.Rent(16);
            var n = NhsNumber.WriteInvalid(ref rng, k, dest);
            return Value.FromText(frame.Arena.Commit(n));
        }

        public override IEnumerable<ContractRule> ImpliedContracts =>
            unique
                ? [new ContractRule(string.Empty, string.Empty, ContractKind.Check, ["nhs_mod11"], "nhs_number"), new ContractRule(string.Empty, string.Empty, ContractKind.Unique, [], "nhs_number unique")]
                : [new ContractRule(string.Empty, string.Empty, ContractKind.Check, ["nhs_mod11"], "nhs_number")];
    }
}

/// <summary>A generator from a function, for small domain wrappers.</summary>
public sealed class FnGenerator(DataType type, Func<EvalFrame, FnGenerator, Value> generate, IReadOnlyList<ContractRule>? contracts = null) : Generator
{
    public override DataType Type => type;

    public override Value Generate(EvalFrame frame) => generate(frame, this);

    public override IEnumerable<ContractRule> ImpliedContracts => contracts ?? [];
}
