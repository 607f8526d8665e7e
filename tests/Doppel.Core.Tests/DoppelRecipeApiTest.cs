namespace Doppel.Core.Tests;

/// <summary>The in-process API as a test fixture would use it.</summary>
public class DoppelRecipeApiTest
{
    [Fact]
    public void A_test_fixture_streams_typed_rows_from_a_pack()
    {
        // Given the person pack with 100 rows and a fixed seed
        var people = DoppelRecipe.FromPack("person").WithParam("rows", "100").WithSeed(7);

        // When the rows are streamed
        var rows = people.Rows("person").ToList();

        // Then they are typed, complete and valid
        rows.Should().HaveCount(100);
        rows.Select(r => (long)r["id"]!).Should().Equal(Enumerable.Range(1, 100).Select(i => (long)i));
        rows.Should().OnlyContain(r => Validation.CheckDigits.NhsMod11((string)r["nhs_number"]!));
        rows.Should().OnlyContain(r => r["date_of_birth"] is DateOnly);
        people.Rows("person", 5).Select(r => r["email"]).Should().Equal(rows.Take(5).Select(r => r["email"]), "the same seed gives the same rows");
    }

    [Fact]
    public void WriteTo_writes_files_a_manifest_and_checksums()
    {
        var dir = TestRecipes.TempDir();
        var result = DoppelRecipe.Parse(TestRecipes.Clinic).WriteTo(dir, new Execution.RunOptions { Checksums = true });
        File.Exists(Path.Combine(dir, "manifest.json")).Should().BeTrue();
        foreach (var f in result.Files.Where(f => f.ChecksumPath is not null))
        {
            var line = File.ReadAllText(Path.Combine(dir, f.ChecksumPath!));
            line.Should().Be($"{f.Sha256}  {Path.GetFileName(f.Path)}\n");
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, f.Path)))).Should().Be(f.Sha256);
        }
    }
}
