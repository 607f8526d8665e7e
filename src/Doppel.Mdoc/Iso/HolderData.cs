using Doppel.Mdoc.Crypto;

namespace Doppel.Mdoc.Iso;

/// <summary>A synthetic credential holder.</summary>
internal sealed record Holder(string FamilyName, string GivenName, DateOnly BirthDate, int Sex, int HeightCm)
{
    // Common surnames and given names from many countries; Latin-1 only (isomdl types family_name as Latin-1).
    private static readonly string[] FamilyNames =
    [
        "Smith", "Jones", "Garcia", "Martin", "Müller", "Schmidt", "Rossi", "Bianchi", "Dubois", "Lefèvre",
        "Nowak", "Kowalski", "Novák", "Horváth", "Jansen", "de Vries", "Peeters", "Hansen", "Nielsen", "Johansson",
        "Virtanen", "Murphy", "O'Brien", "Silva", "Santos", "Fernández", "López", "Popescu", "Ivanov", "Papadopoulos",
        "Yilmaz", "Kaya", "Tanaka", "Sato", "Kim", "Nguyen", "Singh", "Patel", "Okafor", "Mensah",
    ];

    private static readonly string[] FemaleGivenNames =
    [
        "Anna", "Maria", "Sofia", "Emma", "Léa", "Giulia", "Hanna", "Ingrid", "Aoife", "Zuzana",
        "Eva", "Lucía", "Ana", "Elena", "Fatma", "Yuki", "Min-ji", "Priya", "Amara", "Chloé",
    ];

    private static readonly string[] MaleGivenNames =
    [
        "Jan", "Lukas", "Marco", "Louis", "Pierre", "Piotr", "Tomás", "Lars", "Mikko", "Seán",
        "João", "Carlos", "Andrei", "Dimitri", "Mehmet", "Hiroshi", "Min-jun", "Arjun", "Kwame", "Noah",
    ];

    /// <summary>Draws a holder aged between <paramref name="minAge"/> and <paramref name="maxAge"/> years at <paramref name="asOf"/>.</summary>
    public static Holder Draw(ref DetRandom rng, DateOnly asOf, int minAge, int maxAge)
    {
        var sex = rng.Next(2) + 1; // ISO/IEC 5218: 1 male, 2 female.
        var given = sex == 1 ? rng.Pick(MaleGivenNames) : rng.Pick(FemaleGivenNames);
        var family = rng.Pick(FamilyNames);
        var youngest = asOf.AddYears(-minAge);
        var oldest = asOf.AddYears(-maxAge - 1).AddDays(1);
        var span = youngest.DayNumber - oldest.DayNumber;
        var birth = DateOnly.FromDayNumber(oldest.DayNumber + rng.Next(span + 1));
        var height = sex == 1 ? rng.Next(160, 198) : rng.Next(150, 185);
        return new Holder(family, given, birth, sex, height);
    }

    /// <summary>Age in whole years at <paramref name="asOf"/>.</summary>
    public int AgeAt(DateOnly asOf)
    {
        var age = asOf.Year - BirthDate.Year;
        return asOf < BirthDate.AddYears(age) ? age - 1 : age;
    }
}
