using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;
using Doppel.Output;

namespace Doppel.Sinks.S3;

/// <summary>
/// Publishes finished files to an S3 bucket (or an S3-compatible store): one PUT per small file, a
/// multipart upload per large one, SSE headers and Content-MD5 on every write, retries with backoff
/// for transient failures, checksum sidecars only after their data file.
/// </summary>
/// <remarks>
/// <para>Failure semantics: the first non-transient failure (or a transient one that outlasts
/// <see cref="S3PublisherOptions.MaxRetries"/>) stops the run; in-flight multipart uploads are aborted,
/// so no partial object is ever visible (a single PUT is atomic in S3). The thrown
/// <see cref="S3PublishException"/> names the keys published and not published.</para>
/// <para>Reruns are idempotent: same keys, same bytes. With <see cref="S3PublisherOptions.SkipUnchanged"/>
/// an object whose size and <c>x-amz-meta-sha256</c> already match is not sent again.</para>
/// <para>Client settings for S3-compatible stores (see docs/sinks/s3.md): AWSSDK.S3 4.x by default adds
/// CRC32 checksums as <c>aws-chunked</c> trailers, which s3rver and older MinIO/Ceph builds store
/// verbatim or reject. We ask for checksums only where an operation requires them
/// (<c>WHEN_REQUIRED</c>), send plain (non-chunked) signed bodies, and protect every object and part
/// with an explicit Content-MD5, which every S3 implementation accepts and AWS verifies.</para>
/// </remarks>
public sealed partial class S3FilePublisher : IFilePublisher
{
    private const string Sha256MetadataKey = "sha256";
    private const int MaxParts = 10_000;

    private readonly S3PublisherOptions _options;
    private readonly AmazonS3Client _client;
    private readonly SemaphoreSlim _requestSlots;
    private readonly S3RequestContext _context;
    private int _retries;

