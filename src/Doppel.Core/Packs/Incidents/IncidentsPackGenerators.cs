using Doppel.Generators;

namespace Doppel.Packs.Incidents;

/// <summary>Generators the pack's recipe needs beyond the standard library.</summary>
public static class IncidentsPackGenerators
{
    public static void Register(GeneratorRegistry registry)
    {
        _ = registry;
    }
}
