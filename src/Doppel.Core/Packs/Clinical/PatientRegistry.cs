using System.Globalization;
using System.Text;
using Doppel.Data;
using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.Clinical;

/// <summary>
/// The persistent patient registry as a pure function: patient <c>i</c>'s attributes depend only on
/// (key, i), where the key comes from the recipe seed. The registry file
/// (<c>state/patients_master.csv</c>) is a cache of rows [0, n) of this function; see <c>RegistryFile</c>.
/// </summary>
/// <remarks>Every attribute has its own random stream, so adding an attribute changes no other.</remarks>
public sealed class PatientRegistry
{
    /// <summary>The registry's columns, in file order (the daily <c>patients.csv</c> snapshot has the same).</summary>
    public static readonly IReadOnlyList<string> Columns = ["patient_id", "nhs_number", "first_name", "last_name", "sex", "date_of_birth", "postcode"];

    /// <summary>Most patients a registry can hold: patient ids have 7 digits and NHS numbers come from the 999 test range.</summary>
    public const long MaxPatients = 5_000_000;

    /// <summary>Ages are drawn relative to this date (2026-01-01), so a date of birth never depends on the run's date.</summary>
    private static readonly long AgeReferenceDay = DataTypes.ToDays(new DateOnly(2026, 1, 1));

    private readonly ulong _sex;
    private readonly ulong _first;
    private readonly ulong _last;
    private readonly ulong _dob;
    private readonly ulong _postcode;
    private readonly ulong _nhs;

    public PatientRegistry(ulong key)
    {
        Key = key;
        _sex = SeedTree.Combine(key, "sex");
        _first = SeedTree.Combine(key, "first_name");
        _last = SeedTree.Combine(key, "last_name");
        _dob = SeedTree.Combine(key, "date_of_birth");
        _postcode = SeedTree.Combine(key, "postcode");
        _nhs = SeedTree.Combine(key, "nhs_number");
    }

    public ulong Key { get; }

    /// <summary><c>P</c> + the 1-based patient number in 7 digits, e.g. P0000042 for index 41.</summary>
    public static int WritePatientId(long index, Span<char> dest)
    {
        dest[0] = 'P';
        (index + 1).TryFormat(dest[1..], out var n, "D7", CultureInfo.InvariantCulture);
        return n + 1;
    }

    /// <summary>A valid NHS number from the 999 test range, distinct for distinct indices (a keyed permutation).</summary>
    public int WriteNhsNumber(long index, Span<char> dest) => NhsNumber.WriteUnique(index, _nhs, dest);

    /// <summary>'F' (51 %) or 'M'.</summary>
    public char Sex(long index)
    {
        var rng = SeedTree.Cell(_sex, index);
        return rng.NextDouble() < 0.51 ? 'F' : 'M';
    }

    public string FirstName(long index)
    {
        var rng = SeedTree.Cell(_first, index);
        return PersonNames.FirstName(ref rng, Sex(index) == 'F' ? Domain.Sex.Female : Domain.Sex.Male);
    }

    public string LastName(long index)
    {
        var rng = SeedTree.Cell(_last, index);
        return PersonNames.LastName(ref rng);
    }

    /// <summary>Date of birth (days since 1970-01-01): ages 18–100 on 2026-01-01, skewed old like a hospital population (mean ≈ 66).</summary>
    public long DateOfBirth(long index)
    {
        var rng = SeedTree.Cell(_dob, index);
        var years = 18.0 + (82.0 * Math.Pow(rng.NextDouble(), 0.7));
        return AgeReferenceDay - (long)(years * 365.2425) - 1;
    }

    public int WritePostcode(long index, Span<char> dest)
    {
        var rng = SeedTree.Cell(_postcode, index);
        return UkPostcode.WriteRandom(ref rng, dest);
    }

    /// <summary>Patient <paramref name="index"/>'s fields as text, in <see cref="Columns"/> order.</summary>
    public string[] Row(long index)
    {
        Span<char> buffer = stackalloc char[16];
        var id = new string(buffer[..WritePatientId(index, buffer)]);
        var nhs = new string(buffer[..WriteNhsNumber(index, buffer)]);
        var postcode = new string(buffer[..WritePostcode(index, buffer)]);
        return [id, nhs, FirstName(index), LastName(index), Sex(index) == 'F' ? "F" : "M", Formats.TextFormatting.FormatDate(DateOfBirth(index)), postcode];
    }

    /// <summary>Age in whole years on <paramref name="onDay"/> (days since 1970-01-01).</summary>
    public static int AgeOn(long dateOfBirth, long onDay)
    {
        var dob = DataTypes.FromDays(dateOfBirth);
        var on = DataTypes.FromDays(onDay);
        var age = on.Year - dob.Year;
        return on.Month < dob.Month || (on.Month == dob.Month && on.Day < dob.Day) ? age - 1 : age;
    }

    /// <summary>Appends patient <paramref name="index"/> as one CSV line, quoted exactly as the engine's CSV writer does.</summary>
    internal void AppendCsv(long index, StringBuilder sb)
    {
        var row = Row(index);
        for (var c = 0; c < row.Length; c++)
        {
            if (c > 0)
            {
                sb.Append(',');
            }

            var v = row[c];
            if (v.Length == 0 || v.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                sb.Append('"').Append(v.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                sb.Append(v);
            }
        }

        sb.Append('\n');
    }
}

/// <summary>The registry grows by <c>new_patients_per_day</c> a day from its epoch until <c>max_total</c>.</summary>
public static class RegistryGrowth
{
    /// <summary>Patients in the registry on <paramref name="day"/>: min(max_total, initial + per_day × days since the epoch).</summary>
    public static long CountOn(long day, long epoch, long initial, long perDay, long maxTotal) =>
        Math.Min(maxTotal, initial + (perDay * Math.Max(0, day - epoch)));
}
