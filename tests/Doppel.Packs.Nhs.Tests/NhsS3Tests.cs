using System.Security.Cryptography;
using System.Text;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>Delivery to a real S3 implementation (s3rver behind the recording proxy): keys, bytes, SSE-KMS, order, cleanup, failures, reruns.</summary>
public sealed class NhsS3Tests(S3TestServer server) : IClassFixture<S3TestServer>
{
    private static readonly string[] Tiny =
    [
        "--set", "num_sft_files=1", "--set", "num_gp_files=3", "--set", "valid_nhs_per_file=40", "--set", "invalid_nhs_per_file=8",
    ];

    private static bool Uploaded(string rel) => rel.StartsWith("uploads/", StringComparison.Ordinal);

    [Fact]
    public async Task Upload_puts_every_data_and_checksum_file_under_its_key_with_the_local_bytes_and_sse_kms()
    {
        var bucket = await server.CreateBucketAsync("keep");
        var dir = NhsRun.TempDir();

        var r = await NhsRun.Cli(server.Env(bucket), ["generate", "nhs", "--out", dir, "--keep-local", .. Tiny]);

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().Contain($"uploaded 4 data files and 4 checksum files to s3://{bucket}/").And.Contain($"aws:kms key {S3TestServer.KmsKeyId}");
        var local = NhsRun.Hashes(dir, Uploaded);
        local.Should().HaveCount(8);
        (await server.KeysAsync(bucket)).Should().Equal(local.Keys, "only data and checksum files are uploaded, under the local layout");
        foreach (var key in local.Keys)
        {
            var body = await server.GetBytesAsync(bucket, key);
            Convert.ToHexStringLower(SHA256.HashData(body)).Should().Be(local[key], key);
            if (key.EndsWith(".sha256", StringComparison.Ordinal))
            {
                // The checksum object verifies the data object as stored.
                var line = Encoding.UTF8.GetString(body);
                var dataKey = key.Replace("/checksums/", "/files/", StringComparison.Ordinal)[..^".sha256".Length];
                line.Should().Be($"{local[dataKey]}  {Path.GetFileName(dataKey)}\n");
            }
        }

        var puts = (await server.RequestsAsync(bucket)).Where(q => q.Op == "PutObject").ToList();
        puts.Should().HaveCount(8);
        puts.Should().OnlyContain(q => q.Sse == "aws:kms" && q.SseKmsKeyId == S3TestServer.KmsKeyId && q.Md5Ok == true && q.Status == 200);
        foreach (var sidecar in puts.Where(q => q.Key.EndsWith(".sha256", StringComparison.Ordinal)))
        {
            var data = sidecar.Key.Replace("/checksums/", "/files/", StringComparison.Ordinal)[..^".sha256".Length];
            puts.FindIndex(q => q.Key == data).Should().BeLessThan(puts.IndexOf(sidecar), "a checksum object is sent only after its data object succeeded");
        }

        File.Exists(Path.Combine(dir, "manifest.json")).Should().BeTrue("--keep-local keeps everything");
    }

    [Fact]
    public async Task After_a_successful_upload_the_local_files_are_deleted_and_a_sink_prefix_is_prepended()
    {
        var bucket = await server.CreateBucketAsync("clean");
        var dir = NhsRun.TempDir();
        var env = server.Env("unused-bucket");
        env.Remove("AWS_ENDPOINT_URL_S3");

        var r = await NhsRun.Cli(env, ["generate", "nhs", "--out", dir, "--sink", $"s3://{bucket}/drop", "--s3-endpoint", server.Endpoint.ToString(), .. Tiny]);

        r.ExitCode.Should().Be(0, r.Stderr);
        r.Stdout.Should().Contain($"deleted 14 local files from {dir}");
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty("data, sidecars, index tables, faults and manifest are removed, with the folders they were in");
        var keys = await server.KeysAsync(bucket);
        keys.Should().HaveCount(8).And.OnlyContain(k => k.StartsWith("drop/uploads/", StringComparison.Ordinal));
        keys.Should().Contain("drop/uploads/registered-patient/checksums/gp_0003.csv.sha256");
    }

