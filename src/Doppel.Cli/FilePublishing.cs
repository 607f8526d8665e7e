using Doppel.Execution;
using Doppel.Output;
using Doppel.Sinks.S3;

namespace Doppel.Cli;

/// <summary>
/// <c>--sink s3://BUCKET/prefix/</c> for any recipe: generate locally (atomically), then publish every
/// file under the same relative key, data files before their checksum sidecars. Local files are
/// removed after a complete upload unless <c>--keep-local</c>; they are always kept when it fails.
/// </summary>
internal static class FilePublishing
{
    public static S3PublisherOptions Options(string uri, Args a, IReadOnlyDictionary<string, string?> env)
    {
        var o = S3PublisherOptions.FromUri(uri, env);
        if (o.Credentials is null && env.GetValueOrDefault("AWS_ACCESS_KEY_ID") is { Length: > 0 } key && env.GetValueOrDefault("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
        {
            // The environment the CLI was given wins (it is the process environment in normal use).
            o = o with { Credentials = new S3Credentials(key, secret, env.GetValueOrDefault("AWS_SESSION_TOKEN")) };
        }
        if (a.Get("--s3-endpoint") is { } endpoint)
        {
            o = o with { Endpoint = new Uri(endpoint), ForcePathStyle = true };
        }

        if (a.Get("--kms-key-id") is { } kms)
        {
            o = o with { KmsKeyId = kms, ServerSideEncryption = S3ServerSideEncryption.AwsKms };
        }

        if (a.Get("--sse") is { } sse)
        {
            o = o with { ServerSideEncryption = S3PublisherOptions.ParseEncryption(sse) };
        }

        return o;
    }

    public static async Task<int> GenerateAndPublishAsync(Generate.Request request, string uri, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        await using var publisher = new S3FilePublisher(Options(uri, request.Args, env));
        // Fail fast (missing bucket, bad credentials, unreachable endpoint) before generating anything.
        await publisher.ValidateAsync(cancel).ConfigureAwait(false);
        var result = Generate.Execute(request, stdout, stderr, cancel);
        Generate.Report(request, result, stdout);
        var files = ToPublish(result, request.Options.OutputDirectory);
        try
        {
            var report = await publisher.PublishAsync(files, cancel).ConfigureAwait(false);
            if (!request.Quiet)
            {
                stdout.WriteLine($"uploaded {report.Published.Count} objects to {publisher.Describe()}");
            }
        }
        catch (DoppelException e)
        {
            throw new DoppelException($"{e.Message}; local files kept in {Path.GetFullPath(request.Options.OutputDirectory)}", e.ExitCode, e);
        }

        if (!request.Args.Has("--keep-local"))
        {
            foreach (var f in files)
            {
                File.Delete(f.LocalPath);
            }

            if (!request.Quiet)
            {
                stdout.WriteLine("local copies removed (--keep-local keeps them)");
            }
        }

        return ExitCodes.Success;
    }

    /// <summary>Data files, each followed by its sidecar; keys are paths relative to the output directory.</summary>
    public static List<PublishedFile> ToPublish(RunResult result, string outputDirectory)
    {
        var list = new List<PublishedFile>();
        foreach (var f in result.Files)
        {
            list.Add(new PublishedFile(Path.GetFullPath(Path.Combine(outputDirectory, f.Path)), f.Path.Replace('\\', '/'), f.ContentType, f.Sha256));
            if (f.ChecksumPath is { } c)
            {
                var local = Path.GetFullPath(Path.Combine(outputDirectory, c));
                var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(local)));
                list.Add(new PublishedFile(local, c.Replace('\\', '/'), "text/plain", sha, f.Path.Replace('\\', '/')));
            }
        }

        if (result.ManifestPath is { } m)
        {
            var local = Path.GetFullPath(Path.Combine(outputDirectory, m));
            list.Add(new PublishedFile(local, m, "application/json", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(local)))));
        }

        return list;
    }
}
