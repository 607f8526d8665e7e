using Doppel.Generators;

namespace Doppel.Packs.EmailEvents;

/// <summary>Generators the pack's recipe needs beyond the standard library.</summary>
public static class EmailEventsPackGenerators
{
    public static void Register(GeneratorRegistry registry)
    {
        _ = registry;
    }
}
