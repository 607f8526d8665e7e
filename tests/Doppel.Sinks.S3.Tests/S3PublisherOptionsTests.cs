namespace Doppel.Sinks.S3.Tests;

public sealed class S3PublisherOptionsTests
{
    private static readonly Dictionary<string, string?> NoEnv = [];

    [Theory]
    [InlineData("s3://my-bucket", "my-bucket", "")]
    [InlineData("s3://my-bucket/", "my-bucket", "")]
    [InlineData("s3://my-bucket/uploads/overnight-stay/files/", "my-bucket", "uploads/overnight-stay/files/")]
    [InlineData("s3://my-bucket/uploads/files", "my-bucket", "uploads/files/")]
    [InlineData("S3://data.example-1/x/", "data.example-1", "x/")]
    public void Valid_uris_give_bucket_and_folder_prefix(string uri, string bucket, string prefix)
    {
        var options = S3PublisherOptions.FromUri(uri, NoEnv);

        options.Bucket.Should().Be(bucket);
        options.KeyPrefix.Should().Be(prefix);
        options.DestinationUri.Should().Be($"s3://{bucket}/{prefix}");
        options.Endpoint.Should().BeNull();
        options.EffectiveForcePathStyle.Should().BeFalse();
        options.EffectiveEncryption.Should().Be(S3ServerSideEncryption.None);
    }

    [Theory]
    [InlineData("", "S3 destination is empty; expected s3://BUCKET/optional/prefix/")]
    [InlineData("https://my-bucket/x", "'https://my-bucket/x' is not an S3 URI; expected s3://BUCKET/optional/prefix/")]
    [InlineData("s3://", "'s3://' names no bucket; expected s3://BUCKET/optional/prefix/")]
    [InlineData("s3:///prefix/", "'s3:///prefix/' names no bucket; expected s3://BUCKET/optional/prefix/")]
    [InlineData("s3://My_Bucket/", "Bucket name 'My_Bucket' in 's3://My_Bucket/' is not valid: bucket names are 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit")]
    [InlineData("s3://ab/", "Bucket name 'ab' in 's3://ab/' is not valid: bucket names are 3-63 characters of lower-case letters, digits, '.' and '-', starting and ending with a letter or digit")]
    [InlineData("s3://a..b/", "Bucket name 'a..b' in 's3://a..b/' is not valid: bucket names must not contain '..'")]
    [InlineData("s3://bucket/a//b/", "Key prefix 'a//b/' in 's3://bucket/a//b/' is not valid: a key prefix must not contain an empty folder ('//')")]
    [InlineData("s3://bucket/a/../b/", "Key prefix 'a/../b/' in 's3://bucket/a/../b/' is not valid: a key prefix must not contain '.' or '..' folders")]
    [InlineData("s3://bucket/x?region=eu-west-2", "'s3://bucket/x?region=eu-west-2' has a query or fragment, which S3 URIs do not take; expected s3://BUCKET/optional/prefix/ and set options separately")]
    public void Malformed_uris_give_one_line_usage_errors(string uri, string message)
    {
        var act = () => S3PublisherOptions.FromUri(uri, NoEnv);

        var error = act.Should().Throw<DoppelException>().Which;
        error.Message.Should().Be(message);
        error.ExitCode.Should().Be(ExitCodes.UsageError);
    }

    [Fact]
    public void Environment_supplies_endpoint_region_and_kms_key()
    {
        var env = new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9000",
            ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:4569",
            ["AWS_DEFAULT_REGION"] = "eu-west-1",
            ["AWS_REGION"] = "eu-west-2",
            ["KMS_KEY_ID"] = "alias/nhs-uploads",
        };

        var options = S3PublisherOptions.FromUri("s3://bucket/p/", env);

