using Doppel.Validation;

namespace Doppel.Core.Tests;

public class ValidateTest
{
    private static (string Dir, Planning.GenerationPlan Plan) Generate()
    {
        var dir = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(TestRecipes.Clinic).WithSeed(3);
        recipe.WriteTo(dir);
        return (dir, recipe.Plan());
    }

    [Fact]
    public void Generated_output_passes_every_contract_and_every_fault_is_detected()
    {
        var (dir, plan) = Generate();
        var report = Validator.Validate(dir, plan, expectFaults: true);
        report.Unexpected.Should().BeEmpty();
        report.UndetectedFaults.Should().BeEmpty();
        report.Violations.Should().NotBeEmpty("the recipe injects labelled NHS-number faults");
        report.Passed.Should().BeTrue();
    }

    [Theory]
    [InlineData("vitals.csv", "heart_rate", "999", "max")]
    [InlineData("vitals.csv", "event_time", "2020-01-01T00:00:00Z", "within")]
    [InlineData("encounters.csv", "status", "LOST", "values")]
    [InlineData("encounters.csv", "discharge_time", "2000-01-01T00:00:00Z", "after")]
    [InlineData("encounters.csv", "encounter_id", "abc", "type")]
    [InlineData("patients.csv", "postcode", "QQ1 1AA", "check")]
    [InlineData("patients.csv", "postcode", "", "required")]
    public void A_planted_defect_is_reported_with_file_line_and_rule(string file, string column, string bad, string rule)
    {
        var (dir, plan) = Generate();
        var path = Path.Combine(dir, file);
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var ci = Array.IndexOf(header, column);
        var fields = lines[1].Split(',');
        fields[ci] = bad;
        lines[1] = string.Join(',', fields);
        File.WriteAllLines(path, lines);

        var report = Validator.Validate(dir, plan);

        var hit = report.Unexpected.Where(v => v.File == file && v.Column == column).ToList();
        if (rule == "required")
        {
            // Postcodes are not declared required; an empty field is a null, which no rule forbids here.
            hit.Should().BeEmpty();
            return;
        }

        hit.Should().ContainSingle().Which.Line.Should().Be(2);
        hit[0].Rule.Should().Be(rule);
        report.Passed.Should().BeFalse();
    }

    [Fact]
    public void Foreign_keys_unique_keys_and_required_values_are_checked()
    {
        var recipe = DoppelRecipe.Parse("""
            tables:
              stations:
                rows: 5
                columns:
                  code: { expr: "'ST' + pad(row, 2)", contract: { unique: true, required: true } }
              incidents:
                rows: 50
                columns:
                  id: { gen: sequence, contract: { unique: true } }
                  station: { gen: ref, table: stations, column: code }
            """);
        var dir = TestRecipes.TempDir();
        recipe.WriteTo(dir);
        Validator.Validate(dir, recipe.Plan()).Passed.Should().BeTrue();

        var inc = Path.Combine(dir, "incidents.csv");
        var lines = File.ReadAllLines(inc);
        lines[3] = "1,ST99";
        File.WriteAllLines(inc, lines);
        var st = Path.Combine(dir, "stations.csv");
        var sl = File.ReadAllLines(st).ToList();
        sl.Add(string.Empty + ",");
        File.WriteAllLines(st, sl.Take(sl.Count - 1).Append("ST00"));

        var report = Validator.Validate(dir, recipe.Plan());
        report.Unexpected.Select(v => v.Rule).Should().Contain(["references", "unique"]);
    }
}

public class ValidateMoreContractsTest
{
    [Theory]
    [InlineData("code", "xx-1", "pattern")]
    [InlineData("score", "-5", "min")]
    [InlineData("code", "", "required")]
    [InlineData("uid", "not-a-uuid", "pattern")]
    [InlineData("born", "1800-01-01", "min")]
    public void Min_pattern_and_required_defects_are_reported(string column, string bad, string rule)
    {
        var recipe = DoppelRecipe.Parse("""
            tables:
              t:
                rows: 20
                columns:
                  code: { gen: pattern, pattern: "[A-Z]{2}-\\d{3}", contract: { required: true } }
                  score: { gen: int, min: 0, max: 10 }
                  uid: { gen: uuid }
                  born: { gen: date, min: 1950-01-01, max: 2000-12-31 }
            """);
        var dir = TestRecipes.TempDir();
        recipe.WriteTo(dir);
        Validation.Validator.Validate(dir, recipe.Plan()).Passed.Should().BeTrue();
        var path = Path.Combine(dir, "t.csv");
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var fields = lines[4].Split(',');
        fields[Array.IndexOf(header, column)] = bad;
        lines[4] = string.Join(',', fields);
        File.WriteAllLines(path, lines);
        var report = Validation.Validator.Validate(dir, recipe.Plan());
        report.Unexpected.Should().ContainSingle(v => v.Rule == rule && v.Column == column && v.Line == 5);
    }
}

public class ValidateFormatsTest
{
    [Theory]
    [InlineData("json")]
    [InlineData("jsonl")]
    public void Json_output_validates_like_csv(string format)
    {
        var dir = TestRecipes.TempDir();
        var recipe = DoppelRecipe.Parse(TestRecipes.Clinic).WithSeed(9);
        recipe.WriteTo(dir, new Execution.RunOptions { Format = Formats.TableFormats.BuiltIn[format] });
        var report = Validation.Validator.Validate(dir, recipe.Plan(), expectFaults: true);
        report.Passed.Should().BeTrue();
        report.RowsChecked["vitals"].Should().BeGreaterThan(0);
    }
}
