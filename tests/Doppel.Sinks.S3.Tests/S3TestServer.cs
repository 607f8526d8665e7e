using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Doppel.Output;

namespace Doppel.Sinks.S3.Tests;

/// <summary>
/// The s3rver + recorder pair started by .ci/services/s3.sh. DOPPEL_TEST_S3 names the recorder
/// endpoint (default http://127.0.0.1:4569). Every test makes its own bucket, so tests running in
/// parallel never see each other's objects, request records or faults.
/// </summary>
public sealed class S3TestServer : IAsyncLifetime, IDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";
    public const string KmsKeyId = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static int _counter;
    private readonly HttpClient _http;
    private readonly System.Collections.Concurrent.ConcurrentBag<string> _buckets = [];

    public S3TestServer()
    {
        var value = Environment.GetEnvironmentVariable("DOPPEL_TEST_S3");
        Endpoint = new Uri(string.IsNullOrWhiteSpace(value) ? "http://127.0.0.1:4569" : value);
        _http = new HttpClient { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            using var health = _http.GetAsync("/__recorder/health").GetAwaiter().GetResult();
            health.EnsureSuccessStatusCode();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new InvalidOperationException(
                $"The S3 test server (s3rver behind tools/s3-recorder) is not reachable at {Endpoint}: {ex.Message}. Run .ci/services/s3.sh first (or set DOPPEL_TEST_S3).", ex);
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

    /// <summary>An independent client for checking what landed in the bucket.</summary>
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

    /// <summary>Creates a bucket with a unique name (S3 naming rules: lower case, digits, '-').</summary>
    public async Task<string> CreateBucketAsync(string hint)
    {
        var name = $"t-{hint}-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-{DateTime.UtcNow:HHmmssfff}".ToLowerInvariant();
        name = name.Length > 63 ? name[..63].TrimEnd('-') : name;
        await Client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        _buckets.Add(name);
        return name;
    }

    public async Task<List<RecordedRequest>> RequestsAsync(string bucket) =>
        await _http.GetFromJsonAsync<List<RecordedRequest>>($"/__recorder/requests?bucket={bucket}", Json) ?? [];

    /// <summary>Adds a fault rule to the recorder; see tools/s3-recorder/recorder.js.</summary>
    public async Task AddFaultAsync(object rule)
    {
        using var response = await _http.PostAsJsonAsync("/__recorder/faults", rule, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(string bucket)
    {
        using var response = await _http.DeleteAsync($"/__recorder/faults?bucket={bucket}");
        response.EnsureSuccessStatusCode();
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
                    await Client.DeleteObjectAsync(bucket, key);
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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>One request as the recorder saw it.</summary>
public sealed record RecordedRequest(
    string Op, string Method, string Path, string Query, string Bucket, string Key,
    string? Sse, string? SseKmsKeyId, string? ContentMd5, string? ContentSha256, string? ContentEncoding,
    long Bytes, int? Status, bool? Md5Ok, string? Fault);

/// <summary>Local files to publish, in a temp folder removed on dispose.</summary>
public sealed class TempFiles : IDisposable
{
    public TempFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "doppel-s3-" + Guid.NewGuid().ToString("N"));

    /// <summary>A data file with deterministic pseudo-random bytes (a seeded xorshift, so failures reproduce).</summary>
    public PublishedFile Data(string key, long length, ulong seed = 1, string contentType = "text/csv")
    {
        var path = Path.Combine(Root, key.Replace('/', '_'));
        using (var stream = File.Create(path))
        {
            var buffer = new byte[1 << 16];
            var state = seed * 0x9E3779B97F4A7C15UL | 1;
            for (long written = 0; written < length; written += buffer.Length)
            {
                for (var i = 0; i < buffer.Length; i += 8)
                {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    BitConverter.TryWriteBytes(buffer.AsSpan(i), state);
                }
                stream.Write(buffer, 0, (int)Math.Min(buffer.Length, length - written));
            }
        }
        return new PublishedFile(path, key, contentType, Sha256Of(path));
    }

    /// <summary>A CSV data file from text.</summary>
    public PublishedFile Text(string key, string text)
    {
        var path = Path.Combine(Root, key.Replace('/', '_'));
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return new PublishedFile(path, key, "text/csv", Sha256Of(path));
    }

    /// <summary>The <c>sha256sum</c> sidecar of <paramref name="data"/>: "HEX␠␠NAME\n" (two spaces: text mode).</summary>
    public PublishedFile Sidecar(PublishedFile data, string key)
    {
        var path = Path.Combine(Root, key.Replace('/', '_'));
        File.WriteAllText(path, $"{data.Sha256Hex}  {Path.GetFileName(data.Key)}\n", new UTF8Encoding(false));
        return new PublishedFile(path, key, "text/plain", Sha256Of(path), ChecksumFor: data.Key);
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
