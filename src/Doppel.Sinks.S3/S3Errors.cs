using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Amazon.Runtime;

namespace Doppel.Sinks.S3;

/// <summary>What a failed request was doing, for the error text.</summary>
internal sealed record S3RequestContext(string Bucket, string EndpointText, string Region, string? KmsKeyId, string? AccessKeyId, TimeSpan RequestTimeout);

/// <summary>Classifies S3 failures (retry or not) and turns them into one-line, actionable messages.</summary>
internal static class S3Errors
{
    private const string EndpointHint = "check --s3-endpoint / AWS_ENDPOINT_URL_S3";

    // Error codes that S3 documents as retryable, or that are transient by nature. BadDigest means the
    // bytes were damaged on the way: a resend from the local file is the fix.
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalError", "ServiceUnavailable", "SlowDown", "Throttling", "ThrottlingException",
        "RequestTimeout", "RequestTimeoutException", "RequestLimitExceeded", "TooManyRequestsException",
        "BadDigest", "IncompleteBody", "KMS.ThrottlingException", "KMS.LimitExceededException",
    };

    /// <summary>True when resending the same request may succeed.</summary>
    public static bool IsTransient(Exception ex, CancellationToken callerToken)
    {
        if (ex is OperationCanceledException)
            return !callerToken.IsCancellationRequested; // a timeout, not the caller stopping us
        if (ex is TimeoutException)
            return true; // the SDK's per-request Timeout
        if (ex is AmazonServiceException service && ((int)service.StatusCode != 0 || service.ErrorCode is not null))
        {
            var status = (int)service.StatusCode;
            if (service.ErrorCode is { } code && TransientCodes.Contains(code))
                return true;
            if (status >= 500 || status == 429)
                return true;
            if (status is >= 400 and < 500)
                return false; // NoSuchBucket, AccessDenied, KMS.*, InvalidAccessKeyId: resending changes nothing
        }
        return Network(ex) is not null;
    }

    /// <summary>One-line message for a failed request; <paramref name="attempts"/> counts the tries made.</summary>
    public static string Describe(Exception ex, S3RequestContext ctx, string operation, string? key, int attempts)
    {
        var what = key is null ? $"S3 {operation} on bucket '{ctx.Bucket}'" : $"S3 {operation} of '{key}'";
        var tries = attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" (after {attempts} attempts)") : "";

        if (ex is DoppelException)
            return ex.Message;
        if (ex is OperationCanceledException or TimeoutException)
            return $"{what} timed out after {Seconds(ctx.RequestTimeout)} at {ctx.EndpointText}{tries}; the endpoint is too slow or unreachable, {EndpointHint}";
        if (Network(ex) is { } network)
        {
            // A connection that was made and then dropped is not a wrong endpoint: say which it was.
            return network.StartsWith("connection reset", StringComparison.Ordinal) || network.StartsWith("connection lost", StringComparison.Ordinal) || network.StartsWith("connection closed", StringComparison.Ordinal)
                ? $"Connection to S3 endpoint {ctx.EndpointText} dropped during {what}: {network}{tries}; check the network, any proxy, and the endpoint's health"
                : $"Cannot reach S3 endpoint {ctx.EndpointText}: {network}{tries}; {EndpointHint}";
        }

        if (ex is AmazonServiceException service && ((int)service.StatusCode != 0 || service.ErrorCode is not null))
            return DescribeService(service, ctx, operation, what, tries);

        if (ex is AmazonClientException && ex.Message.StartsWith("Failed to resolve AWS credentials", StringComparison.Ordinal))
            return "No AWS credentials found (looked in the environment, AWS_PROFILE/~/.aws, web identity, container and instance metadata); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE";
        if (ex is AmazonClientException && ex.Message.Contains("credential", StringComparison.OrdinalIgnoreCase))
            return $"AWS credentials could not be loaded ({OneLine(ex.Message, 200)}); check AWS_PROFILE and ~/.aws, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        return $"{what} failed at {ctx.EndpointText}{tries}: {ex.GetType().Name}: {OneLine(ex.Message)}";
    }

    private static string DescribeService(AmazonServiceException e, S3RequestContext ctx, string operation, string what, string tries)
    {
        var code = e.ErrorCode ?? "";
        var status = (int)e.StatusCode;
        var message = OneLine(e.Message);

        if (code == "NoSuchBucket" || (operation == "HeadBucket" && status == 404))
            return $"Bucket '{ctx.Bucket}' does not exist at {ctx.EndpointText}; create it or set S3_BUCKET";
        if (IsKms(code, message))
        {
            var key = ctx.KmsKeyId ?? "aws/s3 (the AWS managed key)";
            return $"KMS key '{key}' was refused for bucket '{ctx.Bucket}' ({code}: {message}); check the key id or ARN, its region ({ctx.Region}), and that the credentials may use kms:GenerateDataKey and kms:Decrypt on it";
        }
        switch (code)
        {
            case "InvalidAccessKeyId":
                return $"S3 at {ctx.EndpointText} does not know access key id {MaskKeyId(ctx.AccessKeyId)} (InvalidAccessKeyId); check AWS_ACCESS_KEY_ID / AWS_PROFILE";
            case "SignatureDoesNotMatch":
                return $"S3 at {ctx.EndpointText} rejected the request signature for access key id {MaskKeyId(ctx.AccessKeyId)} (SignatureDoesNotMatch); check AWS_SECRET_ACCESS_KEY";
            case "ExpiredToken" or "InvalidToken" or "TokenRefreshRequired":
                return $"The AWS session token was rejected ({code}); refresh the credentials (new session or aws sso login)";
            case "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException":
                return $"Bucket '{ctx.Bucket}' is not in region {ctx.Region} ({code}); set AWS_REGION to the bucket's region";
            case "AccessDenied" or "AllAccessDisabled":
                return $"Access denied: {what} at {ctx.EndpointText} ({code}: {message}); the credentials need s3:PutObject and s3:AbortMultipartUpload on arn:aws:s3:::{ctx.Bucket}/*";
            case "BadDigest":
                return $"{what} was rejected: the bytes received did not match Content-MD5 (BadDigest){tries}; the local file may be changing during upload, or the network is corrupting data";
        }
        if (operation == "HeadBucket" && status == 403)
            return $"Access to bucket '{ctx.Bucket}' at {ctx.EndpointText} is forbidden (403 on HeadBucket); check the credentials and that the bucket belongs to your account";
        if (operation == "HeadBucket" && status == 301)
            return $"Bucket '{ctx.Bucket}' is not in region {ctx.Region} (301 on HeadBucket); set AWS_REGION to the bucket's region";
        var codeText = code.Length > 0 ? code : e.StatusCode.ToString();
        return string.Create(CultureInfo.InvariantCulture, $"{what} failed at {ctx.EndpointText}{tries}: {status} {codeText}: {message}");
    }

    // KMS failures reach S3 callers as KMS.* codes (KMS.NotFoundException, KMS.DisabledException, ...) or
    // as AccessDenied/InvalidArgument whose message names the KMS action or key.
    private static bool IsKms(string code, string message) =>
        code.StartsWith("KMS.", StringComparison.Ordinal)
        || (code is "AccessDenied" or "InvalidArgument" or "KMSKeyNotAccessible"
            && (message.Contains("kms:", StringComparison.OrdinalIgnoreCase) || message.Contains("KMS", StringComparison.Ordinal)));

    /// <summary>A short reason when the failure is a network-level one ("connection refused"), otherwise null.</summary>
    internal static string? Network(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException s:
                    return s.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                        SocketError.TimedOut => "connection timed out",
                        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "connection reset",
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                        _ => $"socket error {s.SocketErrorCode}",
                    };
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return "host not found";
                case HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }:
                    return "connection closed before the response";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return "TLS handshake failed";
                case WebException { Status: WebExceptionStatus.ConnectFailure }:
                    return "connection failed";
            }
        }
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or IOException)
                return "connection lost (" + OneLine(e.Message, 120) + ")";
        }
        return null;
    }

    /// <summary>First 4 and last 4 characters of an access key id; enough to tell keys apart, not to use one.</summary>
    internal static string MaskKeyId(string? accessKeyId) => accessKeyId switch
    {
        null or "" => "(from the credential chain)",
        { Length: <= 8 } k => k[..Math.Min(2, k.Length)] + "…",
        var k => k[..4] + "…" + k[^4..],
    };

    internal static string OneLine(string? text, int max = 300)
    {
        if (string.IsNullOrWhiteSpace(text))
            return "(no message)";
        var flat = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return flat.Length <= max ? flat : flat[..max] + "…";
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    internal static bool IsNotFound(Exception ex) =>
        ex is AmazonServiceException { StatusCode: HttpStatusCode.NotFound };
}
