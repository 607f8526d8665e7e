namespace Doppel.Generators;

/// <summary>Domain generators (person names, NHS numbers, postcodes, phones, e-mails, geohashes) wrapping <c>Doppel.Domain</c>.</summary>
public static partial class DomainGenerators
{
    public static void Register(GeneratorRegistry r) => RegisterDomain(r);

    static partial void RegisterDomain(GeneratorRegistry r);
}
