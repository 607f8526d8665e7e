using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Doppel.Packs.Nhs.Tests;

/// <summary>
/// The s3rver + recorder pair of <c>.ci/services/s3.sh</c>, at DOPPEL_TEST_S3 (default
/// http://127.0.0.1:4569). Each test makes its own bucket, so tests never see each other's objects,
/// requests or injected faults; buckets are deleted afterwards.
/// </summary>
public sealed class NhsS3Server : IAsyncLifetime, IDisposable
{
    public const string KmsKeyId = "arn:aws:kms:eu-west-2:111122223333:key/nhs-test-key";
    private const string AccessKey = "S3RVER";

    private static int _counter;
    private readonly HttpClient _http;
    private readonly List<string> _buckets = [];

    public NhsS3Server()
    {
        var value = Environment.GetEnvironmentVariable("DOPPEL_TEST_S3");
        Endpoint = new Uri(string.IsNullOrWhiteSpace(value) ? "http://127.0.0.1:4569" : value);
        _http = new HttpClient { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var health = _http.GetAsync(new Uri("/__recorder/health", UriKind.Relative)).GetAwaiter().GetResult();
            health.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException($"The S3 test server (s3rver behind tools/s3-recorder) is not reachable at {Endpoint}: {ex.Message}. Run .ci/services/s3.sh first (or set DOPPEL_TEST_S3).", ex);
        }

        Client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, AccessKey), new AmazonS3Config
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public Uri Endpoint { get; }

    public AmazonS3Client Client { get; }

    /// <summary>The environment a user of the seed's script would set, pointed at the test server.</summary>
    public Dictionary<string, string?> Env(string bucket) => new(StringComparer.Ordinal)
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = AccessKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ENDPOINT_URL_S3"] = Endpoint.ToString(),
        ["S3_BUCKET"] = bucket,
        ["KMS_KEY_ID"] = KmsKeyId,
    };

    public async Task<string> CreateBucketAsync(string hint)
    {
        var name = $"nhs-{hint}-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-{DateTime.UtcNow:HHmmssfff}".ToLowerInvariant();
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        lock (_buckets)
        {
            _buckets.Add(name);
        }

        return name;
    }

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

    /// <summary>Requests the recorder saw for a bucket, in arrival order.</summary>
    public async Task<List<Recorded>> RequestsAsync(string bucket) =>
        await _http.GetFromJsonAsync<List<Recorded>>(new Uri($"/__recorder/requests?bucket={bucket}", UriKind.Relative), Json) ?? [];

    /// <summary>Adds a fault rule (tools/s3-recorder/recorder.js: bucket, method, key substring, action, status, code, times).</summary>
    public async Task AddFaultAsync(object rule)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/__recorder/faults", UriKind.Relative), rule, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string bucket)
    {
        using var response = await _http.DeleteAsync(new Uri($"/__recorder/faults?bucket={bucket}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    public Task InitializeAsync() => Task.CompletedTask;

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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>One request as the recorder logged it.</summary>
public sealed record Recorded(string Op, string Method, string Key, string? Sse, string? SseKmsKeyId, bool? Md5Ok, int? Status, string? Fault);
