using System.Globalization;

namespace Doppel.Packs.Incidents;

/// <summary>A city whose fire department the pack simulates: names for addresses, the ZIP3 and area code, and the centre point.</summary>
/// <param name="Area">The key used by the <c>service_area</c> param, e.g. <c>denver</c>.</param>
/// <param name="City">City name written to address columns.</param>
/// <param name="Region">USPS state code.</param>
/// <param name="Zip3">First three digits of the city's ZIP codes.</param>
/// <param name="AreaCode">A telephone area code of the city (numbers are from the fictional 555-01xx block).</param>
/// <param name="Lat">Latitude of the city centre (WGS 84).</param>
/// <param name="Lon">Longitude of the city centre (WGS 84).</param>
public sealed record ServiceArea(string Area, string City, string Region, string Zip3, string AreaCode, double Lat, double Lon);

/// <summary>The service areas shipped in <c>Packs/Incidents/Data/service-areas.csv</c> (approximate city centres, general knowledge).</summary>
public static class ServiceAreas
{
    private static readonly Lazy<IReadOnlyList<ServiceArea>> Rows = new(Load);

    /// <summary>Every shipped area.</summary>
    public static IReadOnlyList<ServiceArea> All => Rows.Value;

    /// <summary>The area with key <paramref name="area"/>, or null.</summary>
    public static ServiceArea? Find(string area) => All.FirstOrDefault(a => string.Equals(a.Area, area, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<ServiceArea> Load()
    {
        var assembly = typeof(ServiceAreas).Assembly;
        var name = assembly.GetManifestResourceNames().First(n => n.EndsWith(".Packs.Incidents.Data.service-areas.csv", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var list = new List<ServiceArea>();
        foreach (var (_, f, _) in Validation.SimpleCsv.Read(reader).Skip(1))
        {
            if (f.Length == 7)
            {
                list.Add(new ServiceArea(f[0], f[1], f[2], f[3], f[4], double.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[6], CultureInfo.InvariantCulture)));
            }
        }

        return list;
    }
}
