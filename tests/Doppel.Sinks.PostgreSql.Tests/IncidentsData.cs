using System.Globalization;
using System.Text;
using Doppel.Data;
using Doppel.Sinks.PostgreSql.Incidents;

namespace Doppel.Sinks.PostgreSql.Tests;

/// <summary>
/// Deterministic synthetic fire/EMS rows in the layout of <see cref="IncidentsLoadPlan.StagingSchemas"/>
/// (the source data set's files). Every value is a pure function of the seed and the row index, so two
/// enumerations produce identical batches; batches are reused between yields, like the engine's.
/// </summary>
internal sealed class IncidentsData
{
    private static readonly string[] Types = ["STRUCTURE_FIRE", "VEHICLE_FIRE", "WILDLAND_FIRE", "MEDICAL_EMERGENCY", "TRAFFIC_COLLISION", "HAZMAT", "RESCUE", "ALARM_ACTIVATION", "SERVICE_CALL"];
    private static readonly string[] Severities = ["LOW", "MODERATE", "HIGH", "CRITICAL"];
    private static readonly string[] Statuses = ["REPORTED", "DISPATCHED", "ON_SCENE", "CONTAINED", "RESOLVED", "CLOSED"];
    private static readonly string[] Sources = ["PHONE_911", "TEXT_911", "ALARM_SYSTEM", "FIELD_UNIT", "MUTUAL_AID"];
    private static readonly string[] Weather = ["CLEAR", "RAIN", "SNOW", "FOG", "WIND", "HEAT"];
    private static readonly string[] Cities = ["Denver", "Aurora", "Lakewood", "Arvada", "Englewood", "Zürich-on-Platte"];
    private static readonly string[] Authors = ["Capt. Ortega", "Lt. Nakamura", "FF Okafor", "Medic Søndergaard", "BC Ó Súilleabháin"];
    private static readonly string[] AssetTypes = ["ENGINE", "LADDER", "AMBULANCE", "BRUSH", "HAZMAT_UNIT"];
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public IncidentsData(int stations, int incidents, ulong seed = 42)
    {
        StationCount = stations;
        IncidentCount = incidents;
        Seed = seed;
    }

    public int StationCount { get; }

    public int IncidentCount { get; }

    public ulong Seed { get; }

    /// <summary>When set, replaces incidents.type_code for the given incident index (to inject a bad code).</summary>
    public Func<long, string?>? TypeCodeOverride { get; init; }

    /// <summary>When set, replaces incident_units.station_code for the given incident index.</summary>
    public Func<long, string?>? UnitStationOverride { get; init; }

    /// <summary>When set, makes the given incident's reported_at precede its occurrence_at (a chronology violation).</summary>
    public Func<long, bool>? BreakChronology { get; init; }

    /// <summary>When true, writes incident WKT as POINT(lat lng): the axis-order bug the loader must reject.</summary>
    public bool SwapAxes { get; init; }

    public static IReadOnlyList<TableSchema> Schemas => IncidentsLoadPlan.StagingSchemas;

    public static TableSchema Schema(string table) => Schemas.First(s => s.Name == table);

    public static string StationCode(long i) => string.Create(CultureInfo.InvariantCulture, $"ST-{i + 1:D3}");

    public static string IncidentNumber(long i) => string.Create(CultureInfo.InvariantCulture, $"INC-{i + 1:D8}");

    public int UnitsOf(long i) => 1 + (int)(H(i, 11) % 3);

    public int AssetsOf(long i) => H(i, 12) % 100 < 35 ? 1 + (int)(H(i, 13) % 2) : 0;

    public int NotesOf(long i) => H(i, 14) % 100 < 55 ? 1 + (int)(H(i, 15) % 2) : 0;

