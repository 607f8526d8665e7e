using Doppel.Packs.Trust.Database;
using Npgsql;

namespace Doppel.Packs.Trust.Tests;

/// <summary>
/// Runs against the real PostgreSQL of <c>.ci/services/postgres.sh</c> (env DOPPEL_TEST_PG, default
/// Host=127.0.0.1;Port=55432;Username=postgres;Database=doppel). Each test uses its own throw-away database.
/// </summary>
public sealed class DatabaseTests : IAsyncLifetime
{
    private const string DefaultDsn = "Host=127.0.0.1;Port=55432;Username=postgres;Database=doppel";
    private readonly string _database = "doppel_trust_" + Guid.NewGuid().ToString("N")[..10];
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "doppel-trust-tests", "db-" + Guid.NewGuid().ToString("N")[..8]);
    private string _admin = DefaultDsn;

    private string Dsn => new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ConnectionString;

    public async Task InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable("DOPPEL_TEST_PG") is { Length: > 0 } env ? env : DefaultDsn;
        try
        {
            await using var db = new NpgsqlConnection(_admin);
            await db.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", db);
            await create.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"PostgreSQL is not reachable at '{_admin}': run .ci/services/postgres.sh (or set DOPPEL_TEST_PG). {e.Message}", e);
        }
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var db = new NpgsqlConnection(_admin);
        await db.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", db);
        await drop.ExecuteNonQueryAsync();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    private TrustOptions Options => new()
    {
        Countries = 3, Passports = 6, Mdl = 0, Mdoc = 0, Dtc = 0, AsOf = new DateOnly(2025, 6, 1), OutputDir = _dir, DatabaseInsert = true, DatabaseUrl = Dsn,
    };

    private async Task<string> SnapshotAsync()
    {
        await using var db = new NpgsqlConnection(Dsn);
        await db.OpenAsync();
        var parts = new List<string>();
        foreach (string sql in new[]
        {
            "SELECT count(*) || ':' || string_agg(fingerprint_sha256 || kind || encode(sha256(certificate_der), 'hex'), ',' ORDER BY fingerprint_sha256) FROM trust_svc.trust_anchors",
            "SELECT count(*) || ':' || string_agg(id || sha256 || encode(sha256(cms_der), 'hex'), ',' ORDER BY id) FROM trust_svc.master_lists",
            "SELECT count(*) || ':' || string_agg(fingerprint_sha256 || status || coalesce(issuer_fingerprint_sha256, '-'), ',' ORDER BY fingerprint_sha256) FROM trust_svc.dsc_certificates",
            "SELECT count(*) || ':' || string_agg(issuer_key_id || crl_number || array_to_string(revoked_serials, ';'), ',' ORDER BY issuer_key_id) FROM trust_svc.crl_cache",
        })
        {
            await using var cmd = new NpgsqlCommand(sql, db);
            parts.Add((string)(await cmd.ExecuteScalarAsync())!);
        }

        return string.Join('\n', parts);
    }

    [Fact]
    public async Task Database_insert_fills_the_four_tables_and_a_rerun_is_idempotent()
    {
        TrustResult first = await TrustGenerator.GenerateAsync(Options);
        first.Database.Should().Be(new TrustDatabaseResult(MasterLists: 3, TrustAnchors: 9, DscCertificates: 18, Crls: 6));
        string before = await SnapshotAsync();
        before.Should().StartWith("9:").And.Contain("\n3:").And.Contain("\n18:").And.Contain("\n6:");
        before.Should().Contain("revoked").And.Contain("expired");

        await TrustGenerator.GenerateAsync(Options);
        (await SnapshotAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Urls_in_postgres_form_are_accepted()
    {
        var b = new NpgsqlConnectionStringBuilder(Dsn);
        string url = $"postgresql+asyncpg://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        TrustResult result = await TrustGenerator.GenerateAsync(Options with { DatabaseUrl = url });
        result.Database!.TrustAnchors.Should().Be(9);
        TrustDatabase.ToConnectionString("postgres://u:p%40ss@db.example:6543/trust?sslmode=disable").Should().Contain("Password=p@ss").And.Contain("Port=6543").And.Contain("Database=trust");
    }

    [Fact]
    public async Task An_unreachable_database_gives_one_line_and_the_files_are_still_written()
    {
        Func<Task> act = () => TrustGenerator.GenerateAsync(Options with { DatabaseUrl = "Host=127.0.0.1;Port=1;Username=x;Database=y;Timeout=3" });
        var error = (await act.Should().ThrowAsync<TrustDatabaseException>()).Which;
        error.Message.Should().StartWith("database insert failed (127.0.0.1:1/y)").And.NotContain("\n");
        error.Message.Should().Contain("files were written to");
        error.Result!.Passports.Should().Be(6);
        File.Exists(Path.Combine(_dir, "trust.json")).Should().BeTrue();
    }
}
