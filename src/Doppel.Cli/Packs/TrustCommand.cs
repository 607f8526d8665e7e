using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Doppel.Mdoc;
using Doppel.Packs.Trust;
using Doppel.Packs.Trust.Validation;

namespace Doppel.Cli;

/// <summary>
/// <c>doppel generate trust</c>: the ICAO trust pack (a custom program, not a table recipe), with the
/// seed's flag names and <c>--set</c> names, and mDL/mdoc credentials issued by <c>Doppel.Mdoc</c>.
/// </summary>
internal sealed class TrustCommand : IPackCommand
{
    private static readonly HashSet<string> Flags = ["--database-insert", "--quiet", "--dry-run", "--summary"];

    private static readonly Dictionary<string, string> FlagNames = new(StringComparer.Ordinal)
    {
        ["--countries"] = "countries",
        ["--country-codes"] = "country_codes",
        ["--passports"] = "passports",
        ["--mdl"] = "mdl",
        ["--mdoc"] = "mdoc",
        ["--dtc"] = "dtc",
        ["--seed"] = "seed",
        ["--format"] = "format",
        ["--output-dir"] = "output_dir",
        ["--out"] = "output_dir",
        ["--as-of"] = "as_of",
        ["--document-type"] = "document_type",
        ["--algorithm"] = "algorithm",
        ["--invalid-rate"] = "invalid_rate",
        ["--dtc-type"] = "dtc_type",
        ["--database-url"] = "database_url",
        ["--sink"] = "database_url",
        ["--ec-parameters"] = "ec_parameters",
    };

    public async Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        var a = Args.Parse(argv, Flags, FlagNames.Keys.Append("--set").ToHashSet());
        var settings = new Dictionary<string, string>(Args.KeyValues(a.All("--set"), "--set"), StringComparer.Ordinal);
        foreach (var (flag, name) in FlagNames)
        {
            if (a.Get(flag) is { } v)
            {
                settings[name] = v;
            }
        }

        if (a.Has("--database-insert") || (a.Get("--sink") is not null))
        {
            settings["database_insert"] = "true";
        }

        TrustOptions options;
        try
        {
            options = TrustOptions.FromSettings(settings, env) with { CredentialIssuer = new MdocCredentialIssuer() };
        }
        catch (TrustException e)
        {
            throw new DoppelException(e.Message, ExitCodes.UsageError);
        }

        if (a.Has("--dry-run"))
        {
            stdout.WriteLine($"trust pack: {options.Countries} countries, {options.Passports} passports ({options.DocumentType}), {options.Mdl} mDL, {options.Mdoc} mdoc, {options.Dtc} DTC");
            stdout.WriteLine($"seed {options.Seed}, as_of {(options.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "today (UTC)")}, algorithm {options.Algorithm}, invalid rate {options.InvalidRate.ToString(CultureInfo.InvariantCulture)}");
            stdout.WriteLine($"output {Path.GetFullPath(options.OutputDir)}{(options.DatabaseInsert ? "; then upsert into trust_svc.* in one transaction" : string.Empty)}");
            stdout.WriteLine("dry run: nothing was written");
            return ExitCodes.Success;
        }

