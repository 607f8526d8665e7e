using System.Reflection;
using Doppel.Generators;

namespace Doppel.Packs;

/// <summary>
/// A built-in pack: an ordinary recipe (embedded YAML) plus the generators it needs. <c>doppel init</c>
/// writes the recipe out so a user can copy and change it.
/// </summary>
public sealed class Pack(string name, string summary, string resource, Action<GeneratorRegistry>? register = null, IReadOnlyDictionary<string, string>? flagAliases = null)
{
    public string Name => name;

    public string Summary => summary;

    /// <summary>Extra CLI flags mapped to params, e.g. <c>--incident-count</c> → <c>incident_count</c> (every param also gets its dashed name automatically).</summary>
    public IReadOnlyDictionary<string, string> FlagAliases => flagAliases ?? new Dictionary<string, string>();

    public string RecipeFileName => name + ".recipe.yaml";

    public string RecipeText()
    {
        using var s = typeof(Pack).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"pack resource {resource} is missing");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    public GeneratorRegistry Registry()
    {
        var r = GeneratorRegistry.CreateDefault();
        register?.Invoke(r);
        return r;
    }
}

/// <summary>The packs that ship with Doppel.</summary>
public static class PackCatalog
{
    private static readonly List<Pack> Packs = [];

    static PackCatalog()
    {
        foreach (var name in typeof(PackCatalog).Assembly.GetManifestResourceNames().Where(n => n.EndsWith(".recipe.yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            // Resource names look like Doppel.Packs.Recipes.nhs.recipe.yaml.
            var pack = name["Doppel.Packs.Recipes.".Length..^".recipe.yaml".Length];
            if (Packs.Exists(p => p.Name == pack))
            {
                continue;
            }

            var text = ReadResource(name);
            var summary = text.Split('\n').FirstOrDefault(l => l.StartsWith("description:", StringComparison.Ordinal))?["description:".Length..].Trim().Trim('"') ?? pack;
            Packs.Add(new Pack(pack, summary, name, PackGenerators.For(pack)));
        }
    }

    public static IReadOnlyList<Pack> All => Packs;

    public static Pack? Find(string name) => Packs.Find(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary>Registers a pack contributed by another assembly (e.g. a custom-program pack).</summary>
    public static void Add(Pack pack) => Packs.Add(pack);

    private static string ReadResource(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}

/// <summary>Pack-specific generator registrations, by pack name (one folder per pack).</summary>
public static class PackGenerators
{
    public static Action<GeneratorRegistry>? For(string pack) => pack switch
    {
        "nhs" => Nhs.NhsPackGenerators.Register,
        "clinical" => Clinical.ClinicalPackGenerators.Register,
        "incidents" => Incidents.IncidentsPackGenerators.Register,
        "email-events" => EmailEvents.EmailEventsPackGenerators.Register,
        _ => null,
    };
}
