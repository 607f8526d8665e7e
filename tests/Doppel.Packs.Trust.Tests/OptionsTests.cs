using Doppel.Packs.Trust.Mrz;

namespace Doppel.Packs.Trust.Tests;

public class OptionsTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Defaults_follow_the_original_generator()
    {
        TrustOptions o = TrustOptions.FromSettings(new Dictionary<string, string>(), NoEnvironment);
        (o.Countries, o.Passports, o.Mdl, o.Mdoc, o.Dtc, o.Seed, o.Format, o.OutputDir, o.DatabaseInsert).Should().Be((10, 100, 50, 50, 30, 42L, "json", "data/synthetic", false));
        o.DocumentType.Should().Be(DocumentFormat.Td3);
        o.Algorithm.Should().Be("mix");
        TrustOptions.Parameters.Select(p => p.Name).Should().Contain(["countries", "passports", "mdl", "mdoc", "dtc", "seed", "format", "output_dir", "database_insert", "as_of", "document_type", "algorithm"]);
    }

    [Fact]
    public void Settings_are_parsed_and_win_over_the_environment()
    {
        var env = new Dictionary<string, string?> { ["SYNTHETIC_DATA_SEED"] = "7", ["TRUST_SERVICE_DATABASE_URL"] = "postgres://u@h/db" };
        TrustOptions o = TrustOptions.FromSettings(new Dictionary<string, string>
        {
            ["countries"] = "3", ["passports"] = "20", ["database-insert"] = "true", ["as_of"] = "2025-06-01", ["document_type"] = "TD1", ["algorithm"] = "rsa-pss",
        }, env);
        (o.Countries, o.Passports, o.Seed, o.DatabaseInsert, o.DatabaseUrl).Should().Be((3, 20, 7L, true, "postgres://u@h/db"));
        o.AsOf.Should().Be(new DateOnly(2025, 6, 1));
        o.DocumentType.Should().Be(DocumentFormat.Td1);
        TrustOptions.FromSettings(new Dictionary<string, string> { ["seed"] = "99" }, env).Seed.Should().Be(99);
    }

    [Theory]
    [InlineData("format", "csv", "trust option 'format': invalid value 'csv'; allowed: json.")]
    [InlineData("countries", "0", "trust option 'countries': invalid value '0'; allowed: an integer from 1 to 58.")]
    [InlineData("algorithm", "dsa", "trust option 'algorithm': invalid value 'dsa'; allowed: mix, ecdsa-p256, ecdsa-p384, brainpool-p256, brainpool-p384, rsa, rsa-pss.")]
    [InlineData("as_of", "01/06/2025", "trust option 'as_of': invalid value '01/06/2025'; allowed: a date yyyy-MM-dd between 1990 and 2080.")]
    [InlineData("document_type", "td4", "trust option 'document_type': invalid value 'td4'; allowed: td3, td2, td1.")]
    public void Bad_values_name_the_option_the_value_and_the_allowed_values(string name, string value, string message)
    {
        Action act = () => TrustOptions.FromSettings(new Dictionary<string, string> { [name] = value }, NoEnvironment);
        act.Should().Throw<TrustOptionException>().WithMessage(message);
    }

    [Fact]
    public void Unknown_options_suggest_the_closest_name()
    {
        Action act = () => TrustOptions.FromSettings(new Dictionary<string, string> { ["pasports"] = "1" }, NoEnvironment);
        act.Should().Throw<TrustOptionException>().WithMessage("*'pasports'*did you mean 'passports'*");
    }

    [Fact]
    public void Database_insert_needs_a_connection()
    {
        Action act = () => TrustOptions.FromSettings(new Dictionary<string, string> { ["database_insert"] = "yes" }, NoEnvironment);
        act.Should().Throw<TrustOptionException>().WithMessage("*database_url*TRUST_SERVICE_DATABASE_URL*");
    }

    [Fact]
    public void Mix_uses_every_ec_curve_once_there_are_four_countries()
    {
        var o = new TrustOptions();
        Countries.All.Take(4).Select((_, i) => o.AlgorithmFor(i)).Distinct().Should().HaveCount(4);
    }
}
