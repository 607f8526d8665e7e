using System.Globalization;
using Doppel.Packs.Trust.Crypto;
using Doppel.Packs.Trust.Mrz;

namespace Doppel.Packs.Trust;

/// <summary>
/// Options of the trust pack (ePassports, PKI, CRLs, master lists, DTC). Defaults follow the original
/// generator's CLI; build from <c>--set</c> pairs with <see cref="FromSettings"/>, change with <c>with</c>.
/// </summary>
/// <remarks>
/// <para><see cref="AsOf"/> anchors every date (certificate validity, passport issue dates, CRL updates);
/// with the same <see cref="Seed"/> and <see cref="AsOf"/> the output is byte-identical.</para>
/// <para><see cref="InvalidRate"/> turns that share of passports into labelled negative cases (at least one
/// of each kind when the rate is above zero and there are enough passports); DTCs are always derived from valid passports.</para>
/// <para>mDL/mdoc credentials are produced only through <see cref="CredentialIssuer"/>.</para>
/// </remarks>
public sealed record TrustOptions
{
    /// <summary>Number of issuing countries (taken in a fixed order from <see cref="Countries.All"/>), 1–58.</summary>
    public int Countries { get; init; } = 10;

    /// <summary>Explicit country codes (ICAO or alpha-2); overrides <see cref="Countries"/> when set.</summary>
    public IReadOnlyList<string>? CountryCodes { get; init; }

    /// <summary>Number of passports (eMRTDs).</summary>
    public int Passports { get; init; } = 100;

    /// <summary>Number of mDL credentials requested from the <see cref="CredentialIssuer"/>.</summary>
    public int Mdl { get; init; } = 50;

    /// <summary>Number of mdoc credentials requested from the <see cref="CredentialIssuer"/>.</summary>
    public int Mdoc { get; init; } = 50;

    /// <summary>Number of DTC virtual components.</summary>
    public int Dtc { get; init; } = 30;

    /// <summary>Run seed.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Output format; only "json".</summary>
    public string Format { get; init; } = "json";

    /// <summary>Output directory (created atomically; an existing one is replaced).</summary>
    public string OutputDir { get; init; } = "data/synthetic";

    /// <summary>Insert master lists, trust anchors, DS certificates and CRLs into PostgreSQL.</summary>
    public bool DatabaseInsert { get; init; }

    /// <summary>PostgreSQL connection (URL or key=value form); default from TRUST_SERVICE_DATABASE_URL.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>Reference date; null = today (UTC), resolved once and recorded in the output.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>MRZ format of the documents: TD3 passports (default), TD1 or TD2 ID documents.</summary>
    public DocumentFormat DocumentType { get; init; } = DocumentFormat.Td3;

    /// <summary>"mix" (per country: ECDSA P-256/P-384/brainpoolP256r1/P384r1) or one algorithm name.</summary>
    public string Algorithm { get; init; } = "mix";

    /// <summary>Share of passports that are labelled negative cases, 0–1.</summary>
    public double InvalidRate { get; init; } = 0.1;

    /// <summary>"mix" (alternating), "1" (eMRTD bound) or "2" (eMRTD-PC bound).</summary>
    public string DtcType { get; init; } = "mix";

    /// <summary>
    /// Publish EC keys with explicit domain parameters as Doc 9303-12 §4.1.6 requires. Off by default because
    /// OpenSSL 3 (<c>openssl verify</c>: error 94 "Certificate public key has explicit ECC parameters") and other
    /// common stacks reject such keys; turn on to test a relying party's handling of real-world ICAO certificates.
    /// </summary>
    public bool ExplicitEcParameters { get; init; }

    /// <summary>Optional issuer for <c>credentials.mdl</c>/<c>credentials.mdoc</c>; not part of the recorded options.</summary>
    public ICredentialIssuer? CredentialIssuer { get; init; }

    private static readonly string[] AlgorithmNames = ["mix", "ecdsa-p256", "ecdsa-p384", "brainpool-p256", "brainpool-p384", "rsa", "rsa-pss"];

