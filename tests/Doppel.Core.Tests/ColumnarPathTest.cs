using Doppel.Execution;
using Doppel.Formats;

namespace Doppel.Core.Tests;

/// <summary>
/// The column-at-a-time path must store exactly what the row path computes: every kernel-backed generator,
/// with its options, is generated both ways and the files compared byte for byte.
/// </summary>
public class ColumnarPathTest
{
    private const string EveryKernel = """
        doppel: 1
        name: every-kernel
        tables:
          things:
            rows: 3000
            columns:
              id: { gen: sequence, start: 100, step: 3 }
              uuid: { gen: uuid }
              n_uniform: { gen: int, min: -5, max: 1000000 }
              n_normal: { gen: int, dist: normal, mean: 80, stddev: 12, min: 30, max: 200 }
              n_lognormal: { gen: float, dist: lognormal, mu: 1, sigma: 0.5, decimals: 3 }
              n_exponential: { gen: float, dist: exponential, mean: 4 }
              n_poisson: { gen: int, dist: poisson, mean: 3 }
              n_zipf: { gen: int, dist: zipf, n: 50, s: 1.2 }
              f_uniform: { gen: float, min: 0, max: 1 }
              flag: { gen: bool, p: 0.3 }
              day: { gen: date, min: 1930-01-01, max: 2020-12-31 }
              code: { gen: pattern, pattern: "[A-Z]{2}\\d{3,5}-é" }
              colour: { gen: choice, values: [red, green, 'has,comma', 'has "quote"', 'naïve', ''] }
              weighted: { gen: choice, values: { F: 51, M: 49, f: 3, male: 2, 'Ñ': 1, '': 1, x: 1 } }
              size: { gen: choice, type: int, values: [1, 2, 3, 40] }
              ratio: { gen: choice, type: float, values: [0.5, 1.25] }
              first_any: { gen: first_name }
              first_f: { gen: first_name, sex: F, locale: en-US }
              first_by_column: { gen: first_name, sex: weighted }
              last: { gen: last_name }
              last_us: { gen: last_name, locale: en-US }
              nhs_test: { gen: nhs_number }
              nhs_england: { gen: nhs_number, range: england }
              nhs_any: { gen: nhs_number, range: any }
              nhs_unique: { gen: nhs_number, unique: true }
              postcode: { gen: postcode }
              postcode_ls: { gen: postcode, area: LS }
              mobile: { gen: phone }
              landline: { gen: phone, kind: uk_landline }
              us_phone: { gen: phone, kind: us }
              email_from_columns: { gen: email, first: first_by_column, last: last }
              email_random: { gen: email }
              email_from_choice: { gen: email, first: colour, last: weighted }
              street: { gen: street_address }
              street_us: { gen: street_address, locale: en-US }
              city: { gen: city }
              hidden_sex: { gen: choice, values: [F, M], hidden: true }
              first_by_hidden: { gen: first_name, sex: hidden_sex }
              ts: { gen: timestamp, min: 2026-01-01, max: 2026-03-31 }
              ts_seconds: { gen: timestamp, min: 2026-01-01T08:00:00Z, max: 2026-01-02T08:00:00Z, precision: s }
              ts_profiled: { gen: timestamp, min: 2026-01-01, max: 2026-02-11, hours: [0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 5, 4, 3, 4, 5, 5, 4, 3, 2, 2, 1, 1, 0.5, 0.2], weekdays: [1, 1, 1, 1, 1, 0.2, 0.1] }
              nullable_sex: { gen: choice, values: [F, M], null_rate: 0.3 }
              first_by_nullable: { gen: first_name, sex: nullable_sex, null_rate: 0.1 }
              nullable_last: { gen: last_name, null_rate: 0.25 }
              email_from_nullables: { gen: email, first: first_by_nullable, last: nullable_last }
              nullable_day: { gen: date, min: 2000-01-01, max: 2000-12-31, null_rate: 0.5 }
              nullable_id: { gen: sequence, null_rate: 0.05 }
              ts_next: { gen: offset, from: ts, min: 30s, max: 2h }
              ts_after_next: { gen: offset, from: ts_next, dist: exponential, mean: 10m, max: 1d, precision: s }
              after_day: { gen: offset, from: day, min: 1h, max: 3d }
              after_nullable_day: { gen: offset, from: nullable_day, max: 1h }
              email_hash: { gen: sha256, of: email_from_columns }
              lat: { gen: float, min: 49.9, max: 58.7 }
              lon: { gen: float, min: -8.2, max: 1.8, null_rate: 0.1 }
              int_lat: { gen: int, min: -90, max: 90 }
              geohash8: { gen: geohash, lat: lat, lon: lon }
              geohash12: { gen: geohash, lat: int_lat, lon: lon, precision: 12 }
              point: { gen: wkt_point, lat: lat, lon: lon }
              nullable_last_hash: { gen: sha256, of: nullable_last }
        """;

