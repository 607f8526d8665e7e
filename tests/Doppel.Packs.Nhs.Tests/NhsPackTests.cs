using System.Diagnostics;

namespace Doppel.Packs.Nhs.Tests;

/// <summary><c>doppel generate nhs</c> to local files: layout, counts, overlap, consistency, checksums, determinism.</summary>
public sealed class NhsPackTests
{
    private static readonly string[] Kinds = ["bad_checksum", "check_digit_10", "wrong_length", "non_digit"];

    [Fact]
    public async Task Default_prefixes_lay_out_the_files_under_their_S3_keys()
    {
        var dir = await NhsRun.GenerateAsync(NhsRun.Small);

        NhsRun.Files(dir, NhsRun.SftFiles).Select(Path.GetFileName).Should().Equal("sft_0001.csv", "sft_0002.csv");
        NhsRun.Files(dir, NhsRun.SftChecksums).Select(Path.GetFileName).Should().Equal("sft_0001.csv.sha256", "sft_0002.csv.sha256");
        NhsRun.Files(dir, NhsRun.GpFiles).Select(Path.GetFileName).Should().Equal(Enumerable.Range(1, 5).Select(i => $"gp_000{i}.csv"));
        NhsRun.Files(dir, NhsRun.GpChecksums).Select(Path.GetFileName).Should().Equal(Enumerable.Range(1, 5).Select(i => $"gp_000{i}.csv.sha256"));
        File.ReadAllText(Path.Combine(dir, "gp_files.csv")).Should().Contain("1,uploads/registered-patient/files/gp_0001.csv,uploads/registered-patient/checksums/gp_0001.csv.sha256,50,12,15");
    }

    [Fact]
    public async Task Every_file_has_exactly_the_configured_valid_and_invalid_numbers_and_each_invalid_one_is_labelled()
    {
        var dir = await NhsRun.GenerateAsync(NhsRun.Small);
        var faults = NhsRun.Faults(dir);

        foreach (var (folder, table) in new[] { (NhsRun.SftFiles, "sft"), (NhsRun.GpFiles, "gp") })
        {
            long row = 0;
            foreach (var file in NhsRun.Files(dir, folder))
            {
                var rows = NhsRun.Read(file);
                rows.Should().HaveCount(62);
                rows.Count(r => r.IsValid).Should().Be(50, file);
                rows.Where(r => r.IsValid).Should().OnlyContain(r => r.NhsNumber.Length == 10 && r.NhsNumber.StartsWith("999", StringComparison.Ordinal));
                for (var i = 0; i < rows.Count; i++, row++)
                {
                    var labelled = faults.Where(f => f.Table == table && f.Row == row).ToList();
                    if (rows[i].IsValid)
                    {
                        labelled.Should().BeEmpty();
                    }
                    else
                    {
                        labelled.Should().ContainSingle().Which.Value.Should().Be(rows[i].NhsNumber);
                        labelled[0].Kind.Should().BeOneOf(Kinds);
                    }
                }
            }
        }

        faults.Should().HaveCount(7 * 12);
        faults.Select(f => f.Kind).Distinct().Should().BeEquivalentTo(Kinds, "every kind of §1.4 the pack names appears");
    }

    [Fact]
    public async Task The_overlap_ratio_holds_per_gp_file_and_no_number_repeats_where_it_should_not()
    {
        var dir = await NhsRun.GenerateAsync(NhsRun.Small);
        var sft = NhsRun.Files(dir, NhsRun.SftFiles).SelectMany(NhsRun.Read).Where(r => r.IsValid).Select(r => r.NhsNumber).ToList();
        sft.Should().OnlyHaveUniqueItems();
        var sftSet = sft.ToHashSet(StringComparer.Ordinal);
        var gpOnly = new List<string>();
        long overlapTotal = 0;
        foreach (var file in NhsRun.Files(dir, NhsRun.GpFiles))
        {
            var valid = NhsRun.Read(file).Where(r => r.IsValid).Select(r => r.NhsNumber).ToList();
            valid.Should().OnlyHaveUniqueItems();
            var overlap = valid.Count(sftSet.Contains);
            overlap.Should().Be(15, "0.3 × 50");
            overlapTotal += overlap;
            gpOnly.AddRange(valid.Where(n => !sftSet.Contains(n)));
        }

        overlapTotal.Should().Be(75);
        gpOnly.Should().HaveCount(5 * 35).And.OnlyHaveUniqueItems("GP-only numbers are disjoint from SFT and from each other");
    }