    public long Expected(string table) => table switch
    {
        "stations" => StationCount,
        "incidents" => IncidentCount,
        "incident_units" => Sum(UnitsOf),
        "incident_assets" => Sum(AssetsOf),
        "incident_notes" => Sum(NotesOf),
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    /// <summary>Every table's batches in dependency order.</summary>
    public IEnumerable<RowBatch> All(int capacity) =>
        Stations(capacity).Concat(Incidents(capacity)).Concat(Units(capacity)).Concat(Assets(capacity)).Concat(Notes(capacity));

    public IEnumerable<RowBatch> Stations(int capacity) => Batches("stations", capacity, StationCount, static _ => 1, (c, n, i, _) =>
    {
        var (lat, lng) = Point(i, 100);
        Str(c[0], n, StationCode(i));
        Str(c[1], n, string.Create(CultureInfo.InvariantCulture, $"Station {i + 1}"));
        Str(c[2], n, string.Create(CultureInfo.InvariantCulture, $"Battalion {(i % 4) + 1}"));
        Str(c[3], n, string.Create(CultureInfo.InvariantCulture, $"{100 + (H(i, 101) % 9000)} Main St"));
        Str(c[4], n, i % 3 == 0 ? "Suite 2" : null);
        Str(c[5], n, Cities[i % Cities.Length]);
        Str(c[6], n, "CO");
        Str(c[7], n, string.Create(CultureInfo.InvariantCulture, $"80{200 + (i % 90):D3}"));
        Str(c[8], n, string.Create(CultureInfo.InvariantCulture, $"+1-303-555-{H(i, 102) % 10000:D4}"));
        c[9].Int64[n] = i % 10 == 9 ? 0 : 1;
        c[10].Int64[n] = DataTypes.ToDays(new DateOnly(1960, 1, 1).AddDays((int)(H(i, 103) % 20000)));
        Null(c[11], n, i % 10 != 9);
        if (i % 10 == 9)
        {
            c[11].Int64[n] = c[10].Int64[n] + 3650;
        }

        Str(c[12], n, string.Create(CultureInfo.InvariantCulture, $"RZ-{i % 7}"));
        c[13].Float64[n] = lat;
        c[14].Float64[n] = lng;
        Str(c[15], n, Wkt(lat, lng));
        c[16].Int64[n] = 2000 + (long)(H(i, 104) % 6000);
        c[17].Int64[n] = DataTypes.ToMicros(Start.AddDays(-365));
        c[18].Int64[n] = DataTypes.ToMicros(Start.AddDays(-30));
    });

    public IEnumerable<RowBatch> Incidents(int capacity) => Batches("incidents", capacity, IncidentCount, static _ => 1, (c, n, i, _) =>
    {
        var t = Times(i);
        var (lat, lng) = Point(i, 200);
        var type = TypeCodeOverride?.Invoke(i) ?? Types[H(i, 1) % (ulong)Types.Length];
        Str(c[0], n, IncidentNumber(i));
        Str(c[1], n, H(i, 2) % 4 == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"CAD-{H(i, 3) % 1_000_000_000:D9}"));
        Str(c[2], n, string.Create(CultureInfo.InvariantCulture, $"{type.Replace('_', ' ')} at {Cities[i % Cities.Length]}"));
        Str(c[3], n, i % 5 == 0 ? "Caller reports smoke — «two floors», café on the corner 🔥; \"quoted\", tab\there\nnew line" : "Units responded.");
        Str(c[4], n, type);
        Str(c[5], n, Severities[H(i, 4) % (ulong)Severities.Length]);
        Str(c[6], n, Statuses[t.Status]);
        Str(c[7], n, Sources[H(i, 5) % (ulong)Sources.Length]);
        Str(c[8], n, H(i, 6) % 10 == 0 ? null : Weather[H(i, 7) % (ulong)Weather.Length]);
        Str(c[9], n, StationCode((long)(H(i, 8) % (ulong)StationCount)));
        Ts(c[10], n, t.Occurrence);
        Ts(c[11], n, BreakChronology?.Invoke(i) == true ? t.Occurrence.AddHours(-1) : t.Reported);
        Ts(c[12], n, t.Dispatch);
        Ts(c[13], n, t.Arrival);
        Ts(c[14], n, t.Resolved);
        c[15].Float64[n] = lat;
        c[16].Float64[n] = lng;
        Str(c[17], n, SwapAxes ? Wkt(lng, lat) : Wkt(lat, lng));
        Str(c[18], n, Geohash.Encode(lat, lng, 8));
        Str(c[19], n, string.Create(CultureInfo.InvariantCulture, $"{H(i, 9) % 9000} Colfax Ave"));
        Str(c[20], n, null);
        Str(c[21], n, Cities[(i / 3) % Cities.Length]);
        Str(c[22], n, "CO");
        Str(c[23], n, string.Create(CultureInfo.InvariantCulture, $"80{H(i, 10) % 300:D3}"));
        c[24].Int64[n] = (long)(H(i, 16) % 4);
        c[25].Int64[n] = (long)(H(i, 17) % 2);
        if (H(i, 18) % 3 == 0)
        {
            c[26].Nulls[n] = true;
        }
        else
        {
            c[26].Float64[n] = (H(i, 19) % 50_000_000) / 100.0;
        }

        c[27].Int64[n] = t.Status <= 2 ? 1 : 0;
        Str(c[28], n, string.Create(CultureInfo.InvariantCulture, $$"""{"priority": {{H(i, 20) % 5}}, "units": {{UnitsOf(i)}}, "tags": ["synthetic", "ünïcode"]}"""));
    });