    private static Dictionary<string, byte[]> Run(DoppelRecipe recipe, string format, bool columnar, int threads = 2)
    {
        var dir = TestRecipes.TempDir();
        recipe.WriteTo(dir, new RunOptions { Format = TableFormats.BuiltIn[format], Threads = threads, BatchSize = 512, Columnar = columnar });
        return Directory.GetFiles(dir).Where(p => !p.EndsWith("manifest.json", StringComparison.Ordinal)).ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);
    }

    private static void SameBothWays(DoppelRecipe recipe, string format)
    {
        var rows = Run(recipe, format, columnar: false);
        var columns = Run(recipe, format, columnar: true);
        columns.Keys.Should().BeEquivalentTo(rows.Keys);
        foreach (var (name, bytes) in rows)
        {
            columns[name].Should().Equal(bytes, $"{name} must not depend on the generation path");
        }
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public void Every_kernel_stores_what_its_generator_returns(string format)
    {
        var recipe = DoppelRecipe.Parse(EveryKernel, "every-kernel.recipe.yaml").WithSeed(11);
        recipe.Plan().Table("things").Columnar.Should().NotBeNull("every column of this table has a kernel");
        SameBothWays(recipe, format);
    }

    [Fact]
    public void The_person_pack_takes_the_columnar_path_and_matches_the_row_path()
    {
        var recipe = DoppelRecipe.FromPack("person").WithSeed(42).WithParam("rows", "5000");
        recipe.Plan().Table("person").Columnar.Should().NotBeNull();
        SameBothWays(recipe, "csv");
    }

    [Fact]
    public void Threads_and_batch_boundaries_do_not_change_columnar_output()
    {
        var recipe = DoppelRecipe.Parse(EveryKernel, "every-kernel.recipe.yaml").WithSeed(3);
        var one = Run(recipe, "csv", columnar: true, threads: 1);
        var dir = TestRecipes.TempDir();
        recipe.WriteTo(dir, new RunOptions { Threads = 4, BatchSize = 77 });
        File.ReadAllBytes(Path.Combine(dir, "things.csv")).Should().Equal(one["things.csv"]);
    }

    private const string Mixed = """
        doppel: 1
        params:
          domain: { type: string, default: "example.org" }
        tables:
          customers:
            rows: 2000
            columns:
              id: { gen: sequence, start: 1000 }
              first: { gen: first_name }
              last: { gen: last_name, null_rate: 0.1 }
              full_name: "first + ' ' + coalesce(last, '?')"
              handle: { expr: "lower(first) + '_' + str(id)", hidden: true }
              email: { gen: email, first: handle, last: last }
              score: "rand_int(1, 100)"
              tier: "score > 80 ? 'gold' : (score > 50 ? 'silver' : 'bronze')"
              joined: { gen: timestamp, min: 2024-01-01, max: 2026-01-01 }
              left_at: { gen: offset, from: joined, min: 1d, max: 400d, null_when: "tier == 'gold'" }
              home: { gen: ref, table: stores }
              home_city: home.city
              renewal: { gen: timestamp, between: [joined, "add_days(joined, 365)"] }
              site: "'https://' + domain"
          stores:
            rows: 40
            columns:
              store_id: { gen: sequence }
              city: { gen: city }
        """;

    [Theory]
    [InlineData("csv")]
    [InlineData("jsonl")]
    public void Columns_without_a_kernel_are_computed_row_by_row_inside_the_columnar_path(string format)
    {
        var recipe = DoppelRecipe.Parse(Mixed, "mixed.recipe.yaml").WithSeed(9);
        var plan = recipe.Plan();
        plan.Table("customers").Columnar.Should().NotBeNull("expressions, references and null_when are computed row by row inside it");
        plan.Table("customers").RowPathReason.Should().BeNull();
        SameBothWays(recipe, format);
    }

    [Fact]
    public void Fault_injection_keeps_a_table_on_the_row_path()
    {
        var yaml = """
            doppel: 1
            tables:
              t:
                rows: 50
                columns:
                  id: { gen: sequence }
                  n: { gen: int, min: 1, max: 9, invalid: { rate: 0.1 } }
            """;
        var table = DoppelRecipe.Parse(yaml).Plan().Table("t");
        table.Columnar.Should().BeNull("faults are listed in row order as the row path records them");
        table.RowPathReason.Should().Be("column n injects faults");
    }

    [Fact]
    public void Parent_and_child_tables_keep_the_row_path()
    {
        var yaml = """
            doppel: 1
            tables:
              parent:
                rows: 3
                columns:
                  id: { gen: sequence }
              child:
                parent: parent
                per_parent: 2
                columns:
                  n: { gen: int, min: 1, max: 3 }
            """;
        var plan = DoppelRecipe.Parse(yaml).Plan();
        plan.Table("parent").RowPathReason.Should().Be("has child tables");
        plan.Table("child").RowPathReason.Should().Be("a child of parent");
    }
}
