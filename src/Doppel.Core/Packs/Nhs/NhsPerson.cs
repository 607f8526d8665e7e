using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.Nhs;

/// <summary>The patient fields of the NHS pack's files.</summary>
public enum NhsField
{
    NhsNumber = 0,
    GivenName = 1,
    FamilyName = 2,
    DateOfBirth = 3,
    Sex = 4,
    Postcode = 5,
}

/// <summary>
/// A patient's attributes as pure functions of (seed, attribute index): the same index gives the same
/// name, sex, date of birth and postcode in any table, file, thread or shard. Each field has its own
/// stream, so adding a field changes no other.
/// </summary>
public static class NhsPerson
{
    /// <summary>Seeds of the per-field streams, derived from the run's seed and the field name (not from a table or column).</summary>
    public readonly record struct Seeds(ulong Sex, ulong GivenName, ulong FamilyName, ulong DateOfBirth, ulong Postcode)
    {
        public static Seeds From(ulong seed) => new(
            SeedTree.Combine(seed, "nhs.person.sex"),
            SeedTree.Combine(seed, "nhs.person.given_name"),
            SeedTree.Combine(seed, "nhs.person.family_name"),
            SeedTree.Combine(seed, "nhs.person.date_of_birth"),
            SeedTree.Combine(seed, "nhs.person.postcode"));
    }

    /// <summary>Female or male, about 51 : 49.</summary>
    public static Sex SexOf(in Seeds seeds, long index)
    {
        var rng = SeedTree.Cell(seeds.Sex, index);
        return rng.NextDouble() < 0.51 ? Sex.Female : Sex.Male;
    }

    /// <summary>A given name that matches <see cref="SexOf"/>, by real frequency.</summary>
    public static string GivenName(in Seeds seeds, long index)
    {
        var rng = SeedTree.Cell(seeds.GivenName, index);
        return PersonNames.FirstName(ref rng, SexOf(seeds, index));
    }

    /// <summary>A family name by real frequency.</summary>
    public static string FamilyName(in Seeds seeds, long index)
    {
        var rng = SeedTree.Cell(seeds.FamilyName, index);
        return PersonNames.LastName(ref rng);
    }

    /// <summary>A date of birth, uniform in [<paramref name="minDays"/>, <paramref name="maxDays"/>] (days since 1970-01-01).</summary>
    public static long DateOfBirth(in Seeds seeds, long index, long minDays, long maxDays)
    {
        var rng = SeedTree.Cell(seeds.DateOfBirth, index);
        return rng.NextLong(minDays, maxDays);
    }

    /// <summary>Writes a postcode in a real district (domain reference §2.4).</summary>
    /// <returns>Chars written (6–8).</returns>
    public static int WritePostcode(in Seeds seeds, long index, Span<char> dest)
    {
        var rng = SeedTree.Cell(seeds.Postcode, index);
        return UkPostcode.WriteRandom(ref rng, dest);
    }
}
