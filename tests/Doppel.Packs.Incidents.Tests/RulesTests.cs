using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Doppel.Domain;
using static Doppel.Packs.Incidents.Tests.TestSupport;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>One large seeded run (20,000 incidents), generated once for all rule checks.</summary>
public sealed class LargeRun : IDisposable
{
    public const int Incidents = 20_000;
    public const int Stations = 40;

    public LargeRun()
    {
        Dir = Generate("--incident-count", Incidents.ToString(CultureInfo.InvariantCulture), "--station-count", Stations.ToString(CultureInfo.InvariantCulture), "--seed", "11", "--threads", "2");
        foreach (var t in SeedColumns.Keys)
        {
            Tables[t] = ReadCsv(Path.Combine(Dir, t + ".csv"));
        }

        var i = Tables["incidents"];
        ByNumber = Enumerable.Range(0, i.Count).ToDictionary(r => i[r, "incident_number"]!, r => r, StringComparer.Ordinal);
        var s = Tables["stations"];
        StationRow = Enumerable.Range(0, s.Count).ToDictionary(r => s[r, "station_code"]!, r => r, StringComparer.Ordinal);
    }

    public string Dir { get; }

    public Dictionary<string, Table> Tables { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> ByNumber { get; }

    public Dictionary<string, int> StationRow { get; }

    public void Dispose() => Directory.Delete(Dir, true);
}

/// <summary>Every rule of the pack, checked on every row of a 20,000-incident run.</summary>
public sealed class RulesTests(LargeRun run) : IClassFixture<LargeRun>
{
    private static readonly string[] InProgress = ["REPORTED", "DISPATCHED", "ON_SCENE"];

    private Table Incidents => run.Tables["incidents"];

    private Table Stations => run.Tables["stations"];

    private Table Units => run.Tables["incident_units"];

    [Fact]
    public void Five_tables_have_exactly_the_seed_columns_in_the_seed_order()
    {
        foreach (var (table, columns) in SeedColumns)
        {
            run.Tables[table].Header.Should().Equal(columns, $"{table}.csv must keep the seed's layout");
        }

        Stations.Count.Should().Be(LargeRun.Stations);
        Incidents.Count.Should().Be(LargeRun.Incidents);
        Directory.GetFiles(run.Dir).Select(Path.GetFileName).Should().BeEquivalentTo(
            ["stations.csv", "incidents.csv", "incident_units.csv", "incident_assets.csv", "incident_notes.csv", "manifest.json"]);
    }

    [Fact]
    public void Codes_come_from_the_lookup_table_with_roughly_their_weights()
    {
        var lookups = IncidentLookups.BuiltIn;
        foreach (var (column, kind) in new[] { ("type_code", "type"), ("severity_code", "severity"), ("status_code", "status"), ("source_code", "source"), ("weather_condition_code", "weather") })
        {
            var codes = lookups.Where(l => l.Kind == kind).ToDictionary(l => l.Code, l => l.Weight);
            var values = Incidents.Column(column).Where(v => v is not null).ToList();
            values.Should().OnlyContain(v => codes.ContainsKey(v!), $"{column} must be a {kind} code");
            var total = codes.Values.Sum();
            foreach (var (code, weight) in codes)
            {
                var share = values.Count(v => v == code) / (double)values.Count;
                share.Should().BeApproximately(weight / total, 0.015, $"{column} {code} is drawn by its weight");
            }
        }

        Incidents.Column("type_code").Should().NotContainNulls();
        Incidents.Column("status_code").Should().NotContainNulls();
    }

