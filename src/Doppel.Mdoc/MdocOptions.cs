using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Doppel.Mdoc.Pki;

namespace Doppel.Mdoc;

/// <summary>Which credential family to generate.</summary>
public enum MdocKind
{
    /// <summary>An ISO 18013-5 mobile driving licence (docType <c>org.iso.18013.5.1.mDL</c>).</summary>
    Mdl,

    /// <summary>A generic mdoc; by default the EU PID (docType and namespace <c>eu.europa.ec.eudi.pid.1</c>).</summary>
    Mdoc,
}

/// <summary>Issuer signature algorithm (COSE, RFC 9053 §2.1). The curve follows the algorithm.</summary>
public enum MdocSignatureAlgorithm
{
    /// <summary>ECDSA P-256 / SHA-256 (COSE -7); the ISO 18013-5 default.</summary>
    ES256,

    /// <summary>ECDSA P-384 / SHA-384 (COSE -35).</summary>
    ES384,

    /// <summary>ECDSA P-521 / SHA-512 (COSE -36).</summary>
    ES512,
}

/// <summary>Issuer-side settings shared by every credential of a run.</summary>
/// <remarks>
/// The mDL docType and namespace are fixed by ISO 18013-5 (§5.1 of the domain reference); the
/// generic mdoc docType/namespace are configurable and default to the EU PID. Validity is
/// counted from the MSO <c>signed</c> instant.
/// </remarks>
public sealed record MdocIssuerOptions
{
    /// <summary>The mDL docType.</summary>
    public const string MdlDocType = "org.iso.18013.5.1.mDL";

    /// <summary>The mDL namespace holding all Table 5 elements.</summary>
    public const string MdlNamespace = "org.iso.18013.5.1";

    /// <summary>The EU PID docType (also its namespace).</summary>
    public const string EuPidDocType = "eu.europa.ec.eudi.pid.1";

    /// <summary>docType of generic mdocs (<see cref="MdocKind.Mdoc"/>).</summary>
    public string MdocDocType { get; init; } = EuPidDocType;

    /// <summary>Namespace of generic mdoc elements.</summary>
    public string MdocNamespace { get; init; } = EuPidDocType;

    /// <summary>Issuer (IACA, DS, issuerAuth) signature algorithm. Device keys are always P-256 (ES256).</summary>
    public MdocSignatureAlgorithm Algorithm { get; init; } = MdocSignatureAlgorithm.ES256;

    /// <summary>MSO validity: validUntil = signed + this many days (default 365).</summary>
    public int ValidityDays { get; init; } = 365;

    /// <summary>
    /// When true every CBOR map is written in RFC 8949 §4.2.1 order, including IssuerSignedItem and
    /// the MSO; when false (default) those keep the ISO 18013-5 Annex D field order
    /// (digestID, random, elementIdentifier, elementValue; version, digestAlgorithm, …) and all other
    /// maps are sorted. Verifiers hash the bytes they receive, so both verify.
    /// </summary>
    public bool SortAllMaps { get; init; }
}

/// <summary>What <see cref="MdocDatasetGenerator.Generate"/> should produce.</summary>
/// <remarks>
/// Every byte written is a pure function of this request: keys, salts, holder data and ECDSA
/// nonces (RFC 6979) come from <see cref="Seed"/> and names/indices, and time comes only from
/// <see cref="AsOf"/>. <see cref="FaultCount"/>, when set, wins over <see cref="FaultRate"/>.
/// </remarks>
public sealed record MdocDatasetRequest
{
    /// <summary>mDL or generic mdoc.</summary>
    public MdocKind Kind { get; init; } = MdocKind.Mdl;

    /// <summary>Number of credentials (0 or more).</summary>
    public int Count { get; init; }

    /// <summary>The dataset seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>The reference instant ("now") for validity and ages; never the wall clock.</summary>
    public DateTimeOffset AsOf { get; init; }

    /// <summary>ICAO 3-letter issuing-State codes (UTO, D, FRA …); each gets its own IACA and DS. Default: UTO.</summary>
    public IReadOnlyList<string> Countries { get; init; } = ["UTO"];

    /// <summary>Directory that receives the files (created when missing). Paths in the result are relative to it.</summary>
    public string OutputDirectory { get; init; } = string.Empty;