    /// <summary>Creates the publisher and its S3 client; nothing is sent until a call.</summary>
    /// <exception cref="DoppelException">The options are invalid (exit code 2).</exception>
    public S3FilePublisher(S3PublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var region = options.Region ?? EnvRegion() ?? ProfileRegion() ?? "us-east-1";
        // S3-compatible stores use free-form region names ("garage", "minio"); AWS ones look like eu-west-2.
        if (options.Endpoint is null && !AwsRegionPattern().IsMatch(region))
            throw new DoppelException($"AWS region '{region}' is not valid (expected a name like eu-west-2); check AWS_REGION", ExitCodes.UsageError);
        var endpointText = options.Endpoint is { } e ? e.GetLeftPart(UriPartial.Path).TrimEnd('/') : $"https://s3.{region}.amazonaws.com";

        var config = new AmazonS3Config
        {
            // s3rver and other S3-compatible stores mishandle the SDK 4 default CRC32 trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            ForcePathStyle = options.EffectiveForcePathStyle,
            // We retry ourselves (classification in S3Errors, counted, with backoff); the SDK's own
            // retries, including its silent resend on a reset pooled connection, would multiply ours.
            MaxErrorRetry = 0,
            MaxStaleConnectionRetries = 0,
            Timeout = options.RequestTimeout,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, options.RequestTimeout.TotalSeconds)),
            // Only our options pick the endpoint, not AWS_ENDPOINT_URL* read again behind our back.
            IgnoreConfiguredEndpointUrls = true,
        };
        if (options.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _client = options.Credentials switch
        {
            { SessionToken: { } token } c => new AmazonS3Client(new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, token), config),
            { } c => new AmazonS3Client(new BasicAWSCredentials(c.AccessKeyId, c.SecretAccessKey), config),
            null => new AmazonS3Client(config), // the standard AWS credential chain
        };
        _requestSlots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var accessKeyId = options.Credentials?.AccessKeyId ?? Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        _context = new S3RequestContext(options.Bucket, endpointText, region, options.KmsKeyId, accessKeyId, options.RequestTimeout);
    }

    /// <summary>The validated options.</summary>
    public S3PublisherOptions Options => _options;

    /// <summary>Counters of the last <see cref="PublishAsync"/> run; null before the first.</summary>
    public S3PublishStatistics? LastRun { get; private set; }

    /// <inheritdoc />
    public string Describe()
    {
        var sse = S3PublisherOptions.EncryptionHeader(_options.EffectiveEncryption) ?? "no SSE header";
        var key = _options.KmsKeyId is { } k ? $" key {k}" : "";
        return $"{_options.DestinationUri} at {_context.EndpointText} ({sse}{key})";
    }

    /// <summary>
    /// Preflight before generation: HEAD the bucket so a missing bucket, wrong region, bad credentials
    /// or an unreachable endpoint fail fast. A 403 is then told apart by a one-key listing: bad
    /// credentials fail, while a role that may write but not list passes (the first PUT decides).
    /// The KMS key cannot be checked without writing; the first PUT reports a refused key.
    /// </summary>
    /// <exception cref="DoppelException">The bucket is not usable (exit code 3).</exception>
    public async ValueTask ValidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync("HeadBucket", null, ct => _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _options.Bucket }, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (DoppelException ex) when (ex.InnerException is AmazonServiceException { StatusCode: System.Net.HttpStatusCode.Forbidden or System.Net.HttpStatusCode.BadRequest })
        {
            // HEAD responses carry no error code; a listing does (InvalidAccessKeyId vs AccessDenied).
            try
            {
                var list = new ListObjectsV2Request { BucketName = _options.Bucket, MaxKeys = 1, Prefix = _options.KeyPrefix };
                await SendAsync("ListObjectsV2", null, ct => _client.ListObjectsV2Async(list, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (DoppelException listError) when (listError.InnerException is AmazonServiceException { ErrorCode: "AccessDenied" })
            {
                // Valid credentials without s3:ListBucket: a write-only role. Not an error here.
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<PublishReport> PublishAsync(IReadOnlyList<PublishedFile> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        CheckKeys(files);
        var clock = Stopwatch.StartNew();
        _retries = 0;
        var run = new RunState();

        var dataKeys = files.Where(f => f.ChecksumFor is null).Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var sidecars = files.Where(f => f.ChecksumFor is not null && dataKeys.Contains(f.ChecksumFor))
            .ToLookup(f => f.ChecksumFor!, StringComparer.Ordinal);
        var dataFiles = files.Where(f => f.ChecksumFor is null).ToList();
        // A sidecar whose data file is not in this batch (published earlier) goes last.
        var orphans = files.Where(f => f.ChecksumFor is not null && !dataKeys.Contains(f.ChecksumFor)).ToList();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = stop.Token };
        try
        {
            await Parallel.ForEachAsync(dataFiles, parallel, async (file, ct) =>
            {
                if (!await TryPublishAsync(file, run, stop, ct).ConfigureAwait(false))
                {
                    foreach (var sidecar in sidecars[file.Key])
                        run.Failed.TryAdd(sidecar.Key, $"not published because its data file '{file.Key}' failed");
                    return;
                }
                // The checksum sidecar only after its data object is in place.
                foreach (var sidecar in sidecars[file.Key])
                    await TryPublishAsync(sidecar, run, stop, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            if (run.FirstError is null)
            {
                await Parallel.ForEachAsync(orphans, parallel, async (file, ct) =>
                    await TryPublishAsync(file, run, stop, ct).ConfigureAwait(false)).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (run.FirstError is not null && !cancellationToken.IsCancellationRequested)
        {
            // Stopped by our own first failure: the report below tells what happened.
        }

        LastRun = new S3PublishStatistics(
            Ordered(files, run.Uploaded), Ordered(files, run.Skipped), _retries, Interlocked.Read(ref run.Bytes), clock.Elapsed);
        cancellationToken.ThrowIfCancellationRequested();

        var published = files.Where(f => run.Published.ContainsKey(f.Key)).Select(f => Full(f.Key)).ToList();
        var failed = files.Where(f => !run.Published.ContainsKey(f.Key))
            .Select(f => (Full(f.Key), run.Failed.TryGetValue(f.Key, out var reason) ? reason : "not attempted: publishing stopped after an earlier failure"))
            .ToList();
        var report = new PublishReport(published, failed);
        if (run.FirstError is { } first)
            throw new S3PublishException(Summary(first.Message, report, files.Count), first.ExitCode, report, first);
        return report;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _requestSlots.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class RunState
    {
        public readonly ConcurrentDictionary<string, bool> Published = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, string> Failed = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, bool> Uploaded = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, bool> Skipped = new(StringComparer.Ordinal);
        public long Bytes;
        private DoppelException? _firstError;

        public DoppelException? FirstError => Volatile.Read(ref _firstError);

        public void Fail(DoppelException error) => Interlocked.CompareExchange(ref _firstError, error, null);
    }

    private async ValueTask<bool> TryPublishAsync(PublishedFile file, RunState run, CancellationTokenSource stop, CancellationToken ct)
    {
        try
        {
            var outcome = await PublishOneAsync(file, ct).ConfigureAwait(false);
            run.Published.TryAdd(file.Key, true);
            if (outcome < 0)
            {
                run.Skipped.TryAdd(file.Key, true);
            }
            else
            {
                run.Uploaded.TryAdd(file.Key, true);
                Interlocked.Add(ref run.Bytes, outcome);
            }
            return true;
        }
        catch (Exception ex) when (ct.IsCancellationRequested && ex is OperationCanceledException or DoppelException)
        {
            // Stopped by the caller or by another file's failure; whatever this file was doing is moot.
            run.Failed.TryAdd(file.Key, "not completed: publishing stopped (any multipart upload was aborted)");
            return false;
        }
        catch (DoppelException ex)
        {
            run.Failed.TryAdd(file.Key, ex.Message);
            run.Fail(ex);
            await stop.CancelAsync().ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>Publishes one file; returns the bytes sent, or -1 when skipped as unchanged.</summary>
    private async Task<long> PublishOneAsync(PublishedFile file, CancellationToken ct)
    {
        var key = Full(file.Key);
        long length;
        try
        {
            length = new FileInfo(file.LocalPath).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw LocalFileError(file, ex);
        }

        if (_options.SkipUnchanged && await IsUnchangedAsync(key, length, file.Sha256Hex, ct).ConfigureAwait(false))
            return -1;

        var partSize = PartSizeFor(length);
        var multipart = length > _options.MultipartThresholdBytes || length > S3PublisherOptions.MaxSinglePutSize;
        var digest = await FileDigest.ComputeAsync(file, multipart ? partSize : long.MaxValue, ct).ConfigureAwait(false);
        if (multipart)
            await UploadMultipartAsync(file, key, digest, partSize, ct).ConfigureAwait(false);
        else
            await PutSingleAsync(file, key, digest, ct).ConfigureAwait(false);
        return length;
    }

    private async Task PutSingleAsync(PublishedFile file, string key, FileDigest digest, CancellationToken ct)
    {
        await SendAsync("PutObject", key, c =>
        {
            var request = new PutObjectRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                FilePath = file.LocalPath,
                ContentType = file.ContentType,
                MD5Digest = digest.PartMd5Base64[0],
                UseChunkEncoding = false, // plain signed body: S3-compatible stores mishandle aws-chunked
                ServerSideEncryptionMethod = SseMethod,
                ServerSideEncryptionKeyManagementServiceKeyId = SseKmsKeyId,
            };
            request.Metadata.Add(Sha256MetadataKey, digest.Sha256Hex);
            return _client.PutObjectAsync(request, c);
        }, ct).ConfigureAwait(false);
    }

    private async Task UploadMultipartAsync(PublishedFile file, string key, FileDigest digest, long partSize, CancellationToken ct)
    {
        var create = new InitiateMultipartUploadRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            ContentType = file.ContentType,
            ServerSideEncryptionMethod = SseMethod,
            ServerSideEncryptionKeyManagementServiceKeyId = SseKmsKeyId,
        };
        create.Metadata.Add(Sha256MetadataKey, digest.Sha256Hex);
        var uploadId = (await SendAsync("CreateMultipartUpload", key, c => _client.InitiateMultipartUploadAsync(create, c), ct).ConfigureAwait(false)).UploadId;

        try
        {
            var partCount = digest.PartMd5Base64.Count;
            var etags = new PartETag[partCount];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = ct };
            await Parallel.ForEachAsync(Enumerable.Range(0, partCount), parallel, async (index, pct) =>
            {
                var position = index * partSize;
                var size = Math.Min(partSize, digest.Length - position);
                var response = await SendAsync("UploadPart", key, c => _client.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = index + 1,
                    FilePath = file.LocalPath,
                    FilePosition = position,
                    PartSize = size,
                    IsLastPart = index == partCount - 1,
                    MD5Digest = digest.PartMd5Base64[index],
                    UseChunkEncoding = false,
                }, c), pct).ConfigureAwait(false);
                etags[index] = new PartETag(index + 1, response.ETag);
            }).ConfigureAwait(false);

            var complete = new CompleteMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = uploadId, PartETags = [.. etags] };
            try
            {
                await SendAsync("CompleteMultipartUpload", key, c => _client.CompleteMultipartUploadAsync(complete, c), ct).ConfigureAwait(false);
            }
            catch (DoppelException ex) when (ex.InnerException is AmazonS3Exception { ErrorCode: "NoSuchUpload" })
            {
                // A retried Complete finds no upload when an earlier attempt succeeded but its response
                // was lost; then the object is in place. Otherwise the upload is gone: fail.
                if (!await IsUnchangedAsync(key, digest.Length, digest.Sha256Hex, ct).ConfigureAwait(false))
                    throw;
            }
        }
        catch (Exception ex)
        {
            var abortProblem = await AbortAsync(key, uploadId).ConfigureAwait(false);
            if (abortProblem is null || ex is OperationCanceledException)
                throw;
            throw new DoppelException($"{ex.Message}; also, {abortProblem}", ExitCodes.RuntimeError, ex);
        }
    }

    /// <summary>Aborts an upload so its parts are dropped; returns a problem description, or null when done.</summary>
    private async Task<string?> AbortAsync(string key, string uploadId)
    {
        // Not the caller's token: an abort must run even when the run is being cancelled.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(30, _options.RequestTimeout.TotalSeconds)));
        try
        {
            var request = new AbortMultipartUploadRequest { BucketName = _options.Bucket, Key = key, UploadId = uploadId };
            await SendAsync("AbortMultipartUpload", key, c => _client.AbortMultipartUploadAsync(request, c), timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is DoppelException or OperationCanceledException)
        {
            return $"multipart upload {uploadId} of '{key}' could not be aborted ({ex.Message}); abort it or let a lifecycle rule (AbortIncompleteMultipartUpload) remove its parts";
        }
    }

    /// <summary>HEAD the key: true when it already holds these bytes with a compatible encryption.</summary>
    private async Task<bool> IsUnchangedAsync(string key, long length, string sha256Hex, CancellationToken ct)
    {
        GetObjectMetadataResponse head;
        try
        {
            head = await SendAsync("HeadObject", key, c => _client.GetObjectMetadataAsync(_options.Bucket, key, c), ct).ConfigureAwait(false);
        }
        catch (DoppelException ex) when (ex.InnerException is AmazonServiceException { StatusCode: System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Forbidden } s
            && s.ErrorCode != "NoSuchBucket")
        {
            return false; // absent, or not readable by a write-only role: upload
        }
        if (head.ContentLength != length || !string.Equals(head.Metadata[Sha256MetadataKey], sha256Hex, StringComparison.OrdinalIgnoreCase))
            return false;
        // Re-encrypt when the store reports a different encryption; s3rver reports none and is trusted.
        var reported = head.ServerSideEncryptionMethod?.Value;
        if (string.IsNullOrEmpty(reported) || reported == "None")
            return true;
        if (!string.Equals(reported, S3PublisherOptions.EncryptionHeader(_options.EffectiveEncryption), StringComparison.OrdinalIgnoreCase))
            return false;
        var reportedKey = head.ServerSideEncryptionKeyManagementServiceKeyId;
        return _options.KmsKeyId is null || string.IsNullOrEmpty(reportedKey) || reportedKey.EndsWith(_options.KmsKeyId, StringComparison.Ordinal);
    }

    /// <summary>One S3 call with bounded concurrency and retries; failures become a one-line <see cref="DoppelException"/>.</summary>
    private async Task<T> SendAsync<T>(string operation, string? key, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _requestSlots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt <= _options.MaxRetries && S3Errors.IsTransient(ex, ct))
            {
                Interlocked.Increment(ref _retries);
            }
            catch (Exception ex) when (ex is not DoppelException && !(ex is OperationCanceledException && ct.IsCancellationRequested))
            {
                throw new DoppelException(S3Errors.Describe(ex, _context, operation, key, attempt), ExitCodes.RuntimeError, ex);
            }
            finally
            {
                _requestSlots.Release();
            }
            await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half the capped delay fixed, half random.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var capped = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        // Jitter only spreads retry timing; it never reaches generated data, so Random.Shared is fine here.
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    /// <summary>
    /// The SSE method PutObject and CreateMultipartUpload send (both take the same pair of headers); null sends
    /// no header, so the bucket's default encryption applies.
    /// </summary>
    private ServerSideEncryptionMethod? SseMethod => _options.EffectiveEncryption switch
    {
        S3ServerSideEncryption.AwsKms => ServerSideEncryptionMethod.AWSKMS,
        S3ServerSideEncryption.Aes256 => ServerSideEncryptionMethod.AES256,
        _ => null,
    };

    /// <summary>The KMS key id sent with SSE-KMS (null otherwise: the header is left out).</summary>
    private string? SseKmsKeyId => _options.EffectiveEncryption == S3ServerSideEncryption.AwsKms ? _options.KmsKeyId : null;

    /// <summary>The configured part size, grown to whole MiB when the file would need more than 10,000 parts.</summary>
    internal long PartSizeFor(long length)
    {
        var size = _options.PartSize;
        if (length > size * MaxParts)
        {
            var needed = (length + MaxParts - 1) / MaxParts;
            size = (needed + S3PublisherOptions.MiB - 1) / S3PublisherOptions.MiB * S3PublisherOptions.MiB;
        }
        return size;
    }

    private void CheckKeys(IReadOnlyList<PublishedFile> files)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            if (string.IsNullOrEmpty(f.Key) || f.Key.StartsWith('/') || f.Key.EndsWith('/'))
                throw new DoppelException($"Cannot publish '{f.LocalPath}' as key '{f.Key}': a key must be non-empty and not start or end with '/'", ExitCodes.UsageError);
            if (Encoding.UTF8.GetByteCount(Full(f.Key)) > 1024)
                throw new DoppelException($"S3 key '{Full(f.Key)}' is longer than 1024 UTF-8 bytes; shorten the key prefix or the file name", ExitCodes.UsageError);
            if (!seen.Add(f.Key))
                throw new DoppelException($"Key '{f.Key}' is published twice in one run; every file needs its own key", ExitCodes.UsageError);
        }
    }

    private string Full(string key) => _options.KeyPrefix + key;

    private List<string> Ordered(IReadOnlyList<PublishedFile> files, ConcurrentDictionary<string, bool> set) =>
        files.Where(f => set.ContainsKey(f.Key)).Select(f => Full(f.Key)).ToList();

    private string Summary(string firstError, PublishReport report, int total)
    {
        static string List(IEnumerable<string> keys, int count) =>
            string.Join(", ", keys.Take(5)) + (count > 5 ? string.Create(CultureInfo.InvariantCulture, $" and {count - 5} more") : "");
        var published = report.Published.Count == 0
            ? "nothing was published"
            : string.Create(CultureInfo.InvariantCulture, $"published {report.Published.Count} of {total}: {List(report.Published, report.Published.Count)}");
        var missing = string.Create(CultureInfo.InvariantCulture, $"not published ({report.Failed.Count}): {List(report.Failed.Select(f => f.Key), report.Failed.Count)}");
        return $"{firstError}. Publishing to {_options.DestinationUri} stopped; {published}; {missing}";
    }

    internal static DoppelException LocalFileError(PublishedFile file, Exception ex) =>
        new($"Cannot read local file '{file.LocalPath}' for key '{file.Key}': {S3Errors.OneLine(ex.Message)}", ExitCodes.RuntimeError, ex);

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex AwsRegionPattern();

    private static string? EnvRegion() =>
        Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } r ? r
        : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d : null;

    private static string? ProfileRegion()
    {
        // The region part of the AWS chain that needs no network: AWS_PROFILE (or default) in ~/.aws/config.
        try
        {
            var name = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
            return new CredentialProfileStoreChain().TryGetProfile(name, out var profile) ? profile.Region?.SystemName : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
