using Doppel.Sinks.PostgreSql.Incidents;
using Npgsql;

namespace Doppel.Sinks.PostgreSql.Tests;

public class PostgresSinkOptionsTests
{
    private static readonly Func<string, string?> NoEnv = _ => null;

    [Fact]
    public void Uri_with_credentials_port_database_and_schema_is_parsed()
    {
        var o = PostgresSinkOptions.FromUri("postgres://app:s3cr%40t@db.example:6543/test%20db?schema=stage&sslmode=disable", NoEnv);

        var b = new NpgsqlConnectionStringBuilder(o.ConnectionString);
        b.Host.Should().Be("db.example");
        b.Port.Should().Be(6543);
        b.Username.Should().Be("app");
        b.Password.Should().Be("s3cr@t");
        b.Database.Should().Be("test db");
        b.SslMode.Should().Be(SslMode.Disable);
        o.Schema.Should().Be("stage");
        o.EffectiveSchema.Should().Be("stage");
        o.Plan.Should().Be("default");
        o.CreateTables.Should().BeTrue();
    }

    [Fact]
    public void Postgresql_scheme_ipv6_host_and_default_port_are_accepted()
    {
        var o = PostgresSinkOptions.FromUri("postgresql://u@[::1]/d", NoEnv);

        var b = new NpgsqlConnectionStringBuilder(o.ConnectionString);
        b.Host.Should().Be("::1");
        b.Port.Should().Be(5432);
        b.Database.Should().Be("d");
        o.EffectiveSchema.Should().Be("public");
    }

    [Fact]
    public void Keyword_connection_string_with_doppel_parameters_and_libpq_aliases_is_parsed()
    {
        var o = PostgresSinkOptions.FromUri("Host=h;Port=5433;user=u;Password=p;dbname=d;Schema=s1;Plan=incidents;Create Tables=false;Key.orders=order_id, line_no", NoEnv);

        var b = new NpgsqlConnectionStringBuilder(o.ConnectionString);
        (b.Host, b.Port, b.Username, b.Password, b.Database).Should().Be(("h", 5433, "u", "p", "d"));
        o.Schema.Should().Be("s1");
        o.Plan.Should().Be(IncidentsLoadPlan.PlanName);
        o.CreateTables.Should().BeFalse();
        o.Keys.Should().ContainKey("orders").WhoseValue.Should().Equal("order_id", "line_no");
        o.CreatePlan().Should().BeOfType<IncidentsLoadPlan>();
    }

    [Fact]
    public void Key_parameters_in_the_uri_allow_composite_keys()
    {
        var o = PostgresSinkOptions.FromUri("postgres://h/d?key.users=user_id&key.order_lines=order_id,line_no&create_tables=no", NoEnv);

        o.Keys["users"].Should().Equal("user_id");
        o.Keys["order_lines"].Should().Equal("order_id", "line_no");
        o.CreateTables.Should().BeFalse();
        o.RebuildForeignKeys.Should().BeFalse();
        PostgresSinkOptions.FromUri("postgres://h/d?rebuild_foreign_keys=true", NoEnv).RebuildForeignKeys.Should().BeTrue();
    }

    [Fact]
    public void Incidents_plan_defaults_to_the_incidents_schema()
    {
        var o = PostgresSinkOptions.FromUri("postgres://h/d?plan=incidents", NoEnv);

        o.EffectiveSchema.Should().Be("incidents");
        o.CreatePlan().Name.Should().Be("incidents");
    }

    [Fact]
    public void Without_a_sink_value_DATABASE_URL_is_used()
    {
        var env = new Dictionary<string, string?> { ["DATABASE_URL"] = "postgres://envuser@envhost:7000/envdb" };

        foreach (var sink in new[] { null, "", "postgres" })
        {
            var o = PostgresSinkOptions.FromUri(sink, k => env.GetValueOrDefault(k));
            o.Address.Should().Be("envhost:7000/envdb");
        }
    }

    [Fact]
    public void Without_sink_or_DATABASE_URL_the_error_says_how_to_fix_it()
    {
        var act = () => PostgresSinkOptions.FromUri(null, NoEnv);

        act.Should().Throw<DoppelException>()
            .Where(e => e.ExitCode == ExitCodes.UsageError)
            .WithMessage("No PostgreSQL destination: pass --sink postgres://user:pass@host:port/db or set DATABASE_URL");
    }

    [Fact]
    public void Unknown_parameter_is_an_error_with_a_suggestion()
    {
        var act = () => PostgresSinkOptions.FromUri("postgres://h/d?shema=x", NoEnv);

        act.Should().Throw<DoppelException>()
            .Where(e => e.ExitCode == ExitCodes.UsageError)
            .WithMessage("Unknown parameter 'shema' in the PostgreSQL URI (did you mean 'schema'?)*");
    }

    [Theory]
    [InlineData("postgres://h:0/d", "Invalid port '0'*expected 1-65535")]
    [InlineData("postgres://u:secret@h:99999/d", "Invalid port '99999' in --sink postgres://u:***@h:99999/d*")]
    [InlineData("postgres://h/d?plan=bulk", "Unknown load plan 'bulk'*")]
    [InlineData("postgres://h/d?create_tables=maybe", "Invalid create_tables 'maybe'*")]
    [InlineData("postgres://h/d?key.users=", "Invalid key parameter 'key.users='*")]
    [InlineData("just-a-host", "Unrecognised PostgreSQL destination 'just-a-host'*")]
    public void Malformed_values_give_one_line_usage_errors(string sink, string expected)
    {
        var act = () => PostgresSinkOptions.FromUri(sink, NoEnv);

        act.Should().Throw<DoppelException>()
            .Where(e => e.ExitCode == ExitCodes.UsageError && !e.Message.Contains('\n', StringComparison.Ordinal))
            .WithMessage(expected);
    }

    [Fact]
    public void Describe_never_contains_the_password()
    {
        var o = PostgresSinkOptions.FromUri("postgres://app:topsecret@db:5432/prod?schema=x", NoEnv);

        o.Describe().Should().Be("postgres://app@db:5432/prod?schema=x (plan default)");
        new PostgresRowSink(o).Describe().Should().NotContain("topsecret");
    }

    [Fact]
    public void Bulk_loading_defaults_disable_the_command_timeout_and_include_error_details()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresSinkOptions.FromUri("postgres://h/d", NoEnv).ConnectionString);

        b.CommandTimeout.Should().Be(0);
        b.IncludeErrorDetail.Should().BeTrue();
        b.ApplicationName.Should().Be("doppel");
    }

    [Fact]
    public void Server_text_is_cut_to_one_bounded_line()
    {
        PostgresErrors.OneLine("first line\nsecond line").Should().Be("first line …");
        PostgresErrors.OneLine(new string('x', 1000)).Should().HaveLength(402).And.EndWith(" …");
    }
}
