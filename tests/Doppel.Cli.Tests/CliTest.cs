namespace Doppel.Cli.Tests;

/// <summary>The CLI in-process: exit codes, messages without stack traces, and the documented examples.</summary>
public class CliTest
{
    internal static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Doppel.slnx")))
        {
            d = d.Parent;
        }

        return d?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    internal static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await Cli.RunAsync(args, o, e, new Dictionary<string, string?>(), CancellationToken.None);
        return (code, o.ToString(), e.ToString());
    }

    private static string Temp() => Directory.CreateTempSubdirectory("doppel-cli").FullName;

    [Fact]
    public async Task Generate_succeeds_with_exit_code_0_and_writes_the_manifest()
    {
        var dir = Temp();
        var (code, output, _) = await Run("generate", "person", "--set", "rows=50", "--out", dir, "--checksums");
        code.Should().Be(0);
        output.Should().Contain("wrote");
        File.Exists(Path.Combine(dir, "person.csv")).Should().BeTrue();
        File.Exists(Path.Combine(dir, "person.csv.sha256")).Should().BeTrue();
        File.Exists(Path.Combine(dir, "manifest.json")).Should().BeTrue();
    }

    [Fact]
    public async Task A_broken_recipe_exits_2_with_a_located_message_and_no_stack_trace()
    {
        var dir = Temp();
        var recipe = Path.Combine(dir, "bad.recipe.yaml");
        File.WriteAllText(recipe, "tables:\n  t:\n    rows: 3\n    columns:\n      a: { gen: sequense }\n");
        var (code, _, err) = await Run("generate", recipe, "--out", Path.Combine(dir, "out"));
        code.Should().Be(2);
        err.Should().Contain("bad.recipe.yaml:5:17: error: unknown generator 'sequense'").And.NotContain("   at ");
        Directory.Exists(Path.Combine(dir, "out")).Should().BeFalse("nothing is written for a bad recipe");
    }

    [Theory]
    [InlineData("generate", "persn")]
    [InlineData("generate", "person", "--thread", "2")]
    [InlineData("generate", "person", "--shard", "3/2")]
    [InlineData("generate", "person", "--format", "xml")]
    [InlineData("generate", "person", "--set", "rowz=3")]
    [InlineData("frobnicate")]
    public async Task Bad_usage_exits_2_with_a_suggestion(params string[] args)
    {
        var (code, _, err) = await Run(args);
        code.Should().Be(2);
        err.Should().NotBeEmpty().And.NotContain("   at ");
    }

    [Fact]
    public async Task Validate_exits_1_on_a_violation_and_0_when_clean()
    {
        var dir = Temp();
        (await Run("generate", "person", "--set", "rows=100", "--out", dir, "--quiet")).Code.Should().Be(0);
        (await Run("validate", dir, "--pack", "person")).Code.Should().Be(0);
        var path = Path.Combine(dir, "person.csv");
        var lines = File.ReadAllLines(path);
        lines[5] = lines[5].Replace(lines[5].Split(',')[3], "1234567890", StringComparison.Ordinal);
        File.WriteAllLines(path, lines);
        var (code, output, _) = await Run("validate", dir, "--pack", "person", "--report", Path.Combine(dir, "report.json"));
        code.Should().Be(1);
        output.Should().Contain("person.csv:6").And.Contain("nhs_mod11");
        File.ReadAllText(Path.Combine(dir, "report.json")).Should().Contain("\"passed\": false");
    }

    [Fact]
    public async Task Dry_run_writes_nothing()
    {
        var dir = Path.Combine(Temp(), "out");
        var (code, output, _) = await Run("generate", "person", "--out", dir, "--dry-run");
        code.Should().Be(0);
        output.Should().Contain("table person").And.Contain("nhs_number").And.Contain("dry run: nothing was written");
        output.Should().Contain("generated column by column (fast path)");
        Directory.Exists(dir).Should().BeFalse();
    }

    [Fact]
    public async Task Dry_run_says_why_a_table_is_generated_row_by_row()
    {
        var (code, output, _) = await Run("generate", Path.Combine(Root, "recipes", "examples", "clinic.recipe.yaml"), "--out", Temp(), "--dry-run");
        code.Should().Be(0);
        output.Should().Contain("generated row by row: has child tables").And.Contain("generated row by row: a child of patients");
    }

    [Fact]
    public async Task Packs_describe_init_and_preview_work()
    {
        (await Run("packs")).Out.Should().Contain("person");
        (await Run("describe", "person")).Out.Should().Contain("parameters").And.Contain("contracts");
        var dir = Temp();
        (await Run("init", "person", dir)).Code.Should().Be(0);
        File.Exists(Path.Combine(dir, "person.recipe.yaml")).Should().BeTrue();
        var (code, output, _) = await Run("preview", Path.Combine(dir, "person.recipe.yaml"), "--rows", "3");
        code.Should().Be(0);
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(5);
    }

    [Fact]
    public async Task An_unreachable_sink_exits_3_with_one_line()
    {
        var (code, _, err) = await Run("generate", "person", "--set", "rows=10", "--sink", "postgres://postgres@127.0.0.1:1/doppel", "--quiet");
        code.Should().Be(3);
        err.Trim().Split('\n').Should().ContainSingle().Which.Should().Contain("Cannot connect to PostgreSQL");
    }

    [Fact]
    public async Task Every_example_recipe_and_the_README_recipe_run_and_validate()
    {
        var recipes = Directory.GetFiles(Path.Combine(Root, "recipes", "examples"), "*.recipe.yaml").ToList();
        recipes.Should().NotBeEmpty();
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var start = readme.IndexOf("```yaml\n", StringComparison.Ordinal) + 8;
        var readmeRecipe = Path.Combine(Temp(), "readme.recipe.yaml");
        File.WriteAllText(readmeRecipe, readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)]);
        recipes.Add(readmeRecipe);
        recipes.Add(Path.Combine(Root, "bench", "recipes", "person.recipe.yaml"));
        foreach (var recipe in recipes)
        {
            var dir = Temp();
            var gen = await Run("generate", recipe, "--out", dir, "--quiet");
            gen.Code.Should().Be(0, $"{recipe}: {gen.Err}");
            var val = await Run("validate", dir, "--recipe", recipe, "--expect-faults");
            val.Code.Should().Be(0, $"{recipe}: {val.Out}");
        }
    }
}
