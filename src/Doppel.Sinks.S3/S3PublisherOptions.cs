using System.Globalization;

namespace Doppel.Sinks.S3;

/// <summary>Server-side encryption requested on every object written.</summary>
public enum S3ServerSideEncryption
{
    /// <summary>No encryption header (the bucket's default encryption still applies on AWS).</summary>
    None,

    /// <summary><c>x-amz-server-side-encryption: AES256</c> (SSE-S3).</summary>
    Aes256,

    /// <summary><c>x-amz-server-side-encryption: aws:kms</c> (SSE-KMS), with the key id when given.</summary>
    AwsKms,
}

/// <summary>Explicit static credentials; without them the standard AWS credential chain is used.</summary>
/// <remarks><see cref="ToString"/> masks the secrets so options can be logged.</remarks>
public sealed record S3Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    public override string ToString() => $"S3Credentials {{ AccessKeyId = {S3Errors.MaskKeyId(AccessKeyId)} }}";
}

/// <summary>Where and how <see cref="S3FilePublisher"/> writes objects.</summary>
/// <remarks>
/// <para>Object key = <see cref="KeyPrefix"/> + <c>PublishedFile.Key</c>.</para>
/// <para><see cref="Endpoint"/> switches from AWS to an S3-compatible store (MinIO, s3rver); it also
/// turns on <see cref="ForcePathStyle"/> unless that is set explicitly.</para>
/// <para><see cref="ServerSideEncryption"/> left unset means <see cref="S3ServerSideEncryption.AwsKms"/>
/// when <see cref="KmsKeyId"/> is given, otherwise <see cref="S3ServerSideEncryption.None"/>.</para>
/// <para>Files larger than <see cref="MultipartThresholdBytes"/> are sent as a multipart upload of
/// <see cref="PartSize"/> parts, at most <see cref="Concurrency"/> requests in flight; the part size grows
/// automatically when a file would need more than 10,000 parts (the S3 limit).</para>
/// </remarks>
public sealed record S3PublisherOptions
{
    public const long MiB = 1024 * 1024;

    /// <summary>The S3 minimum size of every part but the last.</summary>
    public const long MinPartSize = 5 * MiB;

    /// <summary>The S3 maximum size of a single PUT and of one part.</summary>
    public const long MaxSinglePutSize = 5L * 1024 * MiB;

    /// <summary>Bucket name (required).</summary>
    public required string Bucket { get; init; }

    /// <summary>Prepended to every key; empty or ending in '/'.</summary>
    public string KeyPrefix { get; init; } = "";