    public IEnumerable<RowBatch> Units(int capacity) => Batches("incident_units", capacity, IncidentCount, UnitsOf, (c, n, i, k) =>
    {
        var t = Times(i);
        var dispatched = (t.Dispatch ?? t.Reported!.Value).AddMinutes(k);
        Str(c[0], n, IncidentNumber(i));
        Str(c[1], n, UnitStationOverride?.Invoke(i) ?? StationCode(((long)(H(i, 8) % (ulong)StationCount) + (k * 7)) % StationCount));
        Str(c[2], n, k == 0 ? "PRIMARY" : "SUPPORT");
        Ts(c[3], n, dispatched);
        Ts(c[4], n, t.Status >= 3 ? dispatched.AddMinutes(45 + (k * 5)) : null);
    });

    public IEnumerable<RowBatch> Assets(int capacity) => Batches("incident_assets", capacity, IncidentCount, AssetsOf, (c, n, i, k) =>
    {
        Str(c[0], n, IncidentNumber(i));
        Str(c[1], n, string.Create(CultureInfo.InvariantCulture, $"{AssetTypes[(H(i, 30) + (ulong)k) % (ulong)AssetTypes.Length]}-{H(i, 31) % 90 + 10}-{k}"));
        Str(c[2], n, AssetTypes[(H(i, 30) + (ulong)k) % (ulong)AssetTypes.Length]);
        Str(c[3], n, Times(i).Status >= 3 ? "RETURNED" : "DEPLOYED");
        Str(c[4], n, k == 1 ? "Second-due apparatus" : null);
    });

    public IEnumerable<RowBatch> Notes(int capacity) => Batches("incident_notes", capacity, IncidentCount, NotesOf, (c, n, i, k) =>
    {
        Str(c[0], n, IncidentNumber(i));
        Str(c[1], n, Authors[(H(i, 40) + (ulong)k) % (ulong)Authors.Length]);
        Str(c[2], n, k == 0 ? "Size-up complete; requesting additional resources." : "Patient care handed over — all clear ✔");
        Ts(c[3], n, Times(i).Reported!.Value.AddMinutes(2 * (k + 1)));
    });

    /// <summary>
    /// The rows of <paramref name="table"/> in batches of <paramref name="capacity"/>: <paramref name="count"/>(i) rows
    /// for each of the <paramref name="sources"/> stations or incidents i, the k-th written by fill(columns, row, i, k).
    /// </summary>
    private static IEnumerable<RowBatch> Batches(string table, int capacity, long sources, Func<long, int> count, Action<ColumnBuffer[], int, long, int> fill)
    {
        var batch = new RowBatch(Schema(table), capacity);
        var n = 0;
        long rowIndex = 0;
        batch.Reset(0);
        for (long i = 0; i < sources; i++)
        {
            var children = count(i);
            for (var k = 0; k < children; k++)
            {
                fill(batch.Columns, n, i, k);
                rowIndex++;
                if (++n == capacity)
                {
                    batch.Count = n;
                    yield return batch;
                    batch.Reset(rowIndex);
                    n = 0;
                }
            }
        }

        if (n > 0)
        {
            batch.Count = n;
            yield return batch;
        }
    }

    private long Sum(Func<long, int> perIncident)
    {
        long total = 0;
        for (long i = 0; i < IncidentCount; i++)
        {
            total += perIncident(i);
        }

        return total;
    }

    private readonly record struct Timeline(int Status, DateTime Occurrence, DateTime? Reported, DateTime? Dispatch, DateTime? Arrival, DateTime? Resolved);

    /// <summary>Chronology of the source data set: occurrence ≤ reported ≤ dispatch ≤ arrival ≤ resolved; later stages absent while in progress.</summary>
    private Timeline Times(long i)
    {
        var status = (int)(H(i, 50) % (ulong)Statuses.Length);
        var occurrence = Start.AddSeconds(i * 53).AddTicks((long)(H(i, 51) % 1_000_000) * 10); // exercises µs precision
        var reported = occurrence.AddSeconds(30 + (H(i, 52) % 270));
        DateTime? dispatch = status >= 1 ? reported.AddSeconds(30 + (H(i, 53) % 210)) : null;
        DateTime? arrival = status >= 2 ? dispatch!.Value.AddSeconds(120 + (H(i, 54) % 780)) : null;
        DateTime? resolved = status >= 3 ? arrival!.Value.AddSeconds(600 + (H(i, 55) % 6600)) : null;
        return new Timeline(status, occurrence, reported, dispatch, arrival, resolved);
    }