    [Fact]
    public async Task A_fractional_overlap_is_within_one_record_per_file_and_exact_in_total()
    {
        var dir = await NhsRun.GenerateAsync([.. NhsRun.Small, "--set", "gp_sft_overlap_ratio=0.17"]);
        var sftSet = NhsRun.Files(dir, NhsRun.SftFiles).SelectMany(NhsRun.Read).Where(r => r.IsValid).Select(r => r.NhsNumber).ToHashSet(StringComparer.Ordinal);
        var perFile = NhsRun.Files(dir, NhsRun.GpFiles).Select(f => NhsRun.Read(f).Count(r => r.IsValid && sftSet.Contains(r.NhsNumber))).ToList();

        perFile.Should().OnlyContain(n => n == 8 || n == 9, "0.17 × 50 = 8.5");
        perFile.Sum().Should().Be(42, "⌊0.17 × 50 × 5⌋");
    }

    [Fact]
    public async Task The_same_patient_has_the_same_name_birth_date_sex_and_postcode_in_both_families()
    {
        var dir = await NhsRun.GenerateAsync(NhsRun.Small);
        var sft = NhsRun.Files(dir, NhsRun.SftFiles).SelectMany(NhsRun.Read).Where(r => r.IsValid).ToDictionary(r => r.NhsNumber, StringComparer.Ordinal);
        var matched = 0;
        foreach (var row in NhsRun.Files(dir, NhsRun.GpFiles).SelectMany(NhsRun.Read).Where(r => r.IsValid))
        {
            if (sft.TryGetValue(row.NhsNumber, out var same))
            {
                row.Person.Should().Be(same.Person, row.NhsNumber);
                matched++;
            }
        }

        matched.Should().Be(75);
        sft.Values.Select(r => r.Sex).Distinct().Should().BeEquivalentTo(["F", "M"]);
        sft.Values.Should().OnlyContain(r => Domain.UkPostcode.IsValid(r.Postcode) && r.DateOfBirth.Length == 10 && string.CompareOrdinal(r.DateOfBirth, "1920-01-01") >= 0 && string.CompareOrdinal(r.DateOfBirth, "2024-12-31") <= 0);
    }

