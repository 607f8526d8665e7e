using Doppel.Generators;

namespace Doppel.Packs.Clinical;

/// <summary>Generators the pack's recipe needs beyond the standard library.</summary>
public static class ClinicalPackGenerators
{
    public static void Register(GeneratorRegistry registry)
    {
        _ = registry;
    }
}
