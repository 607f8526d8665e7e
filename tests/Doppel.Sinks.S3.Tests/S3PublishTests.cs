using System.Text;
using System.Text.RegularExpressions;
using Doppel.Output;

namespace Doppel.Sinks.S3.Tests;

/// <summary>Happy paths against real s3rver (via the recorder): keys, bytes, sidecars, SSE headers, reruns.</summary>
public sealed class S3PublishTests(S3TestServer server) : IClassFixture<S3TestServer>, IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>The seed's shape: GP and SFT CSVs, each with a sha256sum sidecar under a checksums prefix.</summary>
    private List<PublishedFile> NhsLikeBatch()
    {
        var batch = new List<PublishedFile>();
        foreach (var (folder, count) in new[] { ("registered-patient", 3), ("overnight-stay", 1) })
        {
            for (var n = 1; n <= count; n++)
            {
                var csv = new StringBuilder("nhs_number\n");
                for (var row = 0; row < 500; row++)
                    csv.Append((9434765919L + (row * 7) + n).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
                var data = _files.Text($"uploads/{folder}/files/{folder}_{n:D3}.csv", csv.ToString());
                batch.Add(data);
                batch.Add(_files.Sidecar(data, $"uploads/{folder}/checksums/{folder}_{n:D3}.csv.sha256"));
            }
        }
        return batch;
    }

    [Fact]
    public async Task Publishing_puts_every_file_under_the_prefix_with_identical_bytes()
    {
        var bucket = await server.CreateBucketAsync("keys");
        var files = NhsLikeBatch();
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { KeyPrefix = "run-1/" });

        var report = await publisher.PublishAsync(files, CancellationToken.None);

        report.Succeeded.Should().BeTrue();
        report.Published.Should().Equal(files.Select(f => "run-1/" + f.Key), "the report lists keys in input order");
        (await server.KeysAsync(bucket)).Should().BeEquivalentTo(files.Select(f => "run-1/" + f.Key));
        foreach (var file in files)
            (await server.GetBytesAsync(bucket, "run-1/" + file.Key)).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath), file.Key);
        publisher.LastRun!.Uploaded.Should().HaveCount(files.Count);
        publisher.LastRun.BytesUploaded.Should().Be(files.Sum(f => new FileInfo(f.LocalPath).Length));
    }

    [Fact]
    public async Task Checksum_objects_are_in_sha256sum_format_and_match_the_uploaded_data()
    {
        var bucket = await server.CreateBucketAsync("sums");
        var files = NhsLikeBatch();
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        await publisher.PublishAsync(files, CancellationToken.None);

        foreach (var sidecar in files.Where(f => f.ChecksumFor is not null))
        {
            var text = Encoding.UTF8.GetString(await server.GetBytesAsync(bucket, sidecar.Key));
            var match = Regex.Match(text, "^([0-9a-f]{64})  (\\S+)\n$");
            match.Success.Should().BeTrue($"'{text}' should be one sha256sum line");
            var data = await server.GetBytesAsync(bucket, sidecar.ChecksumFor!);
            match.Groups[1].Value.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)));
            match.Groups[2].Value.Should().Be(Path.GetFileName(sidecar.ChecksumFor));
        }
    }

    [Fact]
    public async Task Every_write_carries_sse_kms_headers_and_a_matching_content_md5()
    {
        var bucket = await server.CreateBucketAsync("sse");
        var files = NhsLikeBatch();
        files.Add(_files.Data("big/large.bin", (11 * S3PublisherOptions.MiB) + 123, seed: 7, contentType: "application/octet-stream"));
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { MultipartThresholdBytes = 6 * S3PublisherOptions.MiB, PartSize = 5 * S3PublisherOptions.MiB });

        await publisher.PublishAsync(files, CancellationToken.None);

        var requests = await server.RequestsAsync(bucket);
        var creates = requests.Where(r => r.Op is "PutObject" or "CreateMultipartUpload").ToList();
        creates.Should().HaveCount(files.Count, "one PutObject per small file, one CreateMultipartUpload for the large one");
        creates.Should().OnlyContain(r => r.Sse == "aws:kms" && r.SseKmsKeyId == S3TestServer.KmsKeyId);
        var bodies = requests.Where(r => r.Op is "PutObject" or "UploadPart").ToList();
        bodies.Should().HaveCount(files.Count - 1 + 3);
        bodies.Should().OnlyContain(r => r.Md5Ok == true, "Content-MD5 must be sent and match the bytes");
        bodies.Should().OnlyContain(r => r.ContentEncoding == null || !r.ContentEncoding.Contains("aws-chunked"), "no aws-chunked bodies");
        bodies.Should().OnlyContain(r => Regex.IsMatch(r.ContentSha256 ?? "", "^[0-9a-f]{64}$"), "plain signed payloads, no streaming signature");
    }

    [Fact]
    public async Task A_sidecar_is_written_only_after_its_data_object()
    {
        var bucket = await server.CreateBucketAsync("order");
        var files = NhsLikeBatch();
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Concurrency = 8 });

        await publisher.PublishAsync(files, CancellationToken.None);

        var requests = await server.RequestsAsync(bucket);
        foreach (var sidecar in files.Where(f => f.ChecksumFor is not null))
        {
            var dataAt = requests.FindIndex(r => r.Op == "PutObject" && r.Key == sidecar.ChecksumFor && r.Status == 200);
            var sidecarAt = requests.FindIndex(r => r.Op == "PutObject" && r.Key == sidecar.Key);
            dataAt.Should().BeGreaterThanOrEqualTo(0);
            sidecarAt.Should().BeGreaterThan(dataAt, $"{sidecar.Key} must follow {sidecar.ChecksumFor}");
        }
    }

    [Fact]
    public async Task Rerun_skips_unchanged_objects_and_keeps_the_same_keys_and_bytes()
    {
        var bucket = await server.CreateBucketAsync("rerun");
        var files = NhsLikeBatch();
        files.Add(_files.Data("big/large.bin", 7 * S3PublisherOptions.MiB, seed: 3));
        var options = server.Options(bucket) with { MultipartThresholdBytes = 6 * S3PublisherOptions.MiB, PartSize = 5 * S3PublisherOptions.MiB };
        await using (var first = new S3FilePublisher(options))
            await first.PublishAsync(files, CancellationToken.None);
        var writesBefore = (await server.RequestsAsync(bucket)).Count(r => r.Op is "PutObject" or "CreateMultipartUpload");

        await using var second = new S3FilePublisher(options);
        var report = await second.PublishAsync(files, CancellationToken.None);

        report.Published.Should().Equal(files.Select(f => f.Key));
        second.LastRun!.SkippedUnchanged.Should().Equal(files.Select(f => f.Key));
        second.LastRun.Uploaded.Should().BeEmpty();
        (await server.RequestsAsync(bucket)).Count(r => r.Op is "PutObject" or "CreateMultipartUpload").Should().Be(writesBefore, "nothing is rewritten");
        (await server.KeysAsync(bucket)).Should().BeEquivalentTo(files.Select(f => f.Key));
        foreach (var file in files)
            (await server.GetBytesAsync(bucket, file.Key)).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
    }

    [Fact]
    public async Task Rerun_without_skipping_overwrites_in_place_without_duplicates()
    {
        var bucket = await server.CreateBucketAsync("overwrite");
        var files = NhsLikeBatch();
        var options = server.Options(bucket) with { SkipUnchanged = false };
        await using (var first = new S3FilePublisher(options))
            await first.PublishAsync(files, CancellationToken.None);

        await using var second = new S3FilePublisher(options);
        await second.PublishAsync(files, CancellationToken.None);

        second.LastRun!.Uploaded.Should().HaveCount(files.Count);
        (await server.RequestsAsync(bucket)).Count(r => r.Op == "HeadObject").Should().Be(0, "no HEAD when skipping is off");
        (await server.KeysAsync(bucket)).Should().BeEquivalentTo(files.Select(f => f.Key));
    }

    [Fact]
    public async Task A_changed_file_is_uploaded_again_on_rerun()
    {
        var bucket = await server.CreateBucketAsync("changed");
        var before = _files.Text("a.csv", "id\n1\n");
        await using (var first = new S3FilePublisher(server.Options(bucket)))
            await first.PublishAsync([before], CancellationToken.None);

        var after = _files.Text("a.csv", "id\n2\n");
        await using var second = new S3FilePublisher(server.Options(bucket));
        await second.PublishAsync([after], CancellationToken.None);

        second.LastRun!.Uploaded.Should().Equal("a.csv");
        Encoding.UTF8.GetString(await server.GetBytesAsync(bucket, "a.csv")).Should().Be("id\n2\n");
    }

    [Fact]
    public async Task Aes256_and_none_send_the_matching_header_or_none()
    {
        var bucket = await server.CreateBucketAsync("aes");
        var file = _files.Text("a.csv", "id\n1\n");
        await using (var aes = new S3FilePublisher(server.Options(bucket) with { KmsKeyId = null, ServerSideEncryption = S3ServerSideEncryption.Aes256, SkipUnchanged = false }))
            await aes.PublishAsync([file], CancellationToken.None);
        await using (var none = new S3FilePublisher(server.Options(bucket) with { KmsKeyId = null, SkipUnchanged = false }))
            await none.PublishAsync([file], CancellationToken.None);

        var puts = (await server.RequestsAsync(bucket)).Where(r => r.Op == "PutObject").ToList();
        puts.Select(p => (p.Sse, p.SseKmsKeyId)).Should().Equal(("AES256", null), (null, null));
    }

    [Fact]
    public async Task Preflight_passes_for_an_existing_bucket()
    {
        var bucket = await server.CreateBucketAsync("preflight");
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        await publisher.Invoking(p => p.ValidateAsync(CancellationToken.None).AsTask()).Should().NotThrowAsync();
        publisher.Describe().Should().Be($"s3://{bucket}/ at {server.Endpoint.ToString().TrimEnd('/')} (aws:kms key {S3TestServer.KmsKeyId})");
    }

    [Fact]
    public async Task An_empty_file_is_published_as_an_empty_object()
    {
        var bucket = await server.CreateBucketAsync("empty");
        var file = _files.Text("empty.csv", "");

        await using var publisher = new S3FilePublisher(server.Options(bucket) with { MultipartThresholdBytes = 0 });
        await publisher.PublishAsync([file], CancellationToken.None);

        (await server.GetBytesAsync(bucket, "empty.csv")).Should().BeEmpty();
    }

    [Fact]
    public async Task Preflight_accepts_a_write_only_role_that_may_not_list_the_bucket()
    {
        var bucket = await server.CreateBucketAsync("writeonly");
        await server.AddFaultAsync(new { bucket, method = "HEAD", key = "", action = "status", status = 403, code = "AccessDenied", times = 1 });
        await server.AddFaultAsync(new { bucket, method = "GET", key = "", action = "status", status = 403, code = "AccessDenied", message = "Access Denied", times = 1 });
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        await publisher.Invoking(p => p.ValidateAsync(CancellationToken.None).AsTask()).Should().NotThrowAsync();
        (await server.RequestsAsync(bucket)).Select(r => r.Op).Should().Equal("CreateBucket", "HeadBucket", "ListObjects");
    }

    [Fact]
    public async Task Keys_with_spaces_plus_signs_and_non_ascii_letters_round_trip()
    {
        var bucket = await server.CreateBucketAsync("names");
        var file = _files.Text("data/Zoë file+1 (copy).csv", "id\n1\n");
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { KeyPrefix = "é/x y/" });

        await publisher.PublishAsync([file], CancellationToken.None);

        (await server.KeysAsync(bucket)).Should().Equal("é/x y/data/Zoë file+1 (copy).csv");
        (await server.GetBytesAsync(bucket, "é/x y/data/Zoë file+1 (copy).csv")).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
    }
}
