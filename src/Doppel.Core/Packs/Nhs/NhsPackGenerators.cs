using Doppel.Generators;

namespace Doppel.Packs.Nhs;

/// <summary>Generators the pack's recipe needs beyond the standard library.</summary>
public static class NhsPackGenerators
{
    public static void Register(GeneratorRegistry registry)
    {
        _ = registry;
    }
}
