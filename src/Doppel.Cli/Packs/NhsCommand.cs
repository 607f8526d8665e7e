using System.Globalization;
using System.Security.Cryptography;
using Doppel.Data;
using Doppel.Execution;
using Doppel.Output;
using Doppel.Planning;
using Doppel.Sinks.S3;

namespace Doppel.Cli;

/// <summary>
/// <c>doppel generate nhs</c>: writes the SFT and GP files (with sha256sum sidecars) under the keys they
/// get in S3, then, when a bucket is given (<c>--sink s3://…</c> or <c>S3_BUCKET</c>), uploads them with
/// SSE-KMS and deletes the local copies (<c>--keep-local</c> keeps them). See docs/packs/nhs.md.
/// </summary>
/// <remarks>
/// Order of a delivery run: check the bucket (before generating anything), generate every file
/// atomically into the local directory, publish data files then each one's checksum sidecar, and
/// only after everything is published delete the local files. A failure keeps them and says where.
/// </remarks>
internal sealed class NhsCommand : IPackCommand
{
    private static readonly HashSet<string> ExtraFlags = ["--no-upload"];
    private static readonly HashSet<string> ExtraValued = ["--s3-endpoint"];

    /// <summary>Data tables and their index tables (which are written locally but never uploaded).</summary>
    private static readonly (string Data, string Index, string Name)[] Families = [("sft", "sft_files", "SFT (overnight stay)"), ("gp", "gp_files", "GP (registered patient)")];

    public async Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        var r = Generate.Prepare(["nhs", .. argv], env, ExtraFlags, ExtraValued, stdout: stdout);
        var delivery = Delivery.From(r, env);
        r = r with { Options = r.Options with { OutputDirectory = delivery.LocalDirectory, Checksums = true } };
        if (r.DryRun)
        {
            PrintDryRun(r, delivery, stdout);
            return ExitCodes.Success;
        }

        if (delivery.S3 is null)
        {
            var local = Generate.Execute(r, stdout, stderr, cancel);
            Generate.Report(r, local, stdout);
            return ExitCodes.Success;
        }

        await using var publisher = new S3FilePublisher(delivery.S3);
        try
        {
            // Fail fast on a missing bucket, bad credentials or an unreachable endpoint.
            await publisher.ValidateAsync(cancel).ConfigureAwait(false);
        }
        catch (DoppelException e)
        {
            throw new DoppelException($"{e.Message}; nothing was generated or uploaded", e.ExitCode, e);
        }

        var result = Generate.Execute(r, stdout, stderr, cancel);
        Generate.Report(r, result, stdout);
        var files = ToPublish(result, delivery.LocalDirectory);
        var where = Path.GetFullPath(delivery.LocalDirectory);
        try
        {
            await publisher.PublishAsync(files, cancel).ConfigureAwait(false);
        }
        catch (DoppelException e)
        {
            throw new DoppelException($"{e.Message}. The local files are kept in {where}; rerun the same command to finish (same keys and bytes; objects already uploaded are skipped)", e.ExitCode, e);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync($"upload cancelled; open multipart uploads were aborted; the local files are kept in {where}").ConfigureAwait(false);
            throw;
        }