    [Fact]
    public async Task Sha256sum_accepts_every_checksum_file()
    {
        var dir = await NhsRun.GenerateAsync(NhsRun.Small);
        foreach (var (files, sums) in new[] { (NhsRun.SftFiles, NhsRun.SftChecksums), (NhsRun.GpFiles, NhsRun.GpChecksums) })
        {
            var sidecars = NhsRun.Files(dir, sums);
            var psi = new ProcessStartInfo("sha256sum") { WorkingDirectory = Path.Combine(dir, files), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("--strict");
            psi.ArgumentList.Add("-c");
            foreach (var s in sidecars)
            {
                psi.ArgumentList.Add(s);
            }

            using var p = Process.Start(psi)!;
            var output = await p.StandardOutput.ReadToEndAsync();
            var errors = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            p.ExitCode.Should().Be(0, output + errors);
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(sidecars.Count).And.OnlyContain(l => l.EndsWith(": OK", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Validate_with_expected_faults_passes_and_without_them_reports_the_invalid_numbers()
    {
        var dir = await NhsRun.GenerateAsync(NhsRun.Small);

        var expected = await NhsRun.Cli(null, ["validate", dir, "--pack", "nhs", "--expect-faults", .. NhsRun.Small]);
        expected.ExitCode.Should().Be(0, expected.Stdout);
        expected.Stdout.Should().Contain("PASSED").And.Contain("0 undetected");

        var strict = await NhsRun.Cli(null, "validate", dir, "--pack", "nhs");
        strict.ExitCode.Should().Be(1);
        strict.Stdout.Should().Contain("nhs_number");
    }

    [Fact]
    public async Task Output_is_byte_identical_for_any_thread_count()
    {
        var one = await NhsRun.GenerateAsync([.. NhsRun.Small, "--threads", "1", "--batch-size", "7"]);
        var four = await NhsRun.GenerateAsync([.. NhsRun.Small, "--threads", "4"]);

        NhsRun.Hashes(four).Should().Equal(NhsRun.Hashes(one));
    }

    [Fact]
    public async Task Shards_write_disjoint_files_identical_to_the_single_run()
    {
        var whole = await NhsRun.GenerateAsync(NhsRun.Small);
        var shard0 = await NhsRun.GenerateAsync([.. NhsRun.Small, "--shard", "0/2"]);
        var shard1 = await NhsRun.GenerateAsync([.. NhsRun.Small, "--shard", "1/2"]);
        static bool Uploads(string rel) => rel.StartsWith("uploads/", StringComparison.Ordinal);

        var a = NhsRun.Hashes(shard0, Uploads);
        var b = NhsRun.Hashes(shard1, Uploads);
        a.Keys.Intersect(b.Keys).Should().BeEmpty();
        a.Concat(b).OrderBy(x => x.Key, StringComparer.Ordinal).Should().Equal(NhsRun.Hashes(whole, Uploads));
    }

    [Fact]
    public async Task Sft_only_and_gp_only_modes_write_one_family_and_sft_files_match_the_full_run()
    {
        var all = await NhsRun.GenerateAsync(NhsRun.Small);
        var sft = await NhsRun.GenerateAsync([.. NhsRun.Small, "--mode", "sft"]);
        var gp = await NhsRun.GenerateAsync([.. NhsRun.Small, "--set", "mode=gp"]);

        Directory.Exists(Path.Combine(sft, "uploads/registered-patient")).Should().BeFalse();
        Directory.Exists(Path.Combine(gp, "uploads/overnight-stay")).Should().BeFalse();
        NhsRun.Hashes(sft, r => r.StartsWith("uploads/", StringComparison.Ordinal)).Should().Equal(NhsRun.Hashes(all, r => r.StartsWith("uploads/overnight-stay", StringComparison.Ordinal)));

        // GP alone: no SFT overlap; its numbers are also disjoint from an SFT-only run of the same seed.
        var sftNumbers = NhsRun.Files(sft, NhsRun.SftFiles).SelectMany(NhsRun.Read).Where(r => r.IsValid).Select(r => r.NhsNumber).ToHashSet(StringComparer.Ordinal);
        var gpNumbers = NhsRun.Files(gp, NhsRun.GpFiles).SelectMany(NhsRun.Read).Where(r => r.IsValid).Select(r => r.NhsNumber).ToList();
        gpNumbers.Should().HaveCount(250).And.OnlyHaveUniqueItems();
        gpNumbers.Should().NotContain(sftNumbers);
    }

    [Fact]
    public async Task Configuration_precedence_is_cli_then_environment_then_config_file_then_default()
    {
        var config = Path.Combine(NhsRun.TempDir(), "nhs.env");
        await File.WriteAllLinesAsync(config, ["# the seed's variables", "NUM_SFT_FILES=1", "export NUM_GP_FILES=4", "VALID_NHS_PER_FILE=10", "INVALID_NHS_PER_FILE=2", "GP_FILES_PREFIX=\"from-file/gp/\""]);
        var env = new Dictionary<string, string?> { ["NUM_GP_FILES"] = "3", ["GP_CHECKSUMS_PREFIX"] = "from-env/sums/" };
        var dir = NhsRun.TempDir();

        var r = await NhsRun.Cli(env, "generate", "nhs", "--out", dir, "--quiet", "--config", config, "--set", "num_gp_files=2");
        r.ExitCode.Should().Be(0, r.Stderr);

        NhsRun.Files(dir, "from-file/gp").Select(Path.GetFileName).Should().Equal("gp_0001.csv", "gp_0002.csv");
        NhsRun.Files(dir, "from-env/sums").Should().HaveCount(2);
        NhsRun.Read(NhsRun.Files(dir, "from-file/gp")[0]).Should().HaveCount(12);
        NhsRun.Files(dir, NhsRun.SftFiles).Should().HaveCount(1);

        var fromEnv = NhsRun.TempDir();
        (await NhsRun.Cli(env, "generate", "nhs", "--out", fromEnv, "--quiet", "--config", config)).ExitCode.Should().Be(0);
        NhsRun.Files(fromEnv, "from-file/gp").Should().HaveCount(3, "NUM_GP_FILES from the environment beats the config file");
    }

    [Fact]
    public async Task Local_tmp_dir_is_where_files_go_without_out()
    {
        var dir = NhsRun.TempDir();
        var r = await NhsRun.Cli(new Dictionary<string, string?> { ["LOCAL_TMP_DIR"] = dir }, ["generate", "nhs", "--quiet", .. NhsRun.Small]);

        r.ExitCode.Should().Be(0, r.Stderr);
        NhsRun.Files(dir, NhsRun.GpFiles).Should().HaveCount(5);
    }

    [Fact]
    public async Task No_upload_ignores_s3_bucket_and_keeps_the_files()
    {
        var dir = NhsRun.TempDir();
        var env = new Dictionary<string, string?> { ["S3_BUCKET"] = "nhs-never-contacted", ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:1" };

        var r = await NhsRun.Cli(env, ["generate", "nhs", "--out", dir, "--no-upload", .. NhsRun.Small]);

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().NotContain("uploaded");
        NhsRun.Files(dir, NhsRun.GpFiles).Should().HaveCount(5);
    }

    [Fact]
    public async Task Dry_run_shows_files_keys_and_encryption_and_writes_nothing()
    {
        var dir = NhsRun.TempDir();
        var r = await NhsRun.Cli(
            new Dictionary<string, string?> { ["KMS_KEY_ID"] = "alias/nhs-test", ["AWS_REGION"] = "eu-west-2" },
            ["generate", "nhs", "--out", dir, "--dry-run", "--sink", "s3://nhs-bucket/drop/", .. NhsRun.Small]);

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().Contain("s3://nhs-bucket/drop/uploads/overnight-stay/files/sft_0001.csv")
            .And.Contain("s3://nhs-bucket/drop/uploads/registered-patient/checksums/gp_0005.csv.sha256")
            .And.Contain("SSE aws:kms, key alias/nhs-test")
            .And.Contain("5 files × 62 rows (50 valid + 12 invalid")
            .And.Contain("15 also in SFT")
            .And.Contain("dry run: nothing was written or uploaded");
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }

    [Theory]
    [InlineData(new[] { "--set", "gp_sft_overlap_ratio=0.5", "--set", "num_sft_files=0" }, "NUM_SFT_FILES=0")]
    [InlineData(new[] { "--set", "num_gp_files=2000" }, "nhs_range=england or any")]
    [InlineData(new[] { "--set", "mode=both" }, "must be one of all, sft, gp")]
    [InlineData(new[] { "--format", "jsonl" }, "plain CSV")]
    [InlineData(new[] { "--set", "gp_files_prefix=/abs/" }, "GP_FILES_PREFIX '/abs/' must be a relative key prefix")]
    [InlineData(new[] { "--sink", "postgres://localhost/x" }, "--sink takes s3://BUCKET/optional/prefix/")]
    [InlineData(new[] { "--set", "gp_sft_overlap_ratio=1.5" }, "gp_sft_overlap_ratio")]
    [InlineData(new[] { "--rows", "gp_files=30" }, "not --rows")]
    [InlineData(new[] { "--no-upload", "--sink", "s3://b-b-b/" }, "contradict")]
    [InlineData(new[] { "--sink", "s3://b-b-b/", "--s3-endpoint", "ftp://x" }, "--s3-endpoint 'ftp://x' is not an absolute http(s) URL")]
    public async Task Bad_configuration_is_a_one_line_usage_error_and_writes_nothing(string[] args, string message)
    {
        var dir = NhsRun.TempDir();
        var r = await NhsRun.Cli(null, ["generate", "nhs", "--out", dir, .. args]);

        r.ExitCode.Should().Be(2, r.Stdout + r.Stderr);
        r.Stderr.Should().Contain(message);
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }
}
