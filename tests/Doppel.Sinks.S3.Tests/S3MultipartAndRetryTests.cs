using Amazon.S3;
using Amazon.S3.Model;

namespace Doppel.Sinks.S3.Tests;

/// <summary>Multipart uploads, aborts and retries, with faults injected by the recorder proxy.</summary>
public sealed class S3MultipartAndRetryTests(S3TestServer server) : IClassFixture<S3TestServer>, IDisposable
{
    private const long MiB = S3PublisherOptions.MiB;
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private S3PublisherOptions SmallParts(string bucket) =>
        server.Options(bucket) with { MultipartThresholdBytes = 6 * MiB, PartSize = 5 * MiB };

    private async Task<List<MultipartUpload>> OpenUploadsAsync(string bucket) =>
        (await server.Client.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? [];

    [Fact]
    public async Task A_file_above_the_threshold_goes_up_in_parts_and_reassembles_exactly()
    {
        var bucket = await server.CreateBucketAsync("multi");
        var file = _files.Data("big.bin", (40 * MiB) + 4321, seed: 11);
        await using var publisher = new S3FilePublisher(SmallParts(bucket));

        await publisher.PublishAsync([file], CancellationToken.None);

        var requests = await server.RequestsAsync(bucket);
        requests.Count(r => r.Op == "CreateMultipartUpload").Should().Be(1);
        var parts = requests.Where(r => r.Op == "UploadPart").ToList();
        parts.Should().HaveCount(9, "40 MiB + 4321 bytes in 5 MiB parts");
        parts.Sum(p => p.Bytes).Should().Be((40 * MiB) + 4321);
        requests.Should().ContainSingle(r => r.Op == "CompleteMultipartUpload" && r.Status == 200);
        requests.Should().NotContain(r => r.Op == "PutObject");
        (await server.GetBytesAsync(bucket, "big.bin")).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
        var head = await server.Client.GetObjectMetadataAsync(bucket, "big.bin");
        head.Metadata["sha256"].Should().Be(file.Sha256Hex);
        (await OpenUploadsAsync(bucket)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_part_that_keeps_failing_aborts_the_upload_and_leaves_nothing_visible()
    {
        var bucket = await server.CreateBucketAsync("abort");
        var file = _files.Data("big.bin", 16 * MiB, seed: 12);
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=2&", action = "reset", afterBytes = 64 * 1024, times = 100 });
        await using var publisher = new S3FilePublisher(SmallParts(bucket) with { MaxRetries = 2 });

        var act = () => publisher.PublishAsync([file], CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<S3PublishException>()).Which;
        error.Message.Should().StartWith($"Connection to S3 endpoint {server.Endpoint.ToString().TrimEnd('/')} dropped during S3 UploadPart of 'big.bin': connection")
            .And.Contain("(after 3 attempts); check the network, any proxy, and the endpoint's health.");
        error.Message.Should().EndWith($"Publishing to s3://{bucket}/ stopped; nothing was published; not published (1): big.bin");
        error.Report.Failed.Should().ContainSingle(f => f.Key == "big.bin");
        var requests = await server.RequestsAsync(bucket);
        requests.Count(r => r.Op == "UploadPart" && r.Query.StartsWith("partNumber=2&", StringComparison.Ordinal)).Should().Be(3, "one try and two retries");
        requests.Should().ContainSingle(r => r.Op == "AbortMultipartUpload" && r.Status == 204);
        requests.Should().NotContain(r => r.Op == "CompleteMultipartUpload");
        (await OpenUploadsAsync(bucket)).Should().BeEmpty("the upload was aborted");
        (await server.KeysAsync(bucket)).Should().BeEmpty("no partial object is visible");
    }

    [Fact]
    public async Task A_client_error_on_a_part_is_not_retried_and_aborts()
    {
        var bucket = await server.CreateBucketAsync("abort4xx");
        var file = _files.Data("big.bin", 12 * MiB, seed: 13);
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=3&", action = "status", status = 403, code = "AccessDenied", message = "Access Denied", times = 10 });
        await using var publisher = new S3FilePublisher(SmallParts(bucket));

        var act = () => publisher.PublishAsync([file], CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<S3PublishException>()).Which.Message
            .Should().StartWith($"Access denied: S3 UploadPart of 'big.bin' at {server.Endpoint.ToString().TrimEnd('/')} (AccessDenied: Access Denied)");
        var requests = await server.RequestsAsync(bucket);
        requests.Count(r => r.Op == "UploadPart" && r.Query.StartsWith("partNumber=3&", StringComparison.Ordinal)).Should().Be(1);
        requests.Should().ContainSingle(r => r.Op == "AbortMultipartUpload" && r.Status == 204);
        (await OpenUploadsAsync(bucket)).Should().BeEmpty();
        (await server.KeysAsync(bucket)).Should().BeEmpty();
    }

    [Fact]
    public async Task Cancelling_mid_upload_aborts_the_multipart_upload()
    {
        var bucket = await server.CreateBucketAsync("cancel");
        var file = _files.Data("big.bin", 30 * MiB, seed: 14);
        using var cancel = new CancellationTokenSource();
        // Part 1 keeps being throttled, so the upload is still open when the test cancels.
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=1&", action = "status", status = 503, code = "SlowDown", times = 1000 });
        await using var publisher = new S3FilePublisher(SmallParts(bucket) with { MaxRetries = 20, RetryBaseDelay = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(50) });

        var run = publisher.PublishAsync([file], cancel.Token).AsTask();
        for (var i = 0; i < 100 && !(await server.RequestsAsync(bucket)).Any(r => r.Op == "UploadPart"); i++)
            await Task.Delay(50);
        await cancel.CancelAsync();

        await run.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
        (await server.RequestsAsync(bucket)).Should().ContainSingle(r => r.Op == "AbortMultipartUpload" && r.Status == 204);
        (await OpenUploadsAsync(bucket)).Should().BeEmpty();
        (await server.KeysAsync(bucket)).Should().BeEmpty();
    }

    [Fact]
    public async Task Transient_500s_are_retried_until_the_put_succeeds()
    {
        var bucket = await server.CreateBucketAsync("retry");
        var file = _files.Text("a.csv", "id\n1\n2\n");
        await server.AddFaultAsync(new { bucket, method = "PUT", key = "a.csv", action = "status", status = 500, code = "InternalError", times = 2 });
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        var report = await publisher.PublishAsync([file], CancellationToken.None);

        report.Succeeded.Should().BeTrue();
        publisher.LastRun!.Retries.Should().Be(2);
        var puts = (await server.RequestsAsync(bucket)).Where(r => r.Op == "PutObject").ToList();
        puts.Select(p => p.Status).Should().Equal(500, 500, 200);
        puts.Should().OnlyContain(p => p.Sse == "aws:kms", "retries carry the SSE headers too");
        (await server.GetBytesAsync(bucket, "a.csv")).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
    }

    [Fact]
    public async Task Throttling_resets_and_corrupted_parts_are_retried_within_a_multipart_upload()
    {
        var bucket = await server.CreateBucketAsync("retrymp");
        var file = _files.Data("big.bin", 16 * MiB, seed: 15);
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=1&", action = "status", status = 503, code = "SlowDown", times = 1 });
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=2&", action = "reset", afterBytes = 100_000, times = 1 });
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=3&", action = "corrupt", times = 1 });
        await server.AddFaultAsync(new { bucket, method = "POST", query = "uploadId=", action = "status", status = 500, times = 1 });
        await using var publisher = new S3FilePublisher(SmallParts(bucket));

        await publisher.PublishAsync([file], CancellationToken.None);

        publisher.LastRun!.Retries.Should().Be(4);
        (await server.GetBytesAsync(bucket, "big.bin")).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
        var requests = await server.RequestsAsync(bucket);
        requests.Where(r => r.Fault is not null).Select(r => r.Fault).Should().BeEquivalentTo(["status", "reset", "corrupt", "status"]);
        (await OpenUploadsAsync(bucket)).Should().BeEmpty();
    }

    [Fact]
    public async Task Retries_give_up_after_max_retries_and_name_the_attempts()
    {
        var bucket = await server.CreateBucketAsync("giveup");
        var file = _files.Text("a.csv", "id\n1\n");
        await server.AddFaultAsync(new { bucket, method = "PUT", key = "a.csv", action = "status", status = 503, code = "ServiceUnavailable", message = "Please reduce your request rate.", times = 100 });
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { MaxRetries = 3 });

        var act = () => publisher.PublishAsync([file], CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<S3PublishException>()).Which.Message.Should().StartWith(
            $"S3 PutObject of 'a.csv' failed at {server.Endpoint.ToString().TrimEnd('/')} (after 4 attempts): 503 ServiceUnavailable: Please reduce your request rate.");
        (await server.RequestsAsync(bucket)).Count(r => r.Op == "PutObject").Should().Be(4);
    }

    [Fact]
    public async Task A_lost_complete_response_is_recognised_as_success_on_retry()
    {
        var bucket = await server.CreateBucketAsync("lostack");
        var file = _files.Data("big.bin", 11 * MiB, seed: 16);
        await server.AddFaultAsync(new { bucket, method = "POST", query = "uploadId=", action = "drop-response", times = 1 });
        await using var publisher = new S3FilePublisher(SmallParts(bucket));

        await publisher.PublishAsync([file], CancellationToken.None);

        var requests = await server.RequestsAsync(bucket);
        requests.Where(r => r.Op == "CompleteMultipartUpload").Select(r => r.Status).Should().Equal(200, 404);
        requests.Should().NotContain(r => r.Op == "AbortMultipartUpload");
        (await server.GetBytesAsync(bucket, "big.bin")).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
    }

    [Fact]
    public async Task A_request_that_never_answers_times_out_and_is_retried()
    {
        var bucket = await server.CreateBucketAsync("hang");
        var file = _files.Text("a.csv", "id\n1\n");
        await server.AddFaultAsync(new { bucket, method = "PUT", key = "a.csv", action = "hang", times = 1 });
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { RequestTimeout = TimeSpan.FromSeconds(1) });

        await publisher.PublishAsync([file], CancellationToken.None);

        publisher.LastRun!.Retries.Should().Be(1);
        (await server.GetBytesAsync(bucket, "a.csv")).Should().Equal(await File.ReadAllBytesAsync(file.LocalPath));
    }

    [Fact]
    public async Task A_request_that_never_answers_fails_with_a_timeout_message_after_the_retries()
    {
        var bucket = await server.CreateBucketAsync("hang2");
        await server.AddFaultAsync(new { bucket, method = "PUT", key = "a.csv", action = "hang", times = 10 });
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { RequestTimeout = TimeSpan.FromSeconds(1), MaxRetries = 1 });

        var act = () => publisher.PublishAsync([_files.Text("a.csv", "id\n")], CancellationToken.None).AsTask();

        var err = (await act.Should().ThrowAsync<S3PublishException>()).Which;
        err.Message.Should().StartWith(
            $"S3 PutObject of 'a.csv' timed out after 1 s at {server.Endpoint.ToString().TrimEnd('/')} (after 2 attempts); the endpoint is too slow or unreachable, check --s3-endpoint / AWS_ENDPOINT_URL_S3");
    }

    [Fact]
    public async Task Concurrency_of_one_still_completes_several_multipart_and_single_uploads()
    {
        var bucket = await server.CreateBucketAsync("serial");
        var files = new[] { _files.Data("one.bin", 11 * MiB, seed: 21), _files.Text("small.csv", "id\n1\n"), _files.Data("two.bin", 11 * MiB, seed: 22) };
        await server.AddFaultAsync(new { bucket, method = "PUT", query = "partNumber=2&", action = "status", status = 500, times = 1 });
        await using var publisher = new S3FilePublisher(SmallParts(bucket) with { Concurrency = 1 });

        var run = publisher.PublishAsync(files, CancellationToken.None).AsTask();

        (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)))).Should().BeSameAs(run, "one request slot must not deadlock");
        (await run).Published.Should().Equal("one.bin", "small.csv", "two.bin");
        (await server.KeysAsync(bucket)).Should().Equal("one.bin", "small.csv", "two.bin");
    }
}