    [Fact]
    public async Task A_missing_bucket_fails_before_anything_is_generated()
    {
        var dir = NhsRun.TempDir();

        var r = await NhsRun.Cli(server.Env("nhs-no-such-bucket-here"), ["generate", "nhs", "--out", dir, .. Tiny]);

        r.ExitCode.Should().Be(3);
        r.Stderr.Trim().Should().StartWith("error: Bucket 'nhs-no-such-bucket-here' does not exist at").And.EndWith("nothing was generated or uploaded");
        r.Stderr.Trim().Split('\n').Should().ContainSingle();
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_one_actionable_line()
    {
        var dir = NhsRun.TempDir();

        var r = await NhsRun.Cli(server.Env("nhs-any"), ["generate", "nhs", "--out", dir, "--s3-endpoint", "http://127.0.0.1:1", .. Tiny]);

        r.ExitCode.Should().Be(3);
        r.Stderr.Should().Contain("Cannot reach S3 endpoint http://127.0.0.1:1").And.Contain("check --s3-endpoint / AWS_ENDPOINT_URL_S3");
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }

    [Fact]
    public async Task A_refused_kms_key_is_named_and_the_local_files_are_kept()
    {
        var bucket = await server.CreateBucketAsync("kms");
        await server.AddFaultAsync(new { bucket, method = "PUT", action = "status", status = 400, code = "KMS.NotFoundException", message = "Invalid keyId", times = 100 });
        var dir = NhsRun.TempDir();

        var r = await NhsRun.Cli(server.Env(bucket), ["generate", "nhs", "--out", dir, .. Tiny]);

        r.ExitCode.Should().Be(3);
        r.Stderr.Should().Contain($"KMS key '{S3TestServer.KmsKeyId}' was refused for bucket '{bucket}'").And.Contain($"The local files are kept in {dir}");
        NhsRun.Hashes(dir, Uploaded).Should().HaveCount(8);
        (await server.KeysAsync(bucket)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_upload_names_what_did_not_upload_keeps_the_files_and_a_rerun_completes_without_duplicates()
    {
        var bucket = await server.CreateBucketAsync("rerun");
        await server.AddFaultAsync(new { bucket, method = "PUT", key = "gp_0002.csv", action = "status", status = 403, code = "AccessDenied", message = "Access Denied", times = 100 });
        var dir = NhsRun.TempDir();
        string[] argv = ["generate", "nhs", "--out", dir, .. Tiny];

        var failed = await NhsRun.Cli(server.Env(bucket), argv);

        failed.ExitCode.Should().Be(3);
        failed.Stderr.Should().Contain("Access denied").And.Contain("uploads/registered-patient/files/gp_0002.csv")
            .And.Contain("not published").And.Contain($"The local files are kept in {dir}; rerun the same command");
        var local = NhsRun.Hashes(dir, Uploaded);
        local.Should().HaveCount(8, "nothing is deleted after a failure");
        var partial = await server.KeysAsync(bucket);
        partial.Should().NotContain("uploads/registered-patient/files/gp_0002.csv").And.NotContain("uploads/registered-patient/checksums/gp_0002.csv.sha256");
        // Objects already complete must not be sent again. (s3rver, unlike S3, can keep a truncated object
        // from a PUT cut off when the run stopped; the rerun must replace such an object.)
        var intact = new List<string>();
        foreach (var key in partial)
        {
            if (Convert.ToHexStringLower(SHA256.HashData(await server.GetBytesAsync(bucket, key))) == local[key])
            {
                intact.Add(key);
            }
        }


        await server.ClearFaultsAsync(bucket);
        var before = (await server.RequestsAsync(bucket)).Count;
        var rerun = await NhsRun.Cli(server.Env(bucket), argv);

        rerun.ExitCode.Should().Be(0, rerun.Stderr);
        (await server.KeysAsync(bucket)).Should().Equal(local.Keys);
        foreach (var key in local.Keys)
        {
            Convert.ToHexStringLower(SHA256.HashData(await server.GetBytesAsync(bucket, key))).Should().Be(local[key], "a rerun writes the same bytes under the same keys");
        }

        var rerunPuts = (await server.RequestsAsync(bucket)).Skip(before).Where(q => q.Op == "PutObject").Select(q => q.Key).ToList();
        rerunPuts.Should().BeEquivalentTo(local.Keys.Except(intact), "objects already there unchanged are skipped");
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }
}