    [Fact]
    public void Station_codes_of_incidents_and_units_reference_real_stations()
    {
        Stations.Column("station_code").Should().OnlyHaveUniqueItems();
        Incidents.Column("primary_station_code").Should().OnlyContain(c => run.StationRow.ContainsKey(c!));
        Units.Column("station_code").Should().OnlyContain(c => run.StationRow.ContainsKey(c!));
        Incidents.Column("primary_station_code").Distinct().Should().HaveCount(LargeRun.Stations, "20,000 incidents reach every station");
        foreach (var t in new[] { "incident_units", "incident_assets", "incident_notes" })
        {
            run.Tables[t].Column("incident_number").Should().OnlyContain(n => run.ByNumber.ContainsKey(n!), $"{t} rows belong to incidents");
        }

        Incidents.Column("incident_number").Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Timestamps_are_ordered_and_stages_not_reached_are_empty()
    {
        var start = Ts(Start);
        var windowStart = start.AddDays(-90);
        for (var r = 0; r < Incidents.Count; r++)
        {
            var status = Incidents[r, "status_code"]!;
            var stages = new[] { "occurrence_at", "reported_at", "dispatch_at", "arrival_at", "resolved_at" }.Select(c => Incidents[r, c]).ToArray();
            stages[0].Should().NotBeNull();
            stages[1].Should().NotBeNull();
            (stages[2] is null).Should().Be(status == "REPORTED", $"dispatch_at of {status}");
            (stages[3] is null).Should().Be(status is "REPORTED" or "DISPATCHED", $"arrival_at of {status}");
            (stages[4] is null).Should().Be(InProgress.Contains(status), $"resolved_at of {status}");
            var present = stages.Where(s => s is not null).Select(Ts).ToList();
            present.Should().BeInAscendingOrder($"incident {Incidents[r, "incident_number"]} keeps occurrence ≤ reported ≤ dispatch ≤ arrival ≤ resolved");
            Ts(stages[0]).Should().BeOnOrAfter(windowStart).And.BeOnOrBefore(start);
            (Incidents[r, "is_active"] == "true").Should().Be(status is not ("RESOLVED" or "CLOSED"));
        }
    }

    [Fact]
    public void Units_match_their_incident_in_count_station_and_time()
    {
        var unitsOf = Enumerable.Range(0, Units.Count).GroupBy(u => Units[u, "incident_number"]!).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        for (var r = 0; r < Incidents.Count; r++)
        {
            var number = Incidents[r, "incident_number"]!;
            var status = Incidents[r, "status_code"]!;
            var units = unitsOf.GetValueOrDefault(number) ?? [];
            if (status == "REPORTED")
            {
                units.Should().BeEmpty("nothing is dispatched to an incident that is only reported");
                continue;
            }

            units.Count.Should().BeInRange(1, 3, "units_min 1 and units_max 3 by default");
            var dispatch = Ts(Incidents[r, "dispatch_at"]);
            var arrival = Incidents[r, "arrival_at"] is { } a ? Ts(a) : (DateTime?)null;
            var resolved = Incidents[r, "resolved_at"] is { } z ? Ts(z) : (DateTime?)null;
            Units[units[0], "station_code"].Should().Be(Incidents[r, "primary_station_code"], "the first unit is the primary station's");
            Units[units[0], "assignment_role"].Should().Be("PRIMARY");
            Ts(Units[units[0], "dispatched_at"]).Should().Be(dispatch);
            var times = units.Select(u => Ts(Units[u, "dispatched_at"])).ToList();
            times.Should().OnlyHaveUniqueItems().And.BeInAscendingOrder();
            foreach (var u in units)
            {
                var dispatched = Ts(Units[u, "dispatched_at"]);
                dispatched.Should().BeOnOrAfter(dispatch);
                if (arrival is { } arr)
                {
                    dispatched.Should().BeBefore(arr, "units are dispatched before the incident's arrival");
                }

                var cleared = Units[u, "cleared_at"];
                (cleared is null).Should().Be(resolved is null, "units clear once the incident is resolved");
                if (cleared is not null)
                {
                    Ts(cleared).Should().BeOnOrAfter(dispatched).And.BeOnOrAfter(arrival!.Value).And.BeOnOrBefore(resolved!.Value);
                }
            }
        }
    }

    [Fact]
    public void Child_rows_have_unique_natural_keys_for_the_loader()
    {
        Units.Rows.Select(u => (u[0], u[1], u[2], u[3])).Should().OnlyHaveUniqueItems("(incident, station, role, dispatched_at) is the loader's key");
        run.Tables["incident_assets"].Rows.Select(a => (a[0], a[1])).Should().OnlyHaveUniqueItems("(incident, asset_identifier) is the loader's key");
        run.Tables["incident_notes"].Rows.Select(n => (n[0], n[3], n[1])).Should().OnlyHaveUniqueItems("(incident, created_at, author) is the loader's key");
    }

    [Fact]
    public void Notes_fall_between_the_report_and_the_last_stage_reached()
    {
        var notes = run.Tables["incident_notes"];
        for (var n = 0; n < notes.Count; n++)
        {
            var r = run.ByNumber[notes[n, "incident_number"]!];
            var reported = Ts(Incidents[r, "reported_at"]);
            var last = new[] { "resolved_at", "arrival_at", "dispatch_at" }.Select(c => Incidents[r, c]).FirstOrDefault(v => v is not null) is { } l ? Ts(l) : reported;
            var end = last > reported.AddMinutes(10) ? last : reported.AddMinutes(10);
            Ts(notes[n, "created_at"]).Should().BeOnOrAfter(reported).And.BeOnOrBefore(end);
            notes[n, "author"].Should().MatchRegex("^(Dispatcher|Captain|Lieutenant|Firefighter|Paramedic|Battalion Chief) [A-Z][A-Za-z' -]+$");
            notes[n, "note"].Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public void Optional_tables_follow_their_probabilities()
    {
        var withAssets = run.Tables["incident_assets"].Column("incident_number").Distinct().Count() / (double)Incidents.Count;
        var withNotes = run.Tables["incident_notes"].Column("incident_number").Distinct().Count() / (double)Incidents.Count;
        withAssets.Should().BeApproximately(0.35, 0.015);
        withNotes.Should().BeApproximately(0.55, 0.015);
        run.Tables["incident_assets"].Count.Should().BeInRange((int)(Incidents.Count * 0.35 * 1.9), (int)(Incidents.Count * 0.35 * 2.1), "1 to 3 assets, 2 on average");
    }

    [Fact]
    public void Incidents_lie_within_their_station_coverage_radius()
    {
        for (var r = 0; r < Incidents.Count; r++)
        {
            var s = run.StationRow[Incidents[r, "primary_station_code"]!];
            var distance = Geo.HaversineMeters(D(Stations[s, "location_lat"]), D(Stations[s, "location_lng"]), D(Incidents[r, "location_lat"]), D(Incidents[r, "location_lng"]));
            distance.Should().BeLessThanOrEqualTo(L(Stations[s, "coverage_radius_meters"]) + 0.05, "rounding to 7 decimals moves a point by at most ~1 cm");
            Incidents[r, "city"].Should().Be(Stations[s, "city"]);
            Incidents[r, "postal_code"].Should().MatchRegex("^802[0-9]{2}$", "Denver ZIP codes start 802");
        }
    }

    [Theory]
    [InlineData("stations")]
    [InlineData("incidents")]
    public void Wkt_is_point_lon_lat_of_the_same_numbers(string table)
    {
        var t = run.Tables[table];
        var wkt = new Regex(@"^POINT\((-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)\)$", RegexOptions.None, TimeSpan.FromSeconds(1));
        for (var r = 0; r < t.Count; r++)
        {
            var m = wkt.Match(t[r, "location_wkt"]!);
            m.Success.Should().BeTrue(t[r, "location_wkt"]);
            D(m.Groups[1].Value).Should().Be(D(t[r, "location_lng"]), "WKT x is the longitude (domain reference §7.3)");
            D(m.Groups[2].Value).Should().Be(D(t[r, "location_lat"]), "WKT y is the latitude");
        }
    }

    [Fact]
    public void Geohashes_have_the_precision_and_their_cell_contains_the_point()
    {
        for (var r = 0; r < Incidents.Count; r++)
        {
            var hash = Incidents[r, "location_geohash"]!;
            hash.Should().HaveLength(8).And.MatchRegex("^[0-9b-hjkmnp-z]+$");
            var (minLat, maxLat, minLon, maxLon) = Geo.DecodeGeohash(hash);
            var (lat, lon) = (D(Incidents[r, "location_lat"]), D(Incidents[r, "location_lng"]));
            lat.Should().BeInRange(minLat, maxLat);
            lon.Should().BeInRange(minLon, maxLon);
        }
    }

    [Fact]
    public void Contact_and_free_text_are_plausible_and_synthetic()
    {
        Stations.Column("phone").Should().OnlyContain(p => Regex.IsMatch(p!, @"^\(303\) 555-01\d\d$", RegexOptions.None, TimeSpan.FromSeconds(1)), "fictional 555-01xx numbers in Denver's area code");
        Stations.Column("address_line_1").Concat(Incidents.Column("address_line_1")).Should().OnlyContain(a => Regex.IsMatch(a!, @"^\d+ [0-9A-Z][0-9A-Za-z ]+$", RegexOptions.None, TimeSpan.FromSeconds(1)));
        Incidents.Column("narrative").Should().OnlyContain(n => n!.Length > 30 && n.EndsWith('.'));
        for (var r = 0; r < Incidents.Count; r++)
        {
            Incidents[r, "title"].Should().EndWith(" at " + Incidents[r, "address_line_1"]);
            using var json = JsonDocument.Parse(Incidents[r, "metadata"]!);
            json.RootElement.GetProperty("synthetic").GetBoolean().Should().BeTrue();
            json.RootElement.GetProperty("callback_phone").GetString().Should().MatchRegex(@"^\(303\) 555-01\d\d$");
        }

        Incidents.Column("narrative").Distinct().Count().Should().BeGreaterThan(1500, "templates give varied narratives");
    }

    [Fact]
    public void Stations_are_consistent()
    {
        for (var s = 0; s < Stations.Count; s++)
        {
            var active = Stations[s, "is_active"] == "true";
            (Stations[s, "decommissioned_on"] is null).Should().Be(active);
            if (!active)
            {
                DateOnly.Parse(Stations[s, "decommissioned_on"]!, CultureInfo.InvariantCulture).Should().BeOnOrAfter(DateOnly.Parse(Stations[s, "commissioned_on"]!, CultureInfo.InvariantCulture));
            }

            Ts(Stations[s, "updated_at"]).Should().BeOnOrAfter(Ts(Stations[s, "created_at"])).And.BeOnOrBefore(Ts(Start));
            L(Stations[s, "coverage_radius_meters"]).Should().BeInRange(2000, 8000);
            Geo.HaversineMeters(39.7392, -104.9903, D(Stations[s, "location_lat"]), D(Stations[s, "location_lng"])).Should().BeLessThan(12_001, "stations lie within 12 km of the Denver centre");
        }
    }

    [Fact]
    public void Manifest_records_every_param_including_the_start()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Dir, "manifest.json")));
        var p = manifest.RootElement.GetProperty("params");
        p.GetProperty("start_datetime").GetString().Should().Be(Start);
        p.GetProperty("incident_count").GetString().Should().Be("20000");
        manifest.RootElement.GetProperty("seed").GetUInt64().Should().Be(11);
    }
}
