using Doppel.Data;
using Doppel.Domain;
using Doppel.Execution;
using Doppel.Expressions;
using Doppel.Generators;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Packs.Incidents;

/// <summary>
/// Generators the incidents recipe needs beyond the standard library: lookup codes and labels from the
/// pack's lookup table, the service area (city, ZIP3, centre), points within a station's coverage radius,
/// phone numbers in the area's area code, and CAD-style free text.
/// </summary>
public static class IncidentsPackGenerators
{
    public static void Register(GeneratorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add(new GeneratorFactory("lookup_code", "A code of one kind from the incidents lookup table, weighted by its weight column.", [new("file", "kind,code,label[,weight] CSV; empty = the built-in table", "(built in)"), new("kind", "type, severity, status, source or weather")], LookupCodeGenerator.Create));
        registry.Add(new GeneratorFactory("lookup_label", "The label of a lookup code (e.g. 'Structure fire' for STRUCTURE_FIRE).", [new("file", "kind,code,label[,weight] CSV; empty = the built-in table", "(built in)"), new("kind", "type, severity, status, source or weather"), new("code", "expression giving the code")], LookupLabelGenerator.Create));
        registry.Add(new GeneratorFactory("service_area", "A constant of the simulated city: city, region, zip3, area_code, lat or lon.", [new("area", "area key, e.g. denver"), new("field", "city, region, zip3, area_code, lat or lon")], CreateServiceArea));
        registry.Add(new GeneratorFactory("point_near", "Latitude or longitude of a point uniformly distributed within radius_m metres of (lat, lon), rounded to 7 decimals.", [new("lat", "centre latitude expression"), new("lon", "centre longitude expression"), new("radius_m", "radius expression, metres"), new("part", "lat or lon"), new("point", "name shared by the lat and lon columns of one point", "location")], PointNearGenerator.Create));
        registry.Add(new GeneratorFactory("area_phone", "A fictional US number (555-0100–555-0199) in the service area's area code.", [new("area", "area key, e.g. denver")], CreateAreaPhone));
        registry.Add(new GeneratorFactory("incident_text", "CAD-style free text: narrative (by incident type), note or asset_note.", [new("text", "narrative, note or asset_note"), new("for_type", "incident type code expression (narratives)")], IncidentTextGenerator.Create));
    }

    private static ServiceArea? Area(GeneratorContext ctx)
    {
        var key = ctx.RequireString("area");
        var area = ServiceAreas.Find(key);
        if (area is null)
        {
            ctx.Error("area", $"unknown service area '{key}'", Diagnostics.Suggest.DidYouMean(key, ServiceAreas.All.Select(a => a.Area)));
        }

        return area;
    }

    private static Generator? CreateServiceArea(GeneratorContext ctx)
    {
        var area = Area(ctx);
        var field = ctx.RequireString("field");
        if (area is null)
        {
            return null;
        }

        Value? value = field switch
        {
            "city" => Value.FromText(area.City),
            "region" => Value.FromText(area.Region),
            "zip3" => Value.FromText(area.Zip3),
            "area_code" => Value.FromText(area.AreaCode),
            "lat" => Value.FromFloat(area.Lat),
            "lon" => Value.FromFloat(area.Lon),
            _ => null,
        };
        if (value is not { } v)
        {
            ctx.Error("field", $"unknown service area field '{field}'", "use city, region, zip3, area_code, lat or lon");
            return null;
        }

        return new FnGenerator(v.Type, (_, _) => v);
    }