    /// <summary>Share of credentials (0..1) made deliberately invalid, spread evenly, cycling through the fault labels.</summary>
    public double FaultRate { get; init; }

    /// <summary>Exact number of faulty credentials; overrides <see cref="FaultRate"/> when set.</summary>
    public int? FaultCount { get; init; }

    /// <summary>Issuer settings.</summary>
    public MdocIssuerOptions Options { get; init; } = new();
}

/// <summary>The labels of deliberately invalid credentials; <see cref="MdocVerifier"/> reports the same labels.</summary>
public static class MdocFaults
{
    /// <summary>MSO validUntil lies before as_of.</summary>
    public const string ExpiredValidity = "expired_validity";

    /// <summary>An element value was altered after signing, so its digest no longer matches the MSO.</summary>
    public const string DigestMismatch = "digest_mismatch";

    /// <summary>issuerAuth was signed by a key that does not match the x5chain DS certificate.</summary>
    public const string WrongSigner = "wrong_signer";

    /// <summary>The DS certificate chains to an IACA that is not trusted.</summary>
    public const string UntrustedIaca = "untrusted_iaca";

    /// <summary>The generated fault labels, in the order they are assigned.</summary>
    public static IReadOnlyList<string> Generated { get; } = [ExpiredValidity, DigestMismatch, WrongSigner, UntrustedIaca];

    // Further verifier-only labels.

    /// <summary>Input is not well-formed CBOR or lacks a required structure.</summary>
    public const string Malformed = "malformed";

    /// <summary>MSO validFrom lies after as_of.</summary>
    public const string NotYetValid = "not_yet_valid";

    /// <summary>A certificate is not valid at as_of, or the MSO signed instant is outside the DS validity.</summary>
    public const string CertificateNotValid = "certificate_not_valid";

    /// <summary>The DS certificate lacks the mdlDS EKU or the DS/IACA profile is broken (C= mismatch, no x5chain).</summary>
    public const string InvalidDocumentSigner = "invalid_document_signer";

    /// <summary>MSO docType differs from the document's docType.</summary>
    public const string DocTypeMismatch = "doctype_mismatch";

    /// <summary>issuing_country differs from the DS certificate's C=.</summary>
    public const string CountryMismatch = "country_mismatch";

    /// <summary>Unsupported digest or signature algorithm.</summary>
    public const string UnsupportedAlgorithm = "unsupported_algorithm";

    /// <summary>The deviceSignature does not verify with the MSO device key over the session transcript.</summary>
    public const string DeviceSignatureInvalid = "device_signature_invalid";
}

/// <summary>One deliberately invalid credential.</summary>
/// <param name="CredentialId">The credential id.</param>
/// <param name="Label">One of <see cref="MdocFaults.Generated"/>.</param>
/// <param name="Description">What was done to it.</param>
public sealed record MdocFault(string CredentialId, string Label, string Description);

/// <summary>The result of a generation run.</summary>
public sealed class MdocDataset
{
    internal MdocDataset(IReadOnlyList<JsonObject> credentials, IReadOnlyList<MdocFault> faults, IReadOnlyList<MdocIssuingAuthority> authorities, IReadOnlyList<string> trustedIacaFiles)
    {
        Credentials = credentials;
        Faults = faults;
        Authorities = authorities;
        TrustedIacaFiles = trustedIacaFiles;
    }

    /// <summary>One JSON object per credential, in index order, for the trust pack's <c>credentials.mdl</c>/<c>credentials.mdoc</c> arrays.</summary>
    public IReadOnlyList<JsonObject> Credentials { get; }

    /// <summary>The deliberately invalid credentials.</summary>
    public IReadOnlyList<MdocFault> Faults { get; }

    /// <summary>One genuine issuing authority per requested country.</summary>
    public IReadOnlyList<MdocIssuingAuthority> Authorities { get; }

    /// <summary>PEM files of the trusted IACA roots, relative to the output directory.</summary>
    public IReadOnlyList<string> TrustedIacaFiles { get; }

    /// <summary>The trusted IACA roots (what a verifier should be given).</summary>
    public IReadOnlyList<X509Certificate2> TrustedIacas => [.. Authorities.Select(a => a.Iaca)];
}
