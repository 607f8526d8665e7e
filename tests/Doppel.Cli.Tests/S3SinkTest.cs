using System.Net.Http;

namespace Doppel.Cli.Tests;

/// <summary>Any recipe to a real S3-compatible server (s3rver behind the recording proxy of .ci/services/s3.sh).</summary>
public class S3SinkTest
{
    private static readonly string Endpoint = Environment.GetEnvironmentVariable("DOPPEL_TEST_S3") ?? "http://127.0.0.1:4569";

    [Fact]
    public async Task Files_and_sidecars_land_under_the_prefix_and_local_copies_are_removed()
    {
        using var http = new HttpClient();
        var bucket = "cli-" + Guid.NewGuid().ToString("N")[..12];
        HttpResponseMessage created;
        try
        {
            created = await http.PutAsync($"{Endpoint}/{bucket}", null);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"S3 test server not reachable at {Endpoint}: run .ci/services/s3.sh ({e.Message})", e);
        }

        created.IsSuccessStatusCode.Should().BeTrue();
        var dir = Directory.CreateTempSubdirectory("doppel-s3").FullName;
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_REGION"] = "us-east-1" };
        var o = new StringWriter();
        var e2 = new StringWriter();
        var code = await Cli.RunAsync(["generate", "person", "--set", "rows=200", "--out", dir, "--checksums", "--sink", $"s3://{bucket}/people/", "--s3-endpoint", Endpoint, "--kms-key-id", "test-key"], o, e2, env, CancellationToken.None);
        code.Should().Be(0, e2.ToString());
        var listing = await http.GetStringAsync($"{Endpoint}/{bucket}?list-type=2");
        listing.Should().Contain("<Key>people/person.csv</Key>").And.Contain("<Key>people/person.csv.sha256</Key>").And.Contain("<Key>people/manifest.json</Key>");
        File.Exists(Path.Combine(dir, "person.csv")).Should().BeFalse();
        var body = await http.GetStringAsync($"{Endpoint}/{bucket}/people/person.csv");
        body.Should().StartWith("id,first_name,last_name,nhs_number");
    }

    [Fact]
    public async Task A_missing_bucket_fails_before_generating_with_one_line()
    {
        var dir = Path.Combine(Directory.CreateTempSubdirectory("doppel-s3").FullName, "out");
        var env = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_REGION"] = "us-east-1" };
        var err = new StringWriter();
        var code = await Cli.RunAsync(["generate", "person", "--out", dir, "--sink", "s3://no-such-bucket-here/", "--s3-endpoint", Endpoint], new StringWriter(), err, env, CancellationToken.None);
        code.Should().Be(3);
        err.ToString().Should().Contain("does not exist");
        Directory.Exists(dir).Should().BeFalse("nothing is generated when the bucket is missing");
    }
}