        options.Endpoint.Should().Be(new Uri("http://127.0.0.1:4569"), "the S3-specific variable wins over the generic one");
        options.Region.Should().Be("eu-west-2");
        options.KmsKeyId.Should().Be("alias/nhs-uploads");
        options.EffectiveEncryption.Should().Be(S3ServerSideEncryption.AwsKms, "a KMS key implies aws:kms");
        options.EffectiveForcePathStyle.Should().BeTrue("custom endpoints default to path-style");
    }

    [Fact]
    public void Generic_endpoint_variable_is_the_fallback_and_bad_urls_are_rejected()
    {
        S3PublisherOptions.FromUri("s3://bucket/", new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://localhost:9000" })
            .Endpoint.Should().Be(new Uri("http://localhost:9000"));

        var act = () => S3PublisherOptions.FromUri("s3://bucket/", new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = "127.0.0.1:4569" });
        act.Should().Throw<DoppelException>().WithMessage("AWS_ENDPOINT_URL_S3 '127.0.0.1:4569' is not an absolute http(s) URL");
    }

    [Theory]
    [InlineData("aws:kms", S3ServerSideEncryption.AwsKms)]
    [InlineData("AES256", S3ServerSideEncryption.Aes256)]
    [InlineData("none", S3ServerSideEncryption.None)]
    public void Encryption_names_parse(string text, S3ServerSideEncryption expected) =>
        S3PublisherOptions.ParseEncryption(text).Should().Be(expected);

    [Fact]
    public void Unknown_encryption_name_is_a_usage_error() =>
        FluentActions.Invoking(() => S3PublisherOptions.ParseEncryption("rot13"))
            .Should().Throw<DoppelException>().WithMessage("Server-side encryption 'rot13' is not known; use aws:kms, AES256 or none");

    [Fact]
    public void Defaults_match_the_documentation()
    {
        var options = new S3PublisherOptions { Bucket = "bucket" };

        options.MultipartThresholdBytes.Should().Be(16 * S3PublisherOptions.MiB);
        options.PartSize.Should().Be(8 * S3PublisherOptions.MiB);
        options.SkipUnchanged.Should().BeTrue();
        options.Concurrency.Should().Be(4);
        options.MaxRetries.Should().Be(4);
        options.Invoking(o => o.Validate()).Should().NotThrow();
    }

    [Theory]
    [InlineData("part", "S3 part size 1048576 bytes is out of range; S3 parts are 5 MiB to 5 GiB")]
    [InlineData("kms-with-aes", "A KMS key id was given but server-side encryption is AES256; use aws:kms or drop the key id")]
    [InlineData("concurrency", "S3 concurrency 0 is out of range 1..64")]
    [InlineData("endpoint", "S3 endpoint 'ftp://host/' is not an absolute http(s) URL; check --s3-endpoint / AWS_ENDPOINT_URL_S3")]
    [InlineData("credentials", "Static S3 credentials need both an access key id and a secret access key")]
    public void Inconsistent_options_fail_validation_with_the_option_named(string which, string message)
    {
        var options = new S3PublisherOptions { Bucket = "bucket" };
        options = which switch
        {
            "part" => options with { PartSize = S3PublisherOptions.MiB },
            "kms-with-aes" => options with { KmsKeyId = "k", ServerSideEncryption = S3ServerSideEncryption.Aes256 },
            "concurrency" => options with { Concurrency = 0 },
            "endpoint" => options with { Endpoint = new Uri("ftp://host/") },
            _ => options with { Credentials = new S3Credentials("AKIA", "") },
        };

        options.Invoking(o => o.Validate()).Should().Throw<DoppelException>()
            .Where(e => e.ExitCode == ExitCodes.UsageError).WithMessage(message);
    }

    [Fact]
    public void Credentials_do_not_print_their_secret()
    {
        var options = new S3PublisherOptions { Bucket = "bucket", Credentials = new S3Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "token-123") };

        var text = options.ToString();

        text.Should().NotContain("wJalrXUtnFEMI").And.NotContain("token-123").And.NotContain("AKIAIOSFODNN7EXAMPLE");
        text.Should().Contain("AKIA…MPLE");
    }

    [Fact]
    public void Part_size_grows_so_no_file_needs_more_than_ten_thousand_parts()
    {
        var publisher = new S3FilePublisher(new S3PublisherOptions { Bucket = "bucket", Endpoint = new Uri("http://127.0.0.1:1"), Credentials = new S3Credentials("a", "b") });

        publisher.PartSizeFor(100 * S3PublisherOptions.MiB).Should().Be(8 * S3PublisherOptions.MiB);
        var huge = 200L * 1024 * S3PublisherOptions.MiB; // 200 GiB
        var size = publisher.PartSizeFor(huge);
        (size % S3PublisherOptions.MiB).Should().Be(0);
        ((huge + size - 1) / size).Should().BeLessThanOrEqualTo(10_000);
    }

    [Fact]
    public void S3_bucket_variable_gives_the_default_destination()
    {
        var options = S3PublisherOptions.FromEnvironment(new Dictionary<string, string?> { ["S3_BUCKET"] = "nhs-test-data", ["KMS_KEY_ID"] = "k-1" });

        options.DestinationUri.Should().Be("s3://nhs-test-data/");
        options.EffectiveEncryption.Should().Be(S3ServerSideEncryption.AwsKms);
        FluentActions.Invoking(() => S3PublisherOptions.FromEnvironment(NoEnv))
            .Should().Throw<DoppelException>().WithMessage("No S3 destination: give s3://BUCKET/optional/prefix/ or set S3_BUCKET");
    }

    [Fact]
    public void A_malformed_aws_region_is_a_usage_error_but_custom_endpoints_accept_any_name()
    {
        var aws = () => new S3FilePublisher(new S3PublisherOptions { Bucket = "bucket", Region = "eu west 2", Credentials = new S3Credentials("a", "b") });
        aws.Should().Throw<DoppelException>().WithMessage("AWS region 'eu west 2' is not valid (expected a name like eu-west-2); check AWS_REGION");

        var custom = () => new S3FilePublisher(new S3PublisherOptions { Bucket = "bucket", Region = "garage", Endpoint = new Uri("http://127.0.0.1:3900"), Credentials = new S3Credentials("a", "b") });
        custom.Should().NotThrow();
        new S3FilePublisher(new S3PublisherOptions { Bucket = "bucket", Region = "us-gov-west-1", Credentials = new S3Credentials("a", "b") })
            .Describe().Should().Be("s3://bucket/ at https://s3.us-gov-west-1.amazonaws.com (no SSE header)");
    }
}
