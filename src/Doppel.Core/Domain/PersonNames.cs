using Doppel.Seeding;

namespace Doppel.Domain;

/// <summary>Sex for name choice. <see cref="Any"/> draws from both lists, each with half the weight.</summary>
public enum Sex
{
    Female = 0,
    Male = 1,
    Any = 2,
}

/// <summary>Locale of names and addresses.</summary>
public enum NameLocale
{
    /// <summary>British English (England and Wales naming).</summary>
    EnGb = 0,

    /// <summary>American English.</summary>
    EnUs = 1,
}

/// <summary>
/// Realistic first names and surnames drawn by frequency weight (alias method: O(1), no allocation;
/// the returned strings come from preloaded tables).
/// </summary>
/// <remarks>
/// The embedded tables (<c>Domain/Data/first-names.*.tsv</c>, <c>surnames.*.tsv</c>) hold approximate
/// relative frequencies in the shape of ONS (en-GB) and SSA/Census (en-US) tables, written from
/// general knowledge: the ordering and rough ratios are realistic, the exact numbers are not official.
/// </remarks>
public static class PersonNames
{
    private static readonly Lazy<WeightedTable> GbFemale = new(() => WeightedTable.Load("first-names-en-gb-female.tsv"));
    private static readonly Lazy<WeightedTable> GbMale = new(() => WeightedTable.Load("first-names-en-gb-male.tsv"));
    private static readonly Lazy<WeightedTable> GbAny = new(() => WeightedTable.Merge(GbFemale.Value, GbMale.Value));
    private static readonly Lazy<WeightedTable> UsFemale = new(() => WeightedTable.Load("first-names-en-us-female.tsv"));
    private static readonly Lazy<WeightedTable> UsMale = new(() => WeightedTable.Load("first-names-en-us-male.tsv"));
    private static readonly Lazy<WeightedTable> UsAny = new(() => WeightedTable.Merge(UsFemale.Value, UsMale.Value));
    private static readonly Lazy<WeightedTable> GbSurnames = new(() => WeightedTable.Load("surnames-en-gb.tsv"));
    private static readonly Lazy<WeightedTable> UsSurnames = new(() => WeightedTable.Load("surnames-en-us.tsv"));

    /// <summary>A first name for <paramref name="sex"/>, weighted by frequency.</summary>
    public static string FirstName(ref Rng rng, Sex sex, NameLocale locale = NameLocale.EnGb) =>
        FirstNames(sex, locale).Sample(ref rng);

    /// <summary>A surname, weighted by frequency.</summary>
    public static string LastName(ref Rng rng, NameLocale locale = NameLocale.EnGb) =>
        Surnames(locale).Sample(ref rng);

    /// <summary>The first-name table (name, relative weight) behind <see cref="FirstName"/>; for <see cref="Sex.Any"/> each sex's weights sum to 0.5.</summary>
    public static IReadOnlyList<(string Value, double Weight)> FirstNameTable(Sex sex, NameLocale locale = NameLocale.EnGb) =>
        FirstNames(sex, locale).Entries();

    /// <summary>The surname table (name, relative weight) behind <see cref="LastName"/>.</summary>
    public static IReadOnlyList<(string Value, double Weight)> LastNameTable(NameLocale locale = NameLocale.EnGb) =>
        Surnames(locale).Entries();

    internal static WeightedTable FirstNames(Sex sex, NameLocale locale) => (locale, sex) switch
    {
        (NameLocale.EnGb, Sex.Female) => GbFemale.Value,
        (NameLocale.EnGb, Sex.Male) => GbMale.Value,
        (NameLocale.EnGb, Sex.Any) => GbAny.Value,
        (NameLocale.EnUs, Sex.Female) => UsFemale.Value,
        (NameLocale.EnUs, Sex.Male) => UsMale.Value,
        (NameLocale.EnUs, Sex.Any) => UsAny.Value,
        _ => ThrowBad(sex, locale),
    };

    internal static WeightedTable Surnames(NameLocale locale) => locale switch
    {
        NameLocale.EnGb => GbSurnames.Value,
        NameLocale.EnUs => UsSurnames.Value,
        _ => ThrowBad(Sex.Any, locale),
    };

    private static WeightedTable ThrowBad(Sex sex, NameLocale locale)
    {
        if (!Enum.IsDefined(locale))
        {
            DomainThrow.OutOfRange(nameof(locale), locale, "EnGb or EnUs");
        }

        DomainThrow.OutOfRange(nameof(sex), sex, "Female, Male or Any");
        return null!;
    }
}