        var quiet = a.Has("--quiet");
        var progress = quiet ? null : new Progress<TrustProgress>(p => stderr.WriteLine(p.ToString()));
        try
        {
            var r = await TrustGenerator.GenerateAsync(options, progress, cancel).ConfigureAwait(false);
            if (!quiet)
            {
                stdout.WriteLine($"wrote {r.Passports} passports, {r.Dtc} DTC, {r.Mdl} mDL, {r.Mdoc} mdoc, {r.Certificates} certificates for {r.Countries} countries to {r.OutputDirectory} (as_of {r.AsOf:yyyy-MM-dd}, seed {r.Seed})");
            }

            return ExitCodes.Success;
        }
        catch (TrustOptionException e)
        {
            throw new DoppelException(e.Message, ExitCodes.UsageError);
        }
        catch (TrustException e)
        {
            throw new DoppelException(e.Message, ExitCodes.RuntimeError);
        }
    }

    /// <summary><c>doppel validate DIR --pack trust</c>: ICAO checks, then every mDL/mdoc DeviceResponse against its IACA.</summary>
    public static int Validate(string dir, string? reportPath, TextWriter o)
    {
        var report = TrustValidator.Validate(dir);
        var mdoc = ValidateCredentials(dir);
        o.WriteLine(report.ToText());
        foreach (var line in mdoc.Lines)
        {
            o.WriteLine(line);
        }

        if (reportPath is not null)
        {
            var json = JsonNode.Parse(report.ToJson())!.AsObject();
            json["credentials"] = new JsonObject { ["checked"] = mdoc.Checked, ["unexpected"] = mdoc.Unexpected, ["faultsConfirmed"] = mdoc.Confirmed };
            File.WriteAllText(reportPath, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return report.IsValid && mdoc.Unexpected == 0 ? ExitCodes.Success : ExitCodes.ValidationFailed;
    }

    private static (int Checked, int Unexpected, int Confirmed, List<string> Lines) ValidateCredentials(string dir)
    {
        var lines = new List<string>();
        int checkedCount = 0, unexpected = 0, confirmed = 0;
        var doc = Path.Combine(dir, "trust.json");
        if (!File.Exists(doc))
        {
            return (0, 0, 0, lines);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(doc));
        if (!json.RootElement.TryGetProperty("metadata", out var meta) || !meta.TryGetProperty("asOf", out var asOfEl) || !DateTimeOffset.TryParse(asOfEl.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var asOf))
        {
            asOf = DateTimeOffset.UtcNow;
        }

        foreach (var kind in new[] { "mdl", "mdoc" })
        {
            if (!json.RootElement.TryGetProperty("credentials", out var creds) || !creds.TryGetProperty(kind, out var list))
            {
                continue;
            }

            foreach (var c in list.EnumerateArray())
            {
                var files = c.GetProperty("files");
                var response = File.ReadAllBytes(Path.Combine(dir, files.GetProperty("deviceResponse").GetString()!));
                var transcript = File.ReadAllBytes(Path.Combine(dir, files.GetProperty("sessionTranscript").GetString()!));
                using var iaca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, files.GetProperty("iaca").GetString()!));
                var result = MdocVerifier.Verify(response, [iaca], asOf, transcript);
                var fault = c.TryGetProperty("fault", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                checkedCount++;
                if (fault is null && !result.IsValid)
                {
                    unexpected++;
                    lines.Add($"{kind} {c.GetProperty("id").GetString()}: unexpected failure: {string.Join("; ", result.Failures.Select(x => x.ToString()))}");
                }
                else if (fault is not null && !result.Labels.Contains(fault))
                {
                    unexpected++;
                    lines.Add($"{kind} {c.GetProperty("id").GetString()}: labelled '{fault}' but the verifier reported {(result.IsValid ? "no failure" : string.Join(", ", result.Labels))}");
                }
                else if (fault is not null)
                {
                    confirmed++;
                }
            }
        }

        lines.Add($"credentials: {checkedCount} mDL/mdoc DeviceResponses verified, {confirmed} labelled faults confirmed, {unexpected} unexpected");
        return (checkedCount, unexpected, confirmed, lines);
    }
}

/// <summary>Issues mDL and mdoc credentials for the trust pack through <c>Doppel.Mdoc</c>.</summary>
internal sealed class MdocCredentialIssuer : ICredentialIssuer
{
    public string Name => "Doppel.Mdoc " + DoppelInfo.Version;

    public IReadOnlyList<JsonObject> Issue(CredentialRequest request)
    {
        var dataset = MdocDatasetGenerator.Generate(new MdocDatasetRequest
        {
            Kind = request.Kind == "mdl" ? MdocKind.Mdl : MdocKind.Mdoc,
            Count = request.Count,
            Seed = unchecked((ulong)request.Seed),
            AsOf = new DateTimeOffset(request.AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            Countries = request.Countries.Select(c => c.Icao).ToList(),
            OutputDirectory = request.OutputDirectory,
            FaultRate = 0.1,
        });

        // Paths in the trust document are relative to its root.
        foreach (var c in dataset.Credentials)
        {
            if (c["files"] is JsonObject files)
            {
                foreach (var key in files.Select(kv => kv.Key).ToList())
                {
                    files[key] = request.RelativeDirectory.TrimEnd('/') + "/" + files[key]!.GetValue<string>();
                }
            }
        }

        return dataset.Credentials;
    }
}