    /// <summary>The parameters for <c>doppel describe trust</c>: (name, default, description).</summary>
    public static IReadOnlyList<(string Name, string Default, string Description)> Parameters { get; } =
    [
        ("countries", "10", "Number of issuing countries (1-58, real ICAO codes in a fixed order)"),
        ("country_codes", "", "Comma-separated ICAO or alpha-2 codes, e.g. D,FRA,NLD (overrides countries)"),
        ("passports", "100", "Number of ePassports (EF.COM, DG1, DG2, EF.SOD each)"),
        ("mdl", "50", "Number of mDL credentials (needs a credential issuer; otherwise empty)"),
        ("mdoc", "50", "Number of mdoc credentials (needs a credential issuer; otherwise empty)"),
        ("dtc", "30", "Number of ICAO DTC virtual components"),
        ("seed", "42", "Random seed (env SYNTHETIC_DATA_SEED)"),
        ("format", "json", "Output format (json only)"),
        ("output_dir", "data/synthetic", "Output directory, replaced atomically"),
        ("database_insert", "false", "Insert into trust_svc.* tables in PostgreSQL"),
        ("database_url", "", "PostgreSQL URL or key=value string (env TRUST_SERVICE_DATABASE_URL)"),
        ("as_of", "today (UTC)", "Reference date yyyy-MM-dd for all validity windows"),
        ("document_type", "td3", "MRZ format: td3 (passport), td2, td1"),
        ("algorithm", "mix", "mix | ecdsa-p256 | ecdsa-p384 | brainpool-p256 | brainpool-p384 | rsa | rsa-pss"),
        ("invalid_rate", "0.1", "Share of passports turned into labelled negative cases (0-1)"),
        ("dtc_type", "mix", "DTC type: mix | 1 (eMRTD bound) | 2 (eMRTD-PC bound)"),
        ("ec_parameters", "named", "EC public keys with named curves (default; OpenSSL-verifiable) or explicit parameters (ICAO Doc 9303-12)"),
    ];

    /// <summary>
    /// Builds options from <c>--set name=value</c> pairs (names as in <see cref="Parameters"/>, '-' accepted for '_')
    /// and the environment (SYNTHETIC_DATA_SEED, TRUST_SERVICE_DATABASE_URL). Settings win over the environment.
    /// </summary>
    public static TrustOptions FromSettings(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string?> environment)
    {
        var options = new TrustOptions();
        if (environment.TryGetValue("SYNTHETIC_DATA_SEED", out string? envSeed) && !string.IsNullOrWhiteSpace(envSeed))
        {
            options = options with { Seed = ParseLong("seed (SYNTHETIC_DATA_SEED)", envSeed) };
        }

        if (environment.TryGetValue("TRUST_SERVICE_DATABASE_URL", out string? envUrl) && !string.IsNullOrWhiteSpace(envUrl))
        {
            options = options with { DatabaseUrl = envUrl };
        }

        foreach ((string rawName, string rawValue) in settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string name = rawName.Trim().Replace('-', '_').ToLowerInvariant();
            string value = rawValue.Trim();
            options = name switch
            {
                "countries" => options with { Countries = ParseInt(name, value, 1, Trust.Countries.All.Count) },
                "country_codes" => options with { CountryCodes = ParseCountryCodes(value) },
                "passports" => options with { Passports = ParseInt(name, value, 0, 1_000_000) },
                "mdl" => options with { Mdl = ParseInt(name, value, 0, 1_000_000) },
                "mdoc" => options with { Mdoc = ParseInt(name, value, 0, 1_000_000) },
                "dtc" => options with { Dtc = ParseInt(name, value, 0, 1_000_000) },
                "seed" => options with { Seed = ParseLong(name, value) },
                "format" => options with { Format = ParseChoice(name, value, ["json"]) },
                "output_dir" => options with { OutputDir = value.Length > 0 ? value : throw new TrustOptionException(name, value, "a directory path") },
                "database_insert" => options with { DatabaseInsert = ParseBool(name, value) },
                "database_url" => options with { DatabaseUrl = value },
                "as_of" => options with { AsOf = ParseDate(name, value) },
                "document_type" => options with { DocumentType = ParseDocumentType(value) },
                "algorithm" => options with { Algorithm = ParseChoice(name, value, AlgorithmNames) },
                "invalid_rate" => options with { InvalidRate = ParseRate(name, value) },
                "dtc_type" => options with { DtcType = ParseChoice(name, value, ["mix", "1", "2"]) },
                "ec_parameters" => options with { ExplicitEcParameters = ParseChoice(name, value, ["explicit", "named"]) == "explicit" },
                _ => throw new TrustOptionException("trust has no option '" + rawName + "'" + Suggest(name) + "; options: " + string.Join(", ", Parameters.Select(p => p.Name)) + "."),
            };
        }

        options.Validate();
        return options;
    }

