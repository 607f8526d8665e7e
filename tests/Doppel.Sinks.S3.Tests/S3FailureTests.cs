namespace Doppel.Sinks.S3.Tests;

/// <summary>Error paths: every failure is one actionable line that names what was and was not published.</summary>
public sealed class S3FailureTests(S3TestServer server) : IClassFixture<S3TestServer>, IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string EndpointText => server.Endpoint.ToString().TrimEnd('/');

    [Fact]
    public async Task Preflight_of_a_missing_bucket_fails_fast_with_the_fix()
    {
        await using var publisher = new S3FilePublisher(server.Options("no-such-bucket-doppel"));

        var act = () => publisher.ValidateAsync(CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<DoppelException>()).Which;
        error.Message.Should().Be($"Bucket 'no-such-bucket-doppel' does not exist at {EndpointText}; create it or set S3_BUCKET");
        error.ExitCode.Should().Be(ExitCodes.RuntimeError);
    }

    [Fact]
    public async Task Publishing_to_a_missing_bucket_names_the_bucket_and_what_was_not_published()
    {
        var files = new[] { _files.Text("a.csv", "id\n1\n"), _files.Text("b.csv", "id\n2\n") };
        await using var publisher = new S3FilePublisher(server.Options("no-such-bucket-doppel") with { Concurrency = 1 });

        var act = () => publisher.PublishAsync(files, CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<S3PublishException>()).Which;
        error.Message.Should().Be(
            $"Bucket 'no-such-bucket-doppel' does not exist at {EndpointText}; create it or set S3_BUCKET. " +
            "Publishing to s3://no-such-bucket-doppel/ stopped; nothing was published; not published (2): a.csv, b.csv");
        error.Report.Published.Should().BeEmpty();
        error.Report.Failed.Select(f => f.Key).Should().Equal("a.csv", "b.csv");
        error.Report.Failed[1].Reason.Should().Be("not attempted: publishing stopped after an earlier failure");
    }

    [Fact]
    public async Task An_unreachable_endpoint_says_connection_refused_and_where_to_fix_it()
    {
        var options = server.Options("bucket-x") with { Endpoint = new Uri("http://127.0.0.1:1"), MaxRetries = 1 };
        await using var publisher = new S3FilePublisher(options);

        var preflight = () => publisher.ValidateAsync(CancellationToken.None).AsTask();
        var publish = () => publisher.PublishAsync([_files.Text("a.csv", "id\n")], CancellationToken.None).AsTask();

        (await preflight.Should().ThrowAsync<DoppelException>()).Which.Message
            .Should().Be("Cannot reach S3 endpoint http://127.0.0.1:1: connection refused (after 2 attempts); check --s3-endpoint / AWS_ENDPOINT_URL_S3");
        (await publish.Should().ThrowAsync<S3PublishException>()).Which.Message
            .Should().StartWith("Cannot reach S3 endpoint http://127.0.0.1:1: connection refused (after 2 attempts); check --s3-endpoint / AWS_ENDPOINT_URL_S3. Publishing");
    }

    [Fact]
    public async Task An_unknown_access_key_is_reported_as_bad_credentials()
    {
        var bucket = await server.CreateBucketAsync("creds");
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Credentials = new S3Credentials("AKIANOTAREALKEY00000", "secret") });

        var preflight = () => publisher.ValidateAsync(CancellationToken.None).AsTask();
        var publish = () => publisher.PublishAsync([_files.Text("a.csv", "id\n")], CancellationToken.None).AsTask();

        const string Expected = "does not know access key id AKIA…0000 (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID / AWS_PROFILE";
        (await preflight.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be($"S3 at {EndpointText} {Expected}");
        (await publish.Should().ThrowAsync<S3PublishException>()).Which.Message.Should().StartWith($"S3 at {EndpointText} {Expected}");
    }

    [Fact]
    public async Task A_wrong_secret_is_reported_as_a_signature_mismatch()
    {
        // s3rver checks access key ids but not SigV4 signatures, so the recorder answers as AWS would.
        var bucket = await server.CreateBucketAsync("secret");
        await server.AddFaultAsync(new
        {
            bucket,
            action = "status",
            status = 403,
            code = "SignatureDoesNotMatch",
            message = "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            times = 10,
        });
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Credentials = new S3Credentials(S3TestServer.AccessKey, "not-the-secret") });

        var publish = () => publisher.PublishAsync([_files.Text("a.csv", "id\n")], CancellationToken.None).AsTask();

        (await publish.Should().ThrowAsync<S3PublishException>()).Which.Message.Should().StartWith(
            $"S3 at {EndpointText} rejected the request signature for access key id S3…"
            + " (SignatureDoesNotMatch); check AWS_SECRET_ACCESS_KEY");
    }

    [Fact]
    public async Task A_refused_kms_key_is_named_and_not_retried()
    {
        var bucket = await server.CreateBucketAsync("kms");
        await server.AddFaultAsync(new
        {
            bucket,
            method = "PUT",
            action = "status",
            status = 400,
            code = "KMS.NotFoundException",
            message = $"Invalid keyId {S3TestServer.KmsKeyId}",
            times = 10,
        });
        var data = _files.Text("a.csv", "id\n1\n");
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        var act = () => publisher.PublishAsync([data, _files.Sidecar(data, "a.csv.sha256")], CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<S3PublishException>()).Which;
        error.Message.Should().StartWith($"KMS key '{S3TestServer.KmsKeyId}' was refused for bucket '{bucket}' (KMS.NotFoundException: Invalid keyId {S3TestServer.KmsKeyId}); check the key id or ARN");
        error.Report.Failed.Should().Contain(("a.csv.sha256", "not published because its data file 'a.csv' failed"));
        var requests = await server.RequestsAsync(bucket);
        requests.Count(r => r.Op == "PutObject").Should().Be(1, "a KMS refusal is not transient, and the sidecar is not attempted");
    }

    [Fact]
    public async Task After_a_failure_the_report_lists_the_published_keys_and_the_rest()
    {
        var bucket = await server.CreateBucketAsync("partial");
        var first = _files.Text("a.csv", "id\n1\n");
        var second = _files.Text("b.csv", "id\n2\n");
        await server.AddFaultAsync(new { bucket, method = "PUT", key = "b.csv", action = "status", status = 403, code = "AccessDenied", message = "Access Denied", times = 10 });
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Concurrency = 1 });

        var act = () => publisher.PublishAsync([first, _files.Sidecar(first, "a.csv.sha256"), second, _files.Sidecar(second, "b.csv.sha256")], CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<S3PublishException>()).Which;
        error.Report.Published.Should().Equal("a.csv", "a.csv.sha256");
        error.Report.Failed.Select(f => f.Key).Should().Equal("b.csv", "b.csv.sha256");
        error.Message.Should().EndWith("published 2 of 4: a.csv, a.csv.sha256; not published (2): b.csv, b.csv.sha256");
        (await server.KeysAsync(bucket)).Should().Equal("a.csv", "a.csv.sha256");
    }

    [Fact]
    public async Task A_file_that_changed_after_generation_is_refused_before_upload()
    {
        var bucket = await server.CreateBucketAsync("tamper");
        var file = _files.Text("a.csv", "id\n1\n");
        await File.AppendAllTextAsync(file.LocalPath, "2\n");
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        var act = () => publisher.PublishAsync([file], CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<S3PublishException>()).Which.Message.Should().Match(
            $"Local file '{file.LocalPath}' for key 'a.csv' has SHA-256 *, not the recorded {file.Sha256Hex}; it changed after generation, regenerate it.*");
        (await server.KeysAsync(bucket)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_missing_local_file_is_named()
    {
        var bucket = await server.CreateBucketAsync("missing");
        var file = new Doppel.Output.PublishedFile(Path.Combine(_files.Root, "nope.csv"), "nope.csv", "text/csv", new string('0', 64));
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        var act = () => publisher.PublishAsync([file], CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<S3PublishException>()).Which.Message.Should().StartWith($"Cannot read local file '{file.LocalPath}' for key 'nope.csv': ");
    }

    [Fact]
    public async Task Duplicate_and_malformed_keys_are_usage_errors_before_anything_is_sent()
    {
        var bucket = await server.CreateBucketAsync("dupes");
        var file = _files.Text("a.csv", "id\n");
        await using var publisher = new S3FilePublisher(server.Options(bucket));

        var twice = () => publisher.PublishAsync([file, file], CancellationToken.None).AsTask();
        var slash = () => publisher.PublishAsync([file with { Key = "/a.csv" }], CancellationToken.None).AsTask();

        (await twice.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be("Key 'a.csv' is published twice in one run; every file needs its own key");
        (await slash.Should().ThrowAsync<DoppelException>()).Which.ExitCode.Should().Be(ExitCodes.UsageError);
        (await server.RequestsAsync(bucket)).Should().OnlyContain(r => r.Op == "CreateBucket", "nothing but the test's own bucket creation");
    }
}
