using Doppel.Data;

namespace Doppel.Sinks.ClickHouse.Tests;

public sealed class ClickHouseOptionsAndDdlTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public void Given_a_full_uri_when_parsing_then_every_part_is_read()
    {
        var options = ClickHouseSinkOptions.Parse(
            "clickhouse://ana:p%40ss@db.example:9123/sendflowr.email_events?create=true&batch_rows=1000&run_column=doppel_run&run_id=r1&compress=false&retries=2",
            NoEnvironment);

        options.Endpoint.Should().Be(new Uri("http://db.example:9123/"));
        options.Database.Should().Be("sendflowr");
        options.Table.Should().Be("email_events");
        options.User.Should().Be("ana");
        options.Password.Should().Be("p@ss");
        options.CreateTable.Should().BeTrue();
        options.BatchRows.Should().Be(1000);
        options.RunIdColumn.Should().Be("doppel_run");
        options.RunId.Should().Be("r1");
        options.Compress.Should().BeFalse();
        options.MaxRetries.Should().Be(2);
        options.ToString().Should().Be("clickhouse://ana@db.example:9123/sendflowr.email_events", "descriptions never show the password");
    }

    [Fact]
    public void Given_a_minimal_uri_when_parsing_then_defaults_and_environment_credentials_apply()
    {
        var env = new Dictionary<string, string?> { ["CLICKHOUSE_USER"] = "svc", ["CLICKHOUSE_PASSWORD"] = "s3cret" };

        var options = ClickHouseSinkOptions.Parse("clickhouse://localhost/sendflowr", env.GetValueOrDefault);

        options.Endpoint.Should().Be(new Uri("http://localhost:8123/"));
        options.Table.Should().BeNull("each recipe table goes to a table of its own name");
        options.User.Should().Be("svc");
        options.Password.Should().Be("s3cret");
        options.BatchRows.Should().Be(50_000);
        options.WantsCompression.Should().BeFalse("the server is on this machine");
        ClickHouseSinkOptions.Parse("clickhouses://ch.example/db.t", NoEnvironment).Endpoint.Should().Be(new Uri("https://ch.example:8443/"));
        ClickHouseSinkOptions.Parse("clickhouses://ch.example/db.t", NoEnvironment).WantsCompression.Should().BeTrue();
        ClickHouseSinkOptions.Parse("clickhouse://localhost/db", NoEnvironment).User.Should().Be("default");
    }

    [Theory]
    [InlineData("http://localhost:8123/db.t", "is not a clickhouse:// URI")]
    [InlineData("clickhouse://localhost:8123/", "needs a database")]
    [InlineData("clickhouse://localhost:8123/db.t?batch=5", "Unknown ClickHouse sink option 'batch'")]
    [InlineData("clickhouse://localhost:8123/db.t?batch_rows=many", "batch_rows=many must be a whole number")]
    [InlineData("clickhouse://localhost:8123/db.t?create=perhaps", "create=perhaps must be true or false")]
    [InlineData("clickhouse://localhost:8123/db.t?batch_rows=0", "batch_rows 0 must be at least 1")]
    public void Given_a_bad_uri_when_parsing_then_the_usage_error_says_what_is_wrong(string sink, string message)
    {
        var parse = () => ClickHouseSinkOptions.Parse(sink, NoEnvironment);

        var error = parse.Should().Throw<DoppelException>().Which;
        error.Message.Should().Contain(message);
        error.ExitCode.Should().Be(ExitCodes.UsageError);
    }

    [Fact]
    public void Given_a_password_in_a_bad_uri_when_parsing_then_the_error_hides_it()
    {
        var parse = () => ClickHouseSinkOptions.Parse("ftp://ana:topsecret@host/db", NoEnvironment);

        parse.Should().Throw<DoppelException>().Which.Message.Should().NotContain("topsecret").And.Contain("ftp://***@host/db");
    }

    [Fact]
    public void Given_every_type_when_mapping_then_18_16_types_are_used()
    {
        ColumnSchema Col(DataType t, bool nullable = false) => new("c", t, nullable);

        ClickHouseDdl.TypeOf(Col(DataType.String)).Should().Be("String");
        ClickHouseDdl.TypeOf(Col(DataType.Json)).Should().Be("String");
        ClickHouseDdl.TypeOf(Col(DataType.Int)).Should().Be("Int64");
        ClickHouseDdl.TypeOf(Col(DataType.Float)).Should().Be("Float64");
        ClickHouseDdl.TypeOf(Col(DataType.Bool)).Should().Be("UInt8");
        ClickHouseDdl.TypeOf(Col(DataType.Date)).Should().Be("Date");
        ClickHouseDdl.TypeOf(Col(DataType.Timestamp)).Should().Be("DateTime");
        ClickHouseDdl.TypeOf(Col(DataType.Timestamp, nullable: true)).Should().Be("Nullable(DateTime)");
        ClickHouseDdl.Quote("we`ird\\name").Should().Be("`we\\`ird\\\\name`");
        ClickHouseDdl.Literal("it's").Should().Be("'it\\'s'");
    }

    [Fact]
    public void Given_the_email_events_schema_when_generating_ddl_then_docs_show_exactly_that_ddl()
    {
        var ddl = ClickHouseDdl.CreateTable(EmailEventTables.EmailEvents, "sendflowr", "email_events");

        ddl.Should().StartWith("CREATE TABLE IF NOT EXISTS `sendflowr`.`email_events`\n(\n    `event_id` String,\n")
            .And.Contain("    `timestamp` DateTime,\n")
            .And.Contain("    `persona` Nullable(String),\n")
            .And.EndWith(")\nENGINE = MergeTree() ORDER BY `timestamp`");
        File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "sinks", "clickhouse.md")).Should().Contain(ddl, "docs/sinks/clickhouse.md shows the generated DDL; regenerate it if the schema changed");
    }

    private static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Directory.Build.props")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        }

        return dir;
    }
}