    /// <summary>Checks values set directly on the record (FromSettings already does).</summary>
    public void Validate()
    {
        if (!string.Equals(Format, "json", StringComparison.OrdinalIgnoreCase))
        {
            throw new TrustOptionException("format", Format, "json");
        }

        if (Countries < 1 || Countries > Trust.Countries.All.Count)
        {
            throw new TrustOptionException("countries", Countries.ToString(CultureInfo.InvariantCulture), $"1-{Trust.Countries.All.Count}");
        }

        CheckRange("passports", Passports);
        CheckRange("mdl", Mdl);
        CheckRange("mdoc", Mdoc);
        CheckRange("dtc", Dtc);
        if (InvalidRate is < 0 or > 1 || double.IsNaN(InvalidRate))
        {
            throw new TrustOptionException("invalid_rate", InvalidRate.ToString(CultureInfo.InvariantCulture), "a number from 0 to 1");
        }

        _ = ParseChoice("algorithm", Algorithm, AlgorithmNames);
        _ = ParseChoice("dtc_type", DtcType, ["mix", "1", "2"]);
        if (CountryCodes is not null)
        {
            _ = ParseCountryCodes(string.Join(',', CountryCodes));
        }

        if (DatabaseInsert && string.IsNullOrWhiteSpace(DatabaseUrl))
        {
            throw new TrustOptionException("database_url", DatabaseUrl, "a PostgreSQL connection string (set database_url or TRUST_SERVICE_DATABASE_URL) when database_insert is true");
        }
    }

    /// <summary>The countries of this run, in order.</summary>
    public IReadOnlyList<TrustCountry> ResolveCountries() =>
        CountryCodes is { Count: > 0 } codes ? ParseCountryCodes(string.Join(',', codes)).Select(c => Trust.Countries.Find(c)!).ToList() : Trust.Countries.All.Take(Countries).ToList();

    /// <summary>The algorithm of the country at <paramref name="index"/> ("mix" rotates through the four EC choices).</summary>
    internal TrustAlgorithm AlgorithmFor(int index)
    {
        string name = Algorithm.ToLowerInvariant();
        if (name == "mix")
        {
            var rng = Rng.For(Seed, "algorithm", 0);
            TrustAlgorithm[] ec = [TrustAlgorithm.EcdsaP256, TrustAlgorithm.EcdsaP384, TrustAlgorithm.BrainpoolP256, TrustAlgorithm.BrainpoolP384];
            // Rotate by index so every curve appears once there are ≥ 4 countries; the seed picks the offset.
            return ec[(index + rng.Next(4)) % 4];
        }

        return Enum.GetValues<TrustAlgorithm>().First(a => a.Name() == name);
    }

    private static void CheckRange(string name, int value)
    {
        if (value is < 0 or > 1_000_000)
        {
            throw new TrustOptionException(name, value.ToString(CultureInfo.InvariantCulture), "0-1000000");
        }
    }

    private static int ParseInt(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw new TrustOptionException(name, value, $"an integer from {min} to {max}");

    private static long ParseLong(string name, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n) ? n : throw new TrustOptionException(name, value, "a 64-bit integer");

    private static double ParseRate(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d is >= 0 and <= 1
            ? d
            : throw new TrustOptionException(name, value, "a number from 0 to 1");

    private static bool ParseBool(string name, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new TrustOptionException(name, value, "true or false"),
    };

    private static DateOnly ParseDate(string name, string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly d) && d.Year is >= 1990 and <= 2080
            ? d
            : throw new TrustOptionException(name, value, "a date yyyy-MM-dd between 1990 and 2080");

    private static DocumentFormat ParseDocumentType(string value) => value.ToLowerInvariant() switch
    {
        "td3" => DocumentFormat.Td3,
        "td2" => DocumentFormat.Td2,
        "td1" => DocumentFormat.Td1,
        _ => throw new TrustOptionException("document_type", value, "td3, td2, td1"),
    };

    private static string ParseChoice(string name, string value, string[] allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase)) ?? throw new TrustOptionException(name, value, string.Join(", ", allowed));

    private static List<string> ParseCountryCodes(string value)
    {
        var codes = new List<string>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            TrustCountry country = Trust.Countries.Find(part) ?? throw new TrustOptionException("country_codes", part, "ICAO or alpha-2 codes of: " + string.Join(' ', Trust.Countries.All.Select(c => c.Icao)));
            if (!codes.Contains(country.Icao, StringComparer.Ordinal))
            {
                codes.Add(country.Icao);
            }
        }

        return codes.Count > 0 ? codes : throw new TrustOptionException("country_codes", value, "at least one country code");
    }

    private static string Suggest(string name)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach ((string candidate, _, _) in Parameters)
        {
            int d = Levenshtein(name, candidate);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        return best is not null && bestDistance <= 3 ? $" (did you mean '{best}'?)" : string.Empty;
    }

    private static int Levenshtein(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
