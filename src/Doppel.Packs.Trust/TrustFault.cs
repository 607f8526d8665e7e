namespace Doppel.Packs.Trust;

/// <summary>Negative cases and the failure a verifier must report for each (labels used in faults.jsonl).</summary>
public static class TrustFault
{
    /// <summary>The document-number check digit of the MRZ is wrong (composite recomputed, so only that digit fails).</summary>
    public const string MrzCheckDigit = "mrz_check_digit";

    /// <summary>DG1 was altered after signing: its SHA-256 differs from the LDSSecurityObject entry.</summary>
    public const string DgHashMismatch = "dg_hash_mismatch";

    /// <summary>EF.SOD names the country's DS certificate but was signed with another key.</summary>
    public const string SodSignatureInvalid = "sod_signature_invalid";

    /// <summary>Signed by a DS whose certificate expired before the signing time and the as_of date.</summary>
    public const string DsExpired = "ds_expired";

    /// <summary>Signed by a DS listed on its CSCA's CRL.</summary>
    public const string DsRevoked = "ds_revoked";

    /// <summary>Signed by a DS issued by a CSCA that is in no master list and no trust-anchor set.</summary>
    public const string UnknownCsca = "unknown_csca";

    /// <summary>All labels, in the order they are assigned to passports.</summary>
    public static IReadOnlyList<string> All { get; } = [MrzCheckDigit, DgHashMismatch, SodSignatureInvalid, DsExpired, DsRevoked, UnknownCsca];

    /// <summary>What a verifier says for each label (also written to faults.jsonl).</summary>
    public static string Expectation(string label) => label switch
    {
        MrzCheckDigit => "MRZ check digit mismatch (document number)",
        DgHashMismatch => "data group hash does not match the LDSSecurityObject (DG1)",
        SodSignatureInvalid => "EF.SOD signature does not verify with the Document Signer public key",
        DsExpired => "Document Signer certificate has expired",
        DsRevoked => "Document Signer certificate is revoked on the CSCA CRL",
        UnknownCsca => "Document Signer certificate does not chain to a known CSCA",
        _ => label,
    };

    /// <summary>The openssl failure text for the label, when openssl can detect it.</summary>
    public static string? OpenSslExpectation(string label) => label switch
    {
        SodSignatureInvalid => "openssl cms -verify: signature failure",
        DsExpired => "openssl verify -attime <as_of>: certificate has expired",
        DsRevoked => "openssl verify -crl_check: certificate revoked",
        UnknownCsca => "openssl verify: unable to get local issuer certificate",
        _ => null,
    };

    /// <summary>
    /// Which passport indices are negative cases: <c>max(round(rate·n), min(6, n))</c> cases when rate &gt; 0,
    /// spread evenly over the indices, labels assigned round-robin (so every label appears once there are ≥ 6).
    /// </summary>
    public static string?[] Plan(int passports, double rate)
    {
        var plan = new string?[passports];
        if (rate <= 0 || passports == 0)
        {
            return plan;
        }

        int count = Math.Min(passports, Math.Max((int)Math.Round(rate * passports, MidpointRounding.AwayFromZero), Math.Min(All.Count, passports)));
        for (int j = 0; j < count; j++)
        {
            int index = (int)(((j + 0.5) * passports) / count);
            plan[index] = All[j % All.Count];
        }

        return plan;
    }
}
