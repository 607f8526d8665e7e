using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Doppel.Sinks.S3.Tests;

public sealed class S3ErrorsTests
{
    private static readonly S3RequestContext Ctx = new("bucket", "http://127.0.0.1:4569", "eu-west-2", "key-1", "AKIAIOSFODNN7EXAMPLE", TimeSpan.FromSeconds(30));

    private static AmazonS3Exception S3(HttpStatusCode status, string code, string message = "msg") =>
        new(message, ErrorType.Sender, code, "req", status);

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "InternalError", true)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "SlowDown", true)]
    [InlineData(HttpStatusCode.BadRequest, "RequestTimeout", true)]
    [InlineData(HttpStatusCode.BadRequest, "BadDigest", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "", true)]
    [InlineData(HttpStatusCode.NotFound, "NoSuchBucket", false)]
    [InlineData(HttpStatusCode.Forbidden, "AccessDenied", false)]
    [InlineData(HttpStatusCode.BadRequest, "KMS.NotFoundException", false)]
    [InlineData(HttpStatusCode.Forbidden, "InvalidAccessKeyId", false)]
    public void Server_errors_retry_and_client_errors_do_not(HttpStatusCode status, string code, bool transient) =>
        S3Errors.IsTransient(S3(status, code), CancellationToken.None).Should().Be(transient);

    [Fact]
    public void Network_failures_and_timeouts_retry_but_caller_cancellation_does_not()
    {
        S3Errors.IsTransient(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused)), CancellationToken.None).Should().BeTrue();
        S3Errors.IsTransient(new IOException("reset"), CancellationToken.None).Should().BeTrue();
        S3Errors.IsTransient(new TaskCanceledException("timeout"), CancellationToken.None).Should().BeTrue();
        S3Errors.IsTransient(new TaskCanceledException("stop"), new CancellationToken(canceled: true)).Should().BeFalse();
    }

    [Fact]
    public void Kms_refusal_names_the_key()
    {
        var text = S3Errors.Describe(S3(HttpStatusCode.BadRequest, "KMS.NotFoundException", "Invalid keyId key-1"), Ctx, "PutObject", "a.csv", 1);

        text.Should().Be("KMS key 'key-1' was refused for bucket 'bucket' (KMS.NotFoundException: Invalid keyId key-1); check the key id or ARN, its region (eu-west-2), and that the credentials may use kms:GenerateDataKey and kms:Decrypt on it");
    }

    [Fact]
    public void Access_denied_on_a_kms_action_is_reported_as_a_kms_problem()
    {
        var text = S3Errors.Describe(S3(HttpStatusCode.Forbidden, "AccessDenied", "User: arn:aws:iam::1:user/x is not authorized to perform: kms:GenerateDataKey on resource: key-1"), Ctx, "PutObject", "a.csv", 1);

        text.Should().StartWith("KMS key 'key-1' was refused for bucket 'bucket' (AccessDenied: ");
    }

    [Fact]
    public void Plain_access_denied_names_the_permission_needed() =>
        S3Errors.Describe(S3(HttpStatusCode.Forbidden, "AccessDenied", "Access Denied"), Ctx, "PutObject", "a.csv", 1)
            .Should().Be("Access denied: S3 PutObject of 'a.csv' at http://127.0.0.1:4569 (AccessDenied: Access Denied); the credentials need s3:PutObject and s3:AbortMultipartUpload on arn:aws:s3:::bucket/*");

    [Fact]
    public void Region_mismatch_says_which_variable_to_set() =>
        S3Errors.Describe(S3(HttpStatusCode.MovedPermanently, "PermanentRedirect"), Ctx, "PutObject", "a.csv", 1)
            .Should().Be("Bucket 'bucket' is not in region eu-west-2 (PermanentRedirect); set AWS_REGION to the bucket's region");

    [Fact]
    public void Server_messages_are_flattened_to_one_line() =>
        S3Errors.Describe(S3(HttpStatusCode.InternalServerError, "InternalError", "line one\r\nline two"), Ctx, "UploadPart", "big.csv", 5)
            .Should().Be("S3 UploadPart of 'big.csv' failed at http://127.0.0.1:4569 (after 5 attempts): 500 InternalError: line one line two");

    [Fact]
    public void Access_key_ids_are_masked()
    {
        S3Errors.MaskKeyId("AKIAIOSFODNN7EXAMPLE").Should().Be("AKIA…MPLE");
        S3Errors.MaskKeyId(null).Should().Be("(from the credential chain)");
    }
}