    private static Generator? CreateAreaPhone(GeneratorContext ctx)
    {
        var area = Area(ctx);
        if (area is null)
        {
            return null;
        }

        var code = area.AreaCode;
        return new FnGenerator(DataType.String, (f, _) =>
        {
            // Phone.WriteUsFictional gives "(AAA) 555-01NN" in a random area code; put the city's own in.
            var dest = f.Arena.Rent(Phone.UsLength);
            var n = Phone.WriteUsFictional(ref f.Rng, dest);
            code.AsSpan().CopyTo(dest[1..]);
            return Value.FromText(f.Arena.Commit(n));
        }, [new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, [@"^\(" + code + @"\) 555-01\d\d$"], "area_phone")]);
    }

    /// <summary>Reads the lookup rows of a generator's <c>file</c> option, reporting a bad file on the option.</summary>
    private static IReadOnlyList<IncidentLookup>? Lookups(GeneratorContext ctx, out string kind)
    {
        kind = ctx.RequireString("kind");
        IReadOnlyList<IncidentLookup> rows;
        try
        {
            var file = ctx.String("file");
            rows = IncidentLookups.Load(string.IsNullOrWhiteSpace(file) ? null : ctx.ResolvePath(file));
        }
        catch (DoppelException e)
        {
            ctx.Error("file", e.Message, "the lookups file needs the header kind,code,label[,weight]");
            return null;
        }

        if (!IncidentLookups.Kinds.Contains(kind))
        {
            ctx.Error("kind", $"unknown lookup kind '{kind}'", Diagnostics.Suggest.DidYouMean(kind, IncidentLookups.Kinds));
            return null;
        }

        return rows;
    }

    private sealed class LookupCodeGenerator(Value[] codes, WeightedSampler sampler) : Generator
    {
        public override DataType Type => DataType.String;

        public static Generator? Create(GeneratorContext ctx)
        {
            var rows = Lookups(ctx, out var kind);
            if (rows is null)
            {
                return null;
            }

            var ofKind = rows.Where(r => r.Kind == kind).ToList();
            return new LookupCodeGenerator([.. ofKind.Select(r => Value.FromText(r.Code))], new WeightedSampler([.. ofKind.Select(r => r.Weight)]));
        }

        public override Value Generate(EvalFrame frame) => codes[sampler.Sample(ref frame.Rng)];

        public override IEnumerable<ContractRule> ImpliedContracts => [new ContractRule(string.Empty, string.Empty, ContractKind.Values, [.. codes.Select(c => c.ToString())], "lookup_code")];
    }

    private sealed class LookupLabelGenerator(Evaluator code, Dictionary<string, string> labels) : Generator
    {
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan = labels.GetAlternateLookup<ReadOnlySpan<char>>();

        public override DataType Type => DataType.String;

        public static Generator? Create(GeneratorContext ctx)
        {
            var rows = Lookups(ctx, out var kind);
            var code = ctx.Expression("code");
            if (code is null)
            {
                ctx.Error("code", "lookup_label needs 'code': the expression giving the code", "e.g. code: type_code");
                return null;
            }

            return rows is null ? null : new LookupLabelGenerator(code.Evaluate, rows.Where(r => r.Kind == kind).ToDictionary(r => r.Code, r => r.Label, StringComparer.Ordinal));
        }

        public override Value Generate(EvalFrame frame)
        {
            var c = code(frame);
            if (c.IsNull)
            {
                return Value.Null(DataType.String);
            }

            // A code outside the table (a user's expression) keeps its own text as the label.
            return _bySpan.TryGetValue(c.Text.Span, out var label) ? Value.FromText(label) : c.WithType(DataType.String);
        }
    }

    private sealed class PointNearGenerator(Evaluator lat, Evaluator lon, Evaluator radius, bool wantLat, ulong pointSeed) : Generator
    {
        public override DataType Type => DataType.Float;

        public static Generator? Create(GeneratorContext ctx)
        {
            var lat = ctx.Expression("lat");
            var lon = ctx.Expression("lon");
            var radius = ctx.Expression("radius_m");
            var part = ctx.RequireString("part");
            if (lat is null || lon is null || radius is null)
            {
                ctx.Error("lat", "point_near needs 'lat', 'lon' and 'radius_m' expressions", "e.g. { gen: point_near, lat: station.location_lat, lon: station.location_lng, radius_m: 5000, part: lat }");
                return null;
            }

            if (part is not ("lat" or "lon"))
            {
                ctx.Error("part", $"unknown part '{part}'", "use lat or lon");
                return null;
            }

            foreach (var (e, name) in new[] { (lat, "lat"), (lon, "lon"), (radius, "radius_m") })
            {
                if (e.Type is not (DataType.Float or DataType.Int))
                {
                    ctx.Error(name, $"'{name}' must be a number, not {e.Type.Name()}");
                    return null;
                }
            }

            // The lat and lon columns of one point draw from one stream, named by the point and not by the
            // column, so both compute the same point.
            var seed = SeedTree.Combine(ctx.Column.Table.Seed, "point_near:" + (ctx.String("point") ?? "location"));
            return new PointNearGenerator(lat.Evaluate, lon.Evaluate, radius.Evaluate, part == "lat", seed);
        }

        public override Value Generate(EvalFrame frame)
        {
            var (cLat, cLon, r) = (lat(frame), lon(frame), radius(frame));
            if (cLat.IsNull || cLon.IsNull || r.IsNull)
            {
                return Value.Null(DataType.Float);
            }

            var rng = SeedTree.Cell(pointSeed, frame.Row);
            var (pLat, pLon) = Geo.RandomPointWithin(ref rng, cLat.AsDouble, cLon.AsDouble, r.AsDouble);

            // Rounded as WKT prints them (§7.3), so location_wkt parses back to exactly these numbers.
            return Value.FromFloat(Math.Round(wantLat ? pLat : pLon, Geo.WktDecimals, MidpointRounding.AwayFromZero));
        }

        public override (double Min, double Max)? Range => wantLat ? (-90, 90) : (-180, 180);

        public override IEnumerable<ContractRule> ImpliedContracts =>
        [
            new ContractRule(string.Empty, string.Empty, ContractKind.Min, [wantLat ? "-90" : "-180"], "point_near"),
            new ContractRule(string.Empty, string.Empty, ContractKind.Max, [wantLat ? "90" : "180"], "point_near"),
        ];
    }

    private sealed class IncidentTextGenerator(string[] fixedSet, Evaluator? type) : Generator
    {
        private static readonly Dictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> ByType = IncidentTexts.NarrativeByType.GetAlternateLookup<ReadOnlySpan<char>>();

        public override DataType Type => DataType.String;

        public static Generator? Create(GeneratorContext ctx)
        {
            var text = ctx.RequireString("text");
            switch (text)
            {
                case "narrative":
                    var type = ctx.Expression("for_type");
                    if (type is null)
                    {
                        ctx.Error("for_type", "a narrative needs 'for_type': the incident type code expression", "e.g. for_type: type_code");
                        return null;
                    }

                    return new IncidentTextGenerator(IncidentTexts.GenericNarrative, type.Evaluate);
                case "note":
                    return new IncidentTextGenerator(IncidentTexts.Notes, null);
                case "asset_note":
                    return new IncidentTextGenerator(IncidentTexts.AssetNotes, null);
                default:
                    ctx.Error("text", $"unknown text '{text}'", "use narrative, note or asset_note");
                    return null;
            }
        }

        public override Value Generate(EvalFrame frame)
        {
            var set = fixedSet;
            if (type is not null && type(frame) is { IsNull: false } code && ByType.TryGetValue(code.Text.Span, out var byType))
            {
                set = byType;
            }

            var dest = frame.Arena.Rent(IncidentTexts.MaxLength);
            var n = Text.WriteSentence(ref frame.Rng, set, dest);
            return Value.FromText(frame.Arena.Commit(n));
        }
    }
}
