using System.Runtime.CompilerServices;
using Doppel.Data;
using Doppel.Domain;
using Doppel.Execution;
using Doppel.Execution.Columnar;
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
            return new FnGenerator(DataType.String, (f, _) => Value.FromText(PersonNames.LastName(ref f.Rng, locale)), kernel: c => new NameKernel(c.Seed, PersonNames.Surnames(locale)));
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
            SpanWriter? write = kind switch
            {
                "uk_mobile" => Phone.WriteUkMobile,
                "uk_landline" => Phone.WriteUkLandline,
                "us" => Phone.WriteUsFictional,
                _ => null,
            };
            if (write is null)
            {
                ctx.Error("kind", $"unknown phone kind '{kind}'", "use uk_mobile, uk_landline or us");
                return null;
            }

            return new FnGenerator(DataType.String, (f, _) => Write(f, 16, write), kernel: c => new CharsKernel(c.Seed, 16, (ref Rng rng, long _, Span<char> d) => write(ref rng, d)));
        }));
        r.Add(new GeneratorFactory("email", "E-mail addresses on reserved domains (example.com/.org/.net), from name columns.", [new("first", "given-name expression", "a random first name"), new("last", "family-name expression", "a random last name")], ctx =>
        {
            return new EmailGenerator(ctx.Expression("first"), ctx.Expression("last"));
        }));
        r.Add(new GeneratorFactory("street_address", "A plausible, clearly synthetic street line (number, street, suffix).", [new("locale", "en-GB or en-US", "en-GB")], ctx =>
        {
            var locale = Locale(ctx);
            return new FnGenerator(DataType.String, (f, _) => Write(f, 96, (ref Rng rng, Span<char> d) => Addresses.WriteStreetLine(ref rng, d, locale)), kernel: c => new CharsKernel(c.Seed, 96, (ref Rng rng, long _, Span<char> d) => Addresses.WriteStreetLine(ref rng, d, locale)));
        }));
        r.Add(new GeneratorFactory("city", "A real town or city name (en-GB, en-US).", [new("locale", "en-GB or en-US", "en-GB")], ctx =>
        {
            var locale = Locale(ctx);
            return new FnGenerator(DataType.String, (f, _) => Value.FromText(Addresses.City(ref f.Rng, locale).City), kernel: c => new DrawKernel(c.Seed, (ref Rng rng, long _) => Value.FromText(Addresses.City(ref rng, locale).City)));
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

            return new FnGenerator(
                DataType.String,
                (f, _) =>
                {
                    var dest = f.Arena.Rent(12);
                    var n = Geo.WriteGeohash(lat.Evaluate(f).AsDouble, lon.Evaluate(f).AsDouble, precision, dest);
                    return Value.FromText(f.Arena.Commit(n));
                },
                kernel: c => PointKernel.Create(c, lat, lon, 12, (la, lo, d) => Geo.WriteGeohash(la, lo, precision, d)));
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

            return new FnGenerator(
                DataType.String,
                (f, _) =>
                {
                    var dest = f.Arena.Rent(64);
                    var n = Geo.WriteWktPoint(lon.Evaluate(f).AsDouble, lat.Evaluate(f).AsDouble, dest);
                    return Value.FromText(f.Arena.Commit(n));
                },
                kernel: c => PointKernel.Create(c, lat, lon, 64, (la, lo, d) => Geo.WriteWktPoint(lo, la, d)));
        }));
    }

    private delegate int SpanWriter(ref Rng rng, Span<char> dest);

    private delegate int PointWriter(double lat, double lon, Span<char> dest);

    /// <summary>Text from a point whose latitude and longitude are plain number columns of the row (a null reads as 0, as on the row path).</summary>
    private sealed class PointKernel(int latColumn, int lonColumn, int maxChars, PointWriter write) : ColumnKernel
    {
        public static PointKernel? Create(ColumnPlan column, Expressions.CompiledExpression lat, Expressions.CompiledExpression lon, int maxChars, PointWriter write)
        {
            var la = ColumnarTable.InputColumn(column, lat, IsNumber);
            var lo = ColumnarTable.InputColumn(column, lon, IsNumber);
            return la >= 0 && lo >= 0 ? new PointKernel(la, lo, maxChars, write) : null;
        }

        private static bool IsNumber(DataType type) => type is DataType.Float or DataType.Int;

        public override IReadOnlyList<int> Inputs => [latColumn, lonColumn];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            var lats = run.Input(latColumn);
            var lons = run.Input(lonColumn);
            Span<char> buffer = stackalloc char[maxChars];
            for (var i = 0; i < run.Count; i++)
            {
                var n = write(Number(lats, i), Number(lons, i), buffer);
                Utf8Cells.Put(dest.Utf8, i, buffer[..n]);
            }
        }

        private static double Number(ColumnBuffer column, int slot) =>
            column.Nulls[slot] ? 0 : column.Type == DataType.Float ? column.Float64[slot] : column.Int64[slot];
    }

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

        public override ColumnKernel? CreateKernel(ColumnPlan column)
        {
            if (sex is Sex fixedSex)
            {
                return new NameKernel(column.Seed, PersonNames.FirstNames(fixedSex, locale));
            }

            var input = ColumnarTable.InputColumn(column, (Expressions.CompiledExpression)sex, t => t.UsesUtf8());
            return input >= 0 ? new FirstNameKernel(column.Seed, locale, input) : null;
        }

        private static Sex ParseSex(Value v) => v.IsNull || v.Text.Length == 0 ? Sex.Any : SexOf(v.Text.Span[0]);

        internal static Sex SexOf(char first) => char.ToUpperInvariant(first) switch { 'F' => Sex.Female, 'M' => Sex.Male, _ => Sex.Any };
    }

    /// <summary>Names from a frequency table, stored as pre-encoded UTF-8.</summary>
    private sealed class NameKernel(ulong seed, WeightedTable table) : ColumnKernel
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            var names = table.Utf8Values;
            var sampler = table.Sampler;
            for (var i = 0; i < run.Count; i++)
            {
                var rng = SeedTree.Cell(seed, run.FirstRow + i);
                names.CopyTo(dest.Utf8, i, sampler.Sample(ref rng));
            }
        }
    }

    /// <summary>First names by the sex in another column of the row (F/M by first letter; anything else draws from both).</summary>
    private sealed class FirstNameKernel(ulong seed, NameLocale locale, int sexColumn) : ColumnKernel
    {
        // Indexed by Sex (Female, Male, Any).
        private readonly WeightedTable[] _tables = [PersonNames.FirstNames(Sex.Female, locale), PersonNames.FirstNames(Sex.Male, locale), PersonNames.FirstNames(Sex.Any, locale)];

        public override IReadOnlyList<int> Inputs => [sexColumn];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            var tables = _tables;
            var sexes = run.Input(sexColumn);
            for (var i = 0; i < run.Count; i++)
            {
                var table = tables[(int)SexAt(sexes, i)];
                var rng = SeedTree.Cell(seed, run.FirstRow + i);
                table.Utf8Values.CopyTo(dest.Utf8, i, table.Sampler.Sample(ref rng));
            }
        }

        private static Sex SexAt(ColumnBuffer sexes, int slot)
        {
            var text = sexes.Utf8.Get(slot);
            if (sexes.Nulls[slot] || text.IsEmpty)
            {
                return Sex.Any;
            }

            if (text[0] < 0x80)
            {
                // ASCII: upper-casing only maps f/m to F/M, so the row path's rule is these four bytes.
                return text[0] switch { (byte)'F' or (byte)'f' => Sex.Female, (byte)'M' or (byte)'m' => Sex.Male, _ => Sex.Any };
            }

            // Same rule as the row path: the first UTF-16 char, upper-cased (a surrogate stays itself).
            System.Text.Rune.DecodeFromUtf8(text, out var rune, out _);
            return rune.IsBmp ? FirstNameGenerator.SexOf((char)rune.Value) : Sex.Any;
        }
    }

    /// <summary>E-mail addresses from two name expressions (or random names when they are not given).</summary>
    private sealed class EmailGenerator(Expressions.CompiledExpression? first, Expressions.CompiledExpression? last) : Generator
    {
        public override DataType Type => DataType.String;

        public override Value Generate(EvalFrame frame)
        {
            var fn = first is null ? PersonNames.FirstName(ref frame.Rng, Sex.Any).AsMemory() : first.Evaluate(frame).Text;
            var ln = last is null ? PersonNames.LastName(ref frame.Rng).AsMemory() : last.Evaluate(frame).Text;
            var dest = frame.Arena.Rent(Email.MaxLength);
            var n = Email.Write(fn.Span, ln.Span, ref frame.Rng, dest);
            return Value.FromText(frame.Arena.Commit(n));
        }

        public override ColumnKernel? CreateKernel(ColumnPlan column)
        {
            var f = first is null ? -1 : ColumnarTable.InputColumn(column, first, t => t.UsesUtf8());
            var l = last is null ? -1 : ColumnarTable.InputColumn(column, last, t => t.UsesUtf8());
            return (first is null || f >= 0) && (last is null || l >= 0) ? new EmailKernel(column.Seed, f, l) : null;
        }

        public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, ["^[a-z0-9._%+-]+@([a-z0-9-]+\\.)*example\\.(com|org|net)$"], "email")];
    }

    private sealed class EmailKernel(ulong seed, int firstColumn, int lastColumn) : ColumnKernel
    {
        /// <summary>A name from its column, or drawn from the table (as the row path draws it); padded for vector reads.</summary>
        private static ReadOnlySpan<byte> Name(ColumnBuffer? column, WeightedTable table, int slot, ref Rng rng, out int length)
        {
            if (column is null)
            {
                var index = table.Sampler.Sample(ref rng);
                length = table.Utf8Values.Length(index);
                return table.Utf8Values.Padded(index);
            }

            length = column.Nulls[slot] ? 0 : column.Utf8.Length(slot);
            return column.Nulls[slot] ? default : column.Utf8.Padded(slot);
        }

        public override IReadOnlyList<int> Inputs => [.. new[] { firstColumn, lastColumn }.Where(c => c >= 0)];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Fill(ColumnRun run, ColumnBuffer dest)
        {
            var firsts = firstColumn >= 0 ? run.Input(firstColumn) : null;
            var lasts = lastColumn >= 0 ? run.Input(lastColumn) : null;
            var firstNames = PersonNames.FirstNames(Sex.Any, NameLocale.EnGb);
            var lastNames = PersonNames.Surnames(NameLocale.EnGb);
            for (var i = 0; i < run.Count; i++)
            {
                var rng = SeedTree.Cell(seed, run.FirstRow + i);
                var fn = Name(firsts, firstNames, i, ref rng, out var fl);
                var ln = Name(lasts, lastNames, i, ref rng, out var ll);
                var n = Email.WriteUtf8(fn, fl, ln, ll, ref rng, dest.Utf8.Reserve(Email.Scratch));
                dest.Utf8.Commit(i, n);
            }
        }
    }

    private sealed class PostcodeGenerator(string? area) : Generator
    {
        public override DataType Type => DataType.String;

        public override Value Generate(EvalFrame frame)
        {
            var dest = frame.Arena.Rent(8);
            return Value.FromText(frame.Arena.Commit(Write(ref frame.Rng, dest)));
        }

        public override ColumnKernel? CreateKernel(ColumnPlan column) =>
            area is null ? new AnyAreaKernel(column.Seed) : new CharsKernel(column.Seed, 8, (ref Rng rng, long _, Span<char> dest) => Write(ref rng, dest));

        /// <summary>Postcodes from every area written straight as ASCII.</summary>
        private sealed class AnyAreaKernel(ulong seed) : ColumnKernel
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public override void Fill(ColumnRun run, ColumnBuffer dest)
            {
                for (var i = 0; i < run.Count; i++)
                {
                    var rng = SeedTree.Cell(seed, run.FirstRow + i);
                    dest.Utf8.Commit(i, UkPostcode.WriteRandomUtf8(ref rng, dest.Utf8.Reserve(16)));
                }
            }
        }

        private int Write(ref Rng rng, Span<char> dest) => area is null ? UkPostcode.WriteRandom(ref rng, dest) : UkPostcode.WriteRandomInArea(ref rng, area, dest);

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
            return Value.FromText(frame.Arena.Commit(Write(ref frame.Rng, frame.Row, dest)));
        }

        public override ColumnKernel? CreateKernel(ColumnPlan column) =>
            !unique && range == NhsRange.Test999 ? new Test999Kernel(column.Seed) : new CharsKernel(column.Seed, 10, Write);

        /// <summary>The default column (random valid numbers of the 999 test range) written straight as ASCII.</summary>
        private sealed class Test999Kernel(ulong seed) : ColumnKernel
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public override void Fill(ColumnRun run, ColumnBuffer dest)
            {
                for (var i = 0; i < run.Count; i++)
                {
                    var rng = SeedTree.Cell(seed, run.FirstRow + i);
                    dest.Utf8.Commit(i, NhsNumber.WriteRandomValidTest999(ref rng, dest.Utf8.Reserve(NhsNumber.Length)));
                }
            }
        }

        private int Write(ref Rng rng, long row, Span<char> dest) => unique ? NhsNumber.WriteUnique(row, key, dest, range) : NhsNumber.WriteRandomValid(ref rng, dest, range);

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
/// <remarks><paramref name="kernel"/> optionally gives its column-at-a-time form (it must store exactly what <paramref name="generate"/> returns).</remarks>
public sealed class FnGenerator(DataType type, Func<EvalFrame, FnGenerator, Value> generate, IReadOnlyList<ContractRule>? contracts = null, Func<ColumnPlan, ColumnKernel?>? kernel = null) : Generator
{
    public override DataType Type => type;

    public override Value Generate(EvalFrame frame) => generate(frame, this);

    public override ColumnKernel? CreateKernel(ColumnPlan column) => kernel?.Invoke(column);

    public override IEnumerable<ContractRule> ImpliedContracts => contracts ?? [];
}