    /// <summary>Endpoint of an S3-compatible store; null means AWS S3 in <see cref="Region"/>.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>Signing region; null means the AWS profile's region, then <c>us-east-1</c>.</summary>
    public string? Region { get; init; }

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>); null means true exactly when <see cref="Endpoint"/> is set.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Encryption header sent with every PutObject and CreateMultipartUpload; see remarks.</summary>
    public S3ServerSideEncryption? ServerSideEncryption { get; init; }

    /// <summary>KMS key id, ARN or alias for SSE-KMS; null with <see cref="S3ServerSideEncryption.AwsKms"/> uses the AWS managed key.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>Files strictly larger than this are uploaded in parts (default 16 MiB).</summary>
    public long MultipartThresholdBytes { get; init; } = 16 * MiB;

    /// <summary>Part size for multipart uploads (default 8 MiB, at least 5 MiB).</summary>
    public long PartSize { get; init; } = 8 * MiB;

    /// <summary>Retries of one request after a transient failure (5xx, throttling, reset, timeout); default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Delay before the first retry; doubles per retry with jitter, capped at <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Maximum S3 requests in flight (files and parts together); default 4.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Timeout of one HTTP request (a whole part or object transfer).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Before uploading, HEAD the key and skip it when the object already has the same size, the same
    /// <c>x-amz-meta-sha256</c> and a compatible encryption (default true). Reruns then send nothing new.
    /// </summary>
    public bool SkipUnchanged { get; init; } = true;

    /// <summary>Static credentials (tests, explicit configuration); null uses the AWS credential chain.</summary>
    public S3Credentials? Credentials { get; init; }

    /// <summary>The encryption actually applied, after the defaulting rule in the remarks.</summary>
    public S3ServerSideEncryption EffectiveEncryption =>
        ServerSideEncryption ?? (KmsKeyId is null ? S3ServerSideEncryption.None : S3ServerSideEncryption.AwsKms);

    /// <summary>Path-style addressing actually used.</summary>
    public bool EffectiveForcePathStyle => ForcePathStyle ?? Endpoint is not null;

    /// <summary>The destination as an <c>s3://</c> URI.</summary>
    public string DestinationUri => $"s3://{Bucket}/{KeyPrefix}";

    /// <summary>
    /// Parses <c>s3://BUCKET/optional/prefix/</c> and reads the environment: <c>AWS_ENDPOINT_URL_S3</c>
    /// (then <c>AWS_ENDPOINT_URL</c>) for <see cref="Endpoint"/>, <c>AWS_REGION</c> (then
    /// <c>AWS_DEFAULT_REGION</c>) for <see cref="Region"/>, <c>KMS_KEY_ID</c> for <see cref="KmsKeyId"/>.
    /// A prefix without a trailing '/' is still a folder: <c>s3://b/out</c> writes <c>out/KEY</c>.
    /// </summary>
    /// <exception cref="DoppelException">The URI or an environment value is malformed (exit code 2).</exception>
    public static S3PublisherOptions FromUri(string uri, IReadOnlyDictionary<string, string?> env)
    {
        const string Expected = "expected s3://BUCKET/optional/prefix/";
        if (string.IsNullOrWhiteSpace(uri))
            throw Usage($"S3 destination is empty; {Expected}");
        if (!uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            throw Usage($"'{uri}' is not an S3 URI; {Expected}");
        if (uri.AsSpan().IndexOfAny('?', '#') >= 0)
            throw Usage($"'{uri}' has a query or fragment, which S3 URIs do not take; {Expected} and set options separately");

        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..];
        if (bucket.Length == 0)
            throw Usage($"'{uri}' names no bucket; {Expected}");
        if (BucketNameProblem(bucket) is { } problem)
            throw Usage($"Bucket name '{bucket}' in '{uri}' is not valid: {problem}");
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
            prefix += "/";
        if (PrefixProblem(prefix) is { } prefixProblem)
            throw Usage($"Key prefix '{prefix}' in '{uri}' is not valid: {prefixProblem}");

        return new S3PublisherOptions
        {
            Bucket = bucket,
            KeyPrefix = prefix,
            Endpoint = EndpointFrom(env, "AWS_ENDPOINT_URL_S3") ?? EndpointFrom(env, "AWS_ENDPOINT_URL"),
            Region = NonEmpty(env, "AWS_REGION") ?? NonEmpty(env, "AWS_DEFAULT_REGION"),
            KmsKeyId = NonEmpty(env, "KMS_KEY_ID"),
        };
    }

    /// <summary>
    /// The destination when no URI is given: <c>s3://$S3_BUCKET/</c> (the variable the original NHS
    /// upload script used), with the same environment rules as <see cref="FromUri"/>.
    /// </summary>
    /// <exception cref="DoppelException">S3_BUCKET is unset or not a valid bucket name (exit code 2).</exception>
    public static S3PublisherOptions FromEnvironment(IReadOnlyDictionary<string, string?> env)
    {
        if (NonEmpty(env, "S3_BUCKET") is not { } bucket)
            throw Usage("No S3 destination: give s3://BUCKET/optional/prefix/ or set S3_BUCKET");
        return FromUri($"s3://{bucket}/", env);
    }

    /// <summary>Checks the option values together; throws a usage <see cref="DoppelException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (BucketNameProblem(Bucket) is { } problem)
            throw Usage($"Bucket name '{Bucket}' is not valid: {problem}");
        if (PrefixProblem(KeyPrefix) is { } prefixProblem)
            throw Usage($"Key prefix '{KeyPrefix}' is not valid: {prefixProblem}");
        if (Endpoint is { } e && (!e.IsAbsoluteUri || (e.Scheme != Uri.UriSchemeHttp && e.Scheme != Uri.UriSchemeHttps)))
            throw Usage($"S3 endpoint '{e}' is not an absolute http(s) URL; check --s3-endpoint / AWS_ENDPOINT_URL_S3");
        if (PartSize < MinPartSize || PartSize > MaxSinglePutSize)
            throw Usage($"S3 part size {PartSize.ToString(CultureInfo.InvariantCulture)} bytes is out of range; S3 parts are 5 MiB to 5 GiB");
        if (MultipartThresholdBytes < 0)
            throw Usage("S3 multipart threshold must not be negative");
        if (MaxRetries is < 0 or > 20)
            throw Usage($"S3 max retries {MaxRetries.ToString(CultureInfo.InvariantCulture)} is out of range 0..20");
        if (Concurrency is < 1 or > 64)
            throw Usage($"S3 concurrency {Concurrency.ToString(CultureInfo.InvariantCulture)} is out of range 1..64");
        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            throw Usage("S3 retry delays must satisfy 0 <= base <= max");
        if (RequestTimeout <= TimeSpan.Zero)
            throw Usage("S3 request timeout must be positive");
        if (KmsKeyId is not null && EffectiveEncryption != S3ServerSideEncryption.AwsKms)
            throw Usage($"A KMS key id was given but server-side encryption is {EncryptionHeader(EffectiveEncryption) ?? "none"}; use aws:kms or drop the key id");
        if (KmsKeyId is { Length: 0 })
            throw Usage("The KMS key id is empty; give a key id, ARN or alias/NAME, or leave it unset");
        if (Credentials is { } c && (string.IsNullOrEmpty(c.AccessKeyId) || string.IsNullOrEmpty(c.SecretAccessKey)))
            throw Usage("Static S3 credentials need both an access key id and a secret access key");
    }

    /// <summary>Parses <c>aws:kms</c>, <c>AES256</c> or <c>none</c> (case-insensitive), as on the command line.</summary>
    public static S3ServerSideEncryption ParseEncryption(string value) => value.Trim().ToUpperInvariant() switch
    {
        "AWS:KMS" or "KMS" or "SSE-KMS" => S3ServerSideEncryption.AwsKms,
        "AES256" or "SSE-S3" => S3ServerSideEncryption.Aes256,
        "NONE" or "" => S3ServerSideEncryption.None,
        _ => throw Usage($"Server-side encryption '{value}' is not known; use aws:kms, AES256 or none"),
    };

    /// <summary>The wire value of <c>x-amz-server-side-encryption</c>, or null for none.</summary>
    public static string? EncryptionHeader(S3ServerSideEncryption sse) => sse switch
    {
        S3ServerSideEncryption.AwsKms => "aws:kms",
        S3ServerSideEncryption.Aes256 => "AES256",
        _ => null,
    };

    // Bucket naming rules for general purpose buckets (AWS S3 User Guide, "Bucket naming rules").
    internal static string? BucketNameProblem(string bucket)
    {
        const string Rule = "bucket names are 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit";
        if (bucket.Length is < 3 or > 63)
            return Rule;
        foreach (var c in bucket)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
                return Rule;
        }
        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
            return Rule;
        if (bucket.Contains("..", StringComparison.Ordinal))
            return "bucket names must not contain '..'";
        return null;
    }

    internal static string? PrefixProblem(string prefix)
    {
        if (prefix.Length == 0)
            return null;
        if (!prefix.EndsWith('/'))
            return "a key prefix is a folder and must end with '/'";
        if (prefix.StartsWith('/'))
            return "a key prefix must not start with '/'";
        if (prefix.Contains("//", StringComparison.Ordinal))
            return "a key prefix must not contain an empty folder ('//')";
        if (prefix.Split('/').Any(s => s is "." or ".."))
            return "a key prefix must not contain '.' or '..' folders";
        return null;
    }

    private static string? NonEmpty(IReadOnlyDictionary<string, string?> env, string name) =>
        env.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Uri? EndpointFrom(IReadOnlyDictionary<string, string?> env, string name)
    {
        if (NonEmpty(env, name) is not { } value)
            return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
            throw Usage($"{name} '{value}' is not an absolute http(s) URL");
        return endpoint;
    }

    private static DoppelException Usage(string message) => new(message, ExitCodes.UsageError);
}
