namespace Doppel.Packs.Clinical.Tests;

public class RegistryTest
{
    [Theory]
    [InlineData(0, 1000)]
    [InlineData(1, 1020)]
    [InlineData(72, 2440)]
    [InlineData(4950, 100000)]
    [InlineData(100000, 100000)]
    public void The_registry_grows_by_new_patients_per_day_from_its_epoch_until_max_total(long daysSinceEpoch, long expected)
    {
        var epoch = 20454L; // 2026-01-01
        RegistryGrowth.CountOn(epoch + daysSinceEpoch, epoch, 1000, 20, 100000).Should().Be(expected);
    }

    [Fact]
    public void A_patient_is_a_pure_function_of_key_and_index()
    {
        var a = new PatientRegistry(7);
        var b = new PatientRegistry(7);
        var other = new PatientRegistry(8);

        for (var i = 0; i < 200; i += 13)
        {
            b.Row(i).Should().Equal(a.Row(i));
        }

        // Evaluated out of order and repeatedly, still the same.
        a.Row(150).Should().Equal(new PatientRegistry(7).Row(150));
        other.Row(3).Should().NotEqual(a.Row(3));
    }

    [Fact]
    public void Patients_have_valid_distinct_identifiers_and_adult_ages()
    {
        var r = new PatientRegistry(42);
        var rows = Enumerable.Range(0, 2000).Select(i => r.Row(i)).ToList();

        rows.Select(x => x[0]).Should().OnlyHaveUniqueItems().And.OnlyContain(id => id.Length == 8 && id[0] == 'P');
        rows.Select(x => x[1]).Should().OnlyHaveUniqueItems().And.OnlyContain(n => Domain.NhsNumber.IsValid(n) && n.StartsWith("999", StringComparison.Ordinal));
        rows.Select(x => x[6]).Should().OnlyContain(p => Domain.UkPostcode.IsValid(p));
        rows.Count(x => x[4] == "F").Should().BeInRange(900, 1140, "51 % women");
        var ages = rows.Select(x => PatientRegistry.AgeOn(Data.DataTypes.ToDays(DateOnly.ParseExact(x[5], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), Data.DataTypes.ToDays(new DateOnly(2026, 3, 14)))).ToList();
        ages.Should().OnlyContain(a => a >= 18 && a <= 101);
        ages.Average().Should().BeInRange(60, 72, "a hospital population is old");
    }

    [Fact]
    public void The_file_only_grows_is_left_untouched_when_long_enough_and_a_longer_file_extends_a_shorter_one()
    {
        var dir = Harness.TempDir();
        var path = Path.Combine(dir, "reg.csv");
        var r = new PatientRegistry(5);

        RegistryFile.Update(path, r, 50, RegistryFile.Verify(path, r)).Should().Be(new RegistryUpdate(path, 0, 50, true));
        var fifty = File.ReadAllBytes(path);
        RegistryFile.Update(path, r, 80, RegistryFile.Verify(path, r)).Should().Be(new RegistryUpdate(path, 50, 80, true));
        var eighty = File.ReadAllBytes(path);
        eighty.Take(fifty.Length).Should().Equal(fifty);
        var stamp = File.GetLastWriteTimeUtc(path);

        RegistryFile.Update(path, r, 30, RegistryFile.Verify(path, r)).Should().Be(new RegistryUpdate(path, 80, 80, false));
        File.ReadAllBytes(path).Should().Equal(eighty);
        File.GetLastWriteTimeUtc(path).Should().Be(stamp);
        Directory.GetFiles(dir).Should().ContainSingle();

        var lines = File.ReadAllLines(path);
        lines[0].Should().Be(RegistryFile.Header);
        lines[80].Should().Be(string.Join(',', r.Row(79)));
    }
}