    /// <summary>A point in the Denver area, rounded to 6 decimals (about 0.1 m).</summary>
    private (double Lat, double Lng) Point(long i, ulong salt)
    {
        var lat = Math.Round(39.60 + ((H(i, salt) % 1_000_000) / 1_000_000.0 * 0.30), 6);
        var lng = Math.Round(-105.10 + ((H(i, salt + 1) % 1_000_000) / 1_000_000.0 * 0.35), 6);
        return (lat, lng);
    }

    /// <summary>WKT is x y = longitude latitude (domain-reference §7.3), formatted round-trip and culture-free.</summary>
    public static string Wkt(double lat, double lng) =>
        "POINT(" + lng.ToString("R", CultureInfo.InvariantCulture) + " " + lat.ToString("R", CultureInfo.InvariantCulture) + ")";

    private ulong H(long index, ulong salt)
    {
        var z = Seed ^ (salt * 0x9E3779B97F4A7C15UL) ^ ((ulong)index * 0xD1B54A32D192ED03UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static void Str(ColumnBuffer c, int row, string? value)
    {
        if (value is null)
        {
            c.Nulls[row] = true;
        }
        else
        {
            c.Utf8.Set(row, value);
        }
    }

    private static void Ts(ColumnBuffer c, int row, DateTime? value)
    {
        if (value is null)
        {
            c.Nulls[row] = true;
        }
        else
        {
            c.Int64[row] = DataTypes.ToMicros(value.Value);
        }
    }

    private static void Null(ColumnBuffer c, int row, bool isNull) => c.Nulls[row] = isNull;

    /// <summary>Writes batches as PostgreSQL-readable CSV (header, ISO timestamps, t/f), for the psql \copy baseline.</summary>
    public static void WriteCsv(TextWriter w, TableSchema schema, IEnumerable<RowBatch> batches)
    {
        w.Write(string.Join(',', schema.Columns.Select(c => c.Name)));
        w.Write('\n');
        foreach (var b in batches)
        {
            for (var r = 0; r < b.Count; r++)
            {
                for (var c = 0; c < b.Columns.Length; c++)
                {
                    if (c > 0)
                    {
                        w.Write(',');
                    }

                    var col = b.Columns[c];
                    if (col.Nulls[r])
                    {
                        continue;
                    }

                    switch (col.Type)
                    {
                        case DataType.String or DataType.Json:
                            w.Write('"');
                            w.Write(col.GetString(r).Replace("\"", "\"\"", StringComparison.Ordinal));
                            w.Write('"');
                            break;
                        case DataType.Int:
                            w.Write(col.Int64[r].ToString(CultureInfo.InvariantCulture));
                            break;
                        case DataType.Float:
                            w.Write(col.Float64[r].ToString("R", CultureInfo.InvariantCulture));
                            break;
                        case DataType.Bool:
                            w.Write(col.Int64[r] != 0 ? 't' : 'f');
                            break;
                        case DataType.Date:
                            w.Write(DataTypes.FromDays(col.Int64[r]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                            break;
                        case DataType.Timestamp:
                            w.Write(DataTypes.FromMicros(col.Int64[r]).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
                            break;
                    }
                }

                w.Write('\n');
            }
        }
    }
}

/// <summary>Geohash encoder (domain-reference §7.1): longitude bit first, midpoint ties go up (<c>&gt;=</c>).</summary>
internal static class Geohash
{
    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    public static string Encode(double lat, double lng, int length)
    {
        double latLo = -90, latHi = 90, lngLo = -180, lngHi = 180;
        var sb = new StringBuilder(length);
        var even = true;
        int bits = 0, ch = 0;
        while (sb.Length < length)
        {
            if (even)
            {
                var mid = (lngLo + lngHi) / 2;
                if (lng >= mid)
                {
                    ch = (ch << 1) | 1;
                    lngLo = mid;
                }
                else
                {
                    ch <<= 1;
                    lngHi = mid;
                }
            }
            else
            {
                var mid = (latLo + latHi) / 2;
                if (lat >= mid)
                {
                    ch = (ch << 1) | 1;
                    latLo = mid;
                }
                else
                {
                    ch <<= 1;
                    latHi = mid;
                }
            }

            even = !even;
            if (++bits == 5)
            {
                sb.Append(Alphabet[ch]);
                bits = 0;
                ch = 0;
            }
        }

        return sb.ToString();
    }
}
