using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Doppel.Sinks.S3;

namespace Doppel.Testing;

/// <summary>
/// The s3rver + recorder pair started by <c>.ci/services/s3.sh</c>. DOPPEL_TEST_S3 names the recorder
/// endpoint (default http://127.0.0.1:4569). Every test makes its own bucket, so tests running in
/// parallel never see each other's objects, request records or injected faults; the buckets are
/// deleted when the fixture is disposed.
/// </summary>
/// <remarks>Not reachable → the constructor throws, naming the script to run (no silent skips).</remarks>
public sealed class S3TestServer : IAsyncLifetime, IDisposable
{
    /// <summary>s3rver's fixed access key (it accepts no other).</summary>
    public const string AccessKey = "S3RVER";

    /// <summary>s3rver's fixed secret key.</summary>
    public const string SecretKey = "S3RVER";

    /// <summary>A KMS key ARN; the recorder records it, s3rver ignores it.</summary>
    public const string KmsKeyId = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /// <summary>The environment variable naming the recorder endpoint.</summary>
    public const string EnvironmentVariable = "DOPPEL_TEST_S3";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static int _counter;
    private readonly HttpClient _http;
    private readonly ConcurrentBag<string> _buckets = [];

    public S3TestServer()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        Endpoint = new Uri(string.IsNullOrWhiteSpace(value) ? "http://127.0.0.1:4569" : value);
        _http = new HttpClient { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var health = _http.GetAsync(Relative("/__recorder/health")).GetAwaiter().GetResult();
            health.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            _http.Dispose();
            throw new InvalidOperationException(
                $"The S3 test server (s3rver behind tools/s3-recorder) is not reachable at {Endpoint}: {ex.Message}. Run .ci/services/s3.sh first (or set {EnvironmentVariable}).", ex);
        }

        Client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public Uri Endpoint { get; }

    /// <summary>An independent client for checking what landed in a bucket.</summary>
    public AmazonS3Client Client { get; }

    /// <summary>Publisher options for <paramref name="bucket"/> with SSE-KMS and fast retries.</summary>
    public S3PublisherOptions Options(string bucket) => new()
    {
        Bucket = bucket,
        Endpoint = Endpoint,
        Region = "us-east-1",
        KmsKeyId = KmsKeyId,
        Credentials = new S3Credentials(AccessKey, SecretKey),
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>
    /// The environment a user of the CLI (and of the NHS seed's upload script) would set, pointed at this server:
    /// AWS credentials, region and endpoint, plus S3_BUCKET and KMS_KEY_ID.
    /// </summary>
    public Dictionary<string, string?> Env(string bucket) => new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL_S3"] = Endpoint.ToString(),
        ["S3_BUCKET"] = bucket,
        ["KMS_KEY_ID"] = KmsKeyId,
    };

    /// <summary>Creates a bucket with a unique name (S3 naming rules: lower case, digits, '-').</summary>
    public async Task<string> CreateBucketAsync(string hint)
    {
        var name = $"t-{hint}-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-{DateTime.UtcNow:HHmmssfff}".ToLowerInvariant();
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        _buckets.Add(name);
        return name;
    }

    /// <summary>The keys in <paramref name="bucket"/>, in ordinal order.</summary>
    public async Task<List<string>> KeysAsync(string bucket)
    {
        var response = await Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<byte[]> GetBytesAsync(string bucket, string key)
    {
        using var response = await Client.GetObjectAsync(bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>Requests the recorder saw for <paramref name="bucket"/>, in arrival order.</summary>
    public async Task<List<RecordedRequest>> RequestsAsync(string bucket) =>
        await _http.GetFromJsonAsync<List<RecordedRequest>>(Relative($"/__recorder/requests?bucket={bucket}"), Json) ?? [];

    /// <summary>Adds a fault rule (tools/s3-recorder/recorder.js: bucket, method, key substring, action, status, code, times).</summary>
    public async Task AddFaultAsync(object rule)
    {
        using var response = await _http.PostAsJsonAsync(Relative("/__recorder/faults"), rule, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string bucket)
    {
        using var response = await _http.DeleteAsync(Relative($"/__recorder/faults?bucket={bucket}"));
        response.EnsureSuccessStatusCode();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Deletes the buckets this fixture made, so s3rver's data folder does not grow run after run.</summary>
    public async Task DisposeAsync()
    {
        foreach (var bucket in _buckets)
        {
            try
            {
                await ClearFaultsAsync(bucket);
                foreach (var key in await KeysAsync(bucket))
                {
                    await Client.DeleteObjectAsync(bucket, key);
                }

                await Client.DeleteBucketAsync(bucket);
            }
            catch (AmazonS3Exception)
            {
                // Best effort: a leftover test bucket is harmless.
            }
        }

        Dispose();
    }

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }

    private static Uri Relative(string pathAndQuery) => new(pathAndQuery, UriKind.Relative);
}

/// <summary>One request as the recorder saw it.</summary>
public sealed record RecordedRequest(
    string Op, string Method, string Path, string Query, string Bucket, string Key,
    string? Sse, string? SseKmsKeyId, string? ContentMd5, string? ContentSha256, string? ContentEncoding,
    long Bytes, int? Status, bool? Md5Ok, string? Fault);
