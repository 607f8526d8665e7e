using Npgsql;

namespace Doppel.Cli.Tests;

/// <summary>The trust pack through the CLI: the seed's flag names, mDL/mdoc issued by Doppel.Mdoc, and validation.</summary>
public class TrustCommandTest
{
    private static readonly string Pg = Environment.GetEnvironmentVariable("DOPPEL_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=doppel";

    [Fact]
    public async Task The_seed_small_example_generates_and_validates_with_every_negative_case_reported()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("doppel-trust").FullName, "dev");
        var gen = await CliTest.Run("generate", "trust", "--output-dir", dir, "--countries", "3", "--passports", "20", "--mdl", "10", "--mdoc", "10", "--dtc", "5", "--seed", "42", "--as-of", "2026-11-21", "--quiet");
        gen.Code.Should().Be(0, gen.Err);
        File.Exists(Path.Combine(dir, "trust.json")).Should().BeTrue();
        var json = File.ReadAllText(Path.Combine(dir, "trust.json"));
        json.Should().Contain("\"mdl\"").And.Contain("org.iso.18013.5.1.mDL").And.Contain("eu.europa.ec.eudi.pid.1");

        var report = Path.Combine(dir, "..", "report.json");
        var val = await CliTest.Run("validate", dir, "--pack", "trust", "--report", report);
        val.Code.Should().Be(0, val.Out);
        val.Out.Should().Contain("Negative cases").And.Contain("mDL/mdoc DeviceResponses verified").And.Contain("0 unexpected");
        File.ReadAllText(report).Should().Contain("\"credentials\"");
    }

    [Fact]
    public async Task The_seed_trust_only_example_inserts_into_the_database_idempotently()
    {
        var db = "trust_cli_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = new NpgsqlConnection(Pg))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {db}", admin);
            await create.ExecuteNonQueryAsync();
        }

        var url = new NpgsqlConnectionStringBuilder(Pg) { Database = db }.ConnectionString;
        try
        {
            var dir = Directory.CreateTempSubdirectory("doppel-trust").FullName;
            for (var run = 0; run < 2; run++)
            {
                var r = await CliTest.Run("generate", "trust", "--output-dir", Path.Combine(dir, $"run{run}"), "--countries", "4", "--passports", "0", "--mdl", "0", "--mdoc", "0", "--dtc", "0", "--as-of", "2026-11-21", "--database-insert", "--database-url", url, "--quiet");
                r.Code.Should().Be(0, r.Err);
            }

            await using var conn = new NpgsqlConnection(url);
            await conn.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT (SELECT count(*) FROM trust_svc.trust_anchors), (SELECT count(*) FROM trust_svc.dsc_certificates), (SELECT count(*) FROM trust_svc.master_lists), (SELECT count(*) FROM trust_svc.crl_cache)", conn);
            await using var rd = await count.ExecuteReaderAsync();
            (await rd.ReadAsync()).Should().BeTrue();
            rd.GetInt64(0).Should().BeGreaterThanOrEqualTo(4, "one CSCA or more per country, and a rerun adds none");
            rd.GetInt64(1).Should().BeGreaterThan(0);
            rd.GetInt64(2).Should().BeGreaterThan(0);
            rd.GetInt64(3).Should().BeGreaterThan(0);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(Pg);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {db} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_bad_option_names_the_option_and_exits_2()
    {
        var r = await CliTest.Run("generate", "trust", "--countries", "many");
        r.Code.Should().Be(2);
        r.Err.Should().Contain("countries");
    }
}