        var stats = publisher.LastRun;
        if (!r.Quiet)
        {
            var skipped = stats?.SkippedUnchanged.Count ?? 0;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"uploaded {files.Count(f => f.ChecksumFor is null)} data files and {files.Count(f => f.ChecksumFor is not null)} checksum files to {publisher.Describe()}{(skipped > 0 ? $"; {skipped} already there unchanged" : string.Empty)}; {Cli.Human(stats?.BytesUploaded ?? 0)} sent, {stats?.Retries ?? 0} retries, {(stats?.Elapsed.TotalSeconds ?? 0):0.0} s")).ConfigureAwait(false);
        }

        if (delivery.KeepLocal)
        {
            return ExitCodes.Success;
        }

        var deleted = DeleteLocal(result, delivery.LocalDirectory);
        if (!r.Quiet)
        {
            await stdout.WriteLineAsync($"deleted {deleted} local files from {where} (--keep-local keeps them)").ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    /// <summary>The data files and their sidecars of a run, keyed by their path under the local directory.</summary>
    internal static List<PublishedFile> ToPublish(RunResult result, string localDirectory)
    {
        var list = new List<PublishedFile>();
        foreach (var f in result.Files.Where(f => Families.Any(x => x.Data == f.Table)))
        {
            var key = Key(f.Path);
            list.Add(new PublishedFile(Path.GetFullPath(Path.Combine(localDirectory, f.Path)), key, f.ContentType, f.Sha256));
            if (f.ChecksumPath is { } sidecar)
            {
                var path = Path.GetFullPath(Path.Combine(localDirectory, sidecar));
                list.Add(new PublishedFile(path, Key(sidecar), "text/plain", Sha256Of(path), ChecksumFor: key));
            }
        }

        return list;
    }

    private static string Key(string relativePath) => relativePath.Replace('\\', '/');

    private static string Sha256Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Deletes everything the run wrote (data, sidecars, index tables, faults, manifest) and the folders it left empty.</summary>
    private static int DeleteLocal(RunResult result, string localDirectory)
    {
        var root = Path.GetFullPath(localDirectory);
        var paths = result.Files.SelectMany(f => f.ChecksumPath is { } c ? new[] { f.Path, c } : [f.Path]).ToList();
        if (result.ManifestPath is { } m)
        {
            paths.Add(m);
        }

        var deleted = 0;
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in paths.Distinct(StringComparer.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(root, p));
            if (File.Exists(full))
            {
                File.Delete(full);
                deleted++;
            }

            for (var d = Path.GetDirectoryName(full); d is not null && d.Length > root.Length && d.StartsWith(root, StringComparison.Ordinal); d = Path.GetDirectoryName(d))
            {
                folders.Add(d);
            }
        }

        // Deepest first, so a parent is empty by the time it is tried; folders holding other files stay.
        foreach (var d in folders.OrderByDescending(d => d.Length))
        {
            if (Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any())
            {
                Directory.Delete(d);
            }
        }

        return deleted;
    }

    private static void PrintDryRun(Generate.Request r, Delivery delivery, TextWriter o)
    {
        var plan = r.Plan;
        var p = plan.Params;
        o.WriteLine($"nhs pack: mode {p["mode"]}, seed {plan.Seed}, shard {r.Options.Shard}; NHS numbers from the '{p["nhs_range"]}' range");
        o.WriteLine($"local    {Path.GetFullPath(delivery.LocalDirectory)}{(delivery.S3 is null ? string.Empty : delivery.KeepLocal ? "  (kept after upload: --keep-local)" : "  (deleted after a successful upload)")}");
        if (delivery.S3 is { } s3)
        {
            var sse = S3PublisherOptions.EncryptionHeader(s3.EffectiveEncryption) ?? "none";
            o.WriteLine($"upload   {s3.DestinationUri} at {s3.Endpoint?.ToString() ?? "AWS S3"}{(s3.EffectiveForcePathStyle ? " (path-style)" : string.Empty)}; SSE {sse}, key {s3.KmsKeyId ?? "aws/s3 (AWS managed; set KMS_KEY_ID)"}");
            o.WriteLine("         order: bucket check before generating; each data object, then its checksum object; multipart above 16 MiB");
        }
        else
        {
            o.WriteLine("upload   none (local files only; give --sink s3://BUCKET/prefix/ or set S3_BUCKET to upload)");
        }

        foreach (var (data, index, name) in Families)
        {
            if (!plan.Tables.Any(t => t.Name == data))
            {
                continue;
            }

            var rows = IndexRows(plan.Table(index), r.Options.Shard);
            var valid = long.Parse(p["valid_nhs_per_file"], CultureInfo.InvariantCulture);
            var invalid = long.Parse(p["invalid_nhs_per_file"], CultureInfo.InvariantCulture);
            o.WriteLine();
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {rows.Count:N0} files × {valid + invalid:N0} rows ({valid:N0} valid + {invalid:N0} invalid NHS numbers, shuffled)"));
            foreach (var row in rows.Take(10))
            {
                var overlap = row.Overlap is { } ov ? string.Create(CultureInfo.InvariantCulture, $", {ov:N0} also in SFT") : string.Empty;
                o.WriteLine($"  {row.Key}{overlap}  →  {Remote(delivery, row.Key)}");
                o.WriteLine($"  {row.ChecksumKey}  →  {Remote(delivery, row.ChecksumKey)}");
            }

            if (rows.Count > 10)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {rows.Count - 10:N0} more files, up to {rows[^1].Key}"));
            }
        }

        o.WriteLine();
        o.WriteLine($"also written locally, never uploaded: {string.Join(", ", Families.Where(f => plan.Tables.Any(t => t.Name == f.Index)).Select(f => f.Index + ".csv"))}, faults.jsonl (the invalid numbers by kind), manifest.json");
        o.WriteLine("dry run: nothing was written or uploaded");
    }

    private static string Remote(Delivery delivery, string key) => delivery.S3 is { } s3 ? s3.DestinationUri + key : "(local only)";

    private sealed record IndexRow(string Key, string ChecksumKey, long? Overlap);

    /// <summary>The index table's rows for this shard, computed from the plan (the same expressions that name the files).</summary>
    private static List<IndexRow> IndexRows(TablePlan index, Shard shard)
    {
        var (first, end) = shard.Range(index.RootRows ?? 0);
        var worker = new Worker();
        var key = index.IndexOf("key");
        var checksum = index.IndexOf("checksum_key");
        var overlap = index.IndexOf("sft_overlap_numbers");
        var list = new List<IndexRow>();
        for (var row = first; row < end; row++)
        {
            var mark = worker.Arena.Mark;
            var f = worker.Rent(index, row, row, null, false);
            list.Add(new IndexRow(f.Get(key).ToString(), f.Get(checksum).ToString(), overlap >= 0 ? f.Get(overlap).Int : null));
            worker.Release(f);
            worker.Arena.Rewind(mark);
        }

        return list;
    }

    /// <summary>Where the files go: the local directory, and the S3 destination when uploading.</summary>
    internal sealed record Delivery(string LocalDirectory, S3PublisherOptions? S3, bool KeepLocal)
    {
        public static Delivery From(Generate.Request r, IReadOnlyDictionary<string, string?> env)
        {
            var a = r.Args;
            var p = r.Plan.Params;
            if (r.Options.Format.Name != "csv" || r.Options.Gzip)
            {
                throw new DoppelException($"the nhs pack writes plain CSV files (the feeds' format), not {r.Options.Format.Name}{(r.Options.Gzip ? "+gzip" : string.Empty)}; drop --format/--gzip", ExitCodes.UsageError);
            }

            if (a.All("--rows").Count > 0)
            {
                // Row counts follow from the file counts; overriding them would break the exact per-file counts and the overlap.
                throw new DoppelException("the nhs pack sizes its files with NUM_SFT_FILES, NUM_GP_FILES, VALID_NHS_PER_FILE and INVALID_NHS_PER_FILE (--num-gp-files 5, --set valid_nhs_per_file=100), not --rows", ExitCodes.UsageError);
            }

            foreach (var (param, variable) in new[] { ("sft_files_prefix", "SFT_FILES_PREFIX"), ("sft_checksums_prefix", "SFT_CHECKSUMS_PREFIX"), ("gp_files_prefix", "GP_FILES_PREFIX"), ("gp_checksums_prefix", "GP_CHECKSUMS_PREFIX") })
            {
                var prefix = p.GetValueOrDefault(param) ?? string.Empty;
                if (prefix.StartsWith('/') || prefix.Contains('\\', StringComparison.Ordinal) || prefix.Split('/').Any(s => s is "." or ".."))
                {
                    throw new DoppelException($"{variable} '{prefix}' must be a relative key prefix such as uploads/overnight-stay/files/ (no leading '/', no '.' or '..', '/' as separator)", ExitCodes.UsageError);
                }
            }

            var local = a.Get("--out") ?? a.Get("-o") ?? NonEmpty(p.GetValueOrDefault("local_tmp_dir")) ?? ".";
            var sink = a.Get("--sink");
            var bucket = NonEmpty(p.GetValueOrDefault("s3_bucket"));
            if (a.Has("--no-upload"))
            {
                if (sink is not null)
                {
                    throw new DoppelException("--no-upload and --sink contradict each other; drop one", ExitCodes.UsageError);
                }

                return new Delivery(local, null, true);
            }

            string? uri = sink ?? (bucket is null ? null : $"s3://{bucket}/");
            if (uri is null)
            {
                return new Delivery(local, null, true);
            }

            if (!uri.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                throw new DoppelException($"the nhs pack publishes files to S3; --sink takes s3://BUCKET/optional/prefix/, not '{uri}'", ExitCodes.UsageError);
            }

            var s3 = S3PublisherOptions.FromUri(uri, env) with { ServerSideEncryption = S3ServerSideEncryption.AwsKms };
            if (NonEmpty(p.GetValueOrDefault("kms_key_id")) is { } kms)
            {
                s3 = s3 with { KmsKeyId = kms };
            }

            if (a.Get("--s3-endpoint") is { } endpoint)
            {
                if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var e) || (e.Scheme != Uri.UriSchemeHttp && e.Scheme != Uri.UriSchemeHttps))
                {
                    throw new DoppelException($"--s3-endpoint '{endpoint}' is not an absolute http(s) URL, e.g. http://127.0.0.1:9000", ExitCodes.UsageError);
                }

                s3 = s3 with { Endpoint = e };
            }

            // The AWS chain reads these from the process environment too; taking them from the given
            // environment first lets an embedding host (and the tests) supply credentials explicitly.
            if (NonEmpty(env.GetValueOrDefault("AWS_ACCESS_KEY_ID")) is { } id && NonEmpty(env.GetValueOrDefault("AWS_SECRET_ACCESS_KEY")) is { } secret)
            {
                s3 = s3 with { Credentials = new S3Credentials(id, secret, NonEmpty(env.GetValueOrDefault("AWS_SESSION_TOKEN"))) };
            }

            s3.Validate();
            return new Delivery(local, s3, a.Has("--keep-local"));
        }

        private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
    }
}
