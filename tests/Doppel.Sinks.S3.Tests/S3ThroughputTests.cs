using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Doppel.Sinks.S3.Tests;

/// <summary>
/// Upload throughput, single PUT versus multipart, through the recorder and straight to s3rver.
/// Runs with a small file by default (a correctness check that also prints MB/s); set
/// DOPPEL_S3_BENCH_MB=100 for the figure quoted in docs/sinks/s3.md, and read the output with
/// <c>dotnet test --filter Category=Throughput --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Throughput")]
public sealed class S3ThroughputTests(S3TestServer server, ITestOutputHelper output) : IClassFixture<S3TestServer>, IDisposable
{
    private const long MiB = S3PublisherOptions.MiB;
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Single_put_and_multipart_upload_the_same_bytes_and_report_throughput()
    {
        var megabytes = int.TryParse(Environment.GetEnvironmentVariable("DOPPEL_S3_BENCH_MB"), CultureInfo.InvariantCulture, out var mb) ? mb : 24;
        var file = _files.Data("bench.bin", megabytes * MiB, seed: 99, contentType: "application/octet-stream");
        var direct = new UriBuilder(server.Endpoint) { Port = int.TryParse(Environment.GetEnvironmentVariable("DOPPEL_S3RVER_PORT"), CultureInfo.InvariantCulture, out var p) ? p : 4568 }.Uri;

        foreach (var (route, endpoint) in new[] { ("recorder", server.Endpoint), ("s3rver", direct) })
        {
            foreach (var multipart in new[] { false, true })
            {
                var bucket = await server.CreateBucketAsync("bench");
                var options = server.Options(bucket) with
                {
                    Endpoint = endpoint,
                    SkipUnchanged = false,
                    MultipartThresholdBytes = multipart ? 16 * MiB : long.MaxValue,
                    PartSize = 8 * MiB,
                    Concurrency = 4,
                };
                await using var publisher = new S3FilePublisher(options);
                var clock = Stopwatch.StartNew();
                await publisher.PublishAsync([file], CancellationToken.None);
                clock.Stop();

                var head = await server.Client.GetObjectMetadataAsync(bucket, "bench.bin");
                head.ContentLength.Should().Be(megabytes * MiB);
                head.Metadata["sha256"].Should().Be(file.Sha256Hex);
                var rate = megabytes / clock.Elapsed.TotalSeconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{megabytes} MiB via {route,-8} {(multipart ? "multipart 8 MiB x4" : "single PUT"),-18} {clock.Elapsed.TotalSeconds,6:0.00} s {rate,7:0.0} MiB/s (incl. hashing pass)"));
                await server.Client.DeleteObjectAsync(bucket, "bench.bin");
            }
        }
    }

    [Fact]
    public async Task Many_small_files_go_up_concurrently_and_report_objects_per_second()
    {
        var bucket = await server.CreateBucketAsync("many");
        var files = Enumerable.Range(0, 200).Select(i => _files.Data($"f/{i:D3}.csv", 20_000, seed: (ulong)i + 1)).ToList();
        await using var publisher = new S3FilePublisher(server.Options(bucket) with { Concurrency = 8 });

        var clock = Stopwatch.StartNew();
        var report = await publisher.PublishAsync(files, CancellationToken.None);
        clock.Stop();

        report.Published.Should().HaveCount(200);
        (await server.KeysAsync(bucket)).Should().HaveCount(200);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"200 x 20 kB via recorder, concurrency 8, HEAD+PUT each: {clock.Elapsed.TotalSeconds:0.00} s, {200 / clock.Elapsed.TotalSeconds:0} objects/s"));
    }
}
