namespace Doppel.Sinks.S3.Tests;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

/// <summary>
/// The standard AWS credential chain, for real: these tests set process environment variables, so
/// they run alone (no other test class reads AWS_* variables; the others pass static credentials).
/// </summary>
[Collection(nameof(ProcessEnvironment))]
public sealed class S3CredentialChainTests(S3TestServer server) : IClassFixture<S3TestServer>, IDisposable
{
    private static readonly string[] Names =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ];

    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
    private readonly TempFiles _files = new();

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
            Environment.SetEnvironmentVariable(name, value);
        _files.Dispose();
    }

    private static void IsolateFromMachineCredentials()
    {
        foreach (var name in Names)
            Environment.SetEnvironmentVariable(name, null);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/doppel/credentials");
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", "/nonexistent/doppel/config");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    [Fact]
    public async Task Credentials_from_environment_variables_are_used_when_none_are_given()
    {
        IsolateFromMachineCredentials();
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", S3TestServer.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", S3TestServer.SecretKey);
        var bucket = await server.CreateBucketAsync("envcreds");
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Credentials = null });

        await publisher.PublishAsync([_files.Text("a.csv", "id\n1\n")], CancellationToken.None);

        (await server.KeysAsync(bucket)).Should().Equal("a.csv");
    }

    [Fact]
    public async Task No_credentials_anywhere_is_one_actionable_line()
    {
        IsolateFromMachineCredentials();
        var bucket = await server.CreateBucketAsync("nocreds");
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Credentials = null });

        var act = () => publisher.ValidateAsync(CancellationToken.None).AsTask();

        (await act.Should().ThrowAsync<DoppelException>()).Which.Message.Should().Be(
            "No AWS credentials found (looked in the environment, AWS_PROFILE/~/.aws, web identity, container and instance metadata); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE");
    }
}
