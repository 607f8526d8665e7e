using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Doppel.Mdoc.Cbor;
using Doppel.Mdoc.Cose;
using Doppel.Mdoc.Iso;
using Doppel.Mdoc.Pki;

namespace Doppel.Mdoc;

/// <summary>One failed check.</summary>
/// <param name="Label">A label from <see cref="MdocFaults"/> (e.g. <c>digest_mismatch</c>).</param>
/// <param name="Message">One line saying what failed.</param>
/// <param name="DocType">The document it concerns, when known.</param>
public sealed record MdocVerificationFailure(string Label, string Message, string? DocType);

/// <summary>What was learned about one verified document.</summary>
/// <param name="DocType">docType (from the Document, or from the MSO for a bare IssuerSigned).</param>
/// <param name="IssuingCountry">issuing_country if disclosed.</param>
/// <param name="ElementCount">Disclosed issuer-signed elements.</param>
/// <param name="DeviceAuthenticated">True/false when the device signature was checked; null when it was not (no DeviceSigned or no session transcript supplied).</param>
public sealed record MdocVerifiedDocument(string? DocType, string? IssuingCountry, int ElementCount, bool? DeviceAuthenticated);

/// <summary>The outcome of <see cref="MdocVerifier.Verify"/>.</summary>
public sealed class MdocVerificationResult
{
    internal MdocVerificationResult(IReadOnlyList<MdocVerificationFailure> failures, IReadOnlyList<MdocVerifiedDocument> documents)
    {
        Failures = failures;
        Documents = documents;
    }

    /// <summary>True when no check failed.</summary>
    public bool IsValid => Failures.Count == 0;

    /// <summary>Every failed check, in the order checked.</summary>
    public IReadOnlyList<MdocVerificationFailure> Failures { get; }

    /// <summary>The distinct failure labels, in the order first seen.</summary>
    public IReadOnlyList<string> Labels => [.. Failures.Select(f => f.Label).Distinct(StringComparer.Ordinal)];

    /// <summary>The documents found.</summary>
    public IReadOnlyList<MdocVerifiedDocument> Documents { get; }

    /// <inheritdoc />
    public override string ToString() => IsValid ? "valid" : string.Join("; ", Failures.Select(f => f.Label + ": " + f.Message));
}

/// <summary>
/// Verifies a DeviceResponse or a bare IssuerSigned structure the way an mdoc reader does
/// (domain reference §5.5–§5.6; order after auth0 <c>Verifier.verify</c>): x5chain DS chains to a
/// trusted IACA, DS profile, certificate times, issuer signature, MSO docType and validity,
/// value digests of every disclosed element, issuing_country against the DS C=, and — when a
/// session transcript is supplied — the detached device signature. Every failed check is
/// reported with a <see cref="MdocFaults"/> label; nothing throws for bad input.
/// </summary>
public static class MdocVerifier
{
    /// <summary>Verifies <paramref name="deviceResponseOrIssuerSigned"/> against <paramref name="trustedIacas"/> at <paramref name="asOf"/>.</summary>
    /// <param name="deviceResponseOrIssuerSigned">CBOR bytes of a DeviceResponse or an IssuerSigned.</param>
    /// <param name="trustedIacas">The IACA roots to trust.</param>
    /// <param name="asOf">The verification instant (never the wall clock).</param>
    /// <param name="sessionTranscript">CBOR SessionTranscript for device authentication; null skips that check.</param>
    public static MdocVerificationResult Verify(byte[] deviceResponseOrIssuerSigned, IEnumerable<X509Certificate2> trustedIacas, DateTimeOffset asOf, byte[]? sessionTranscript = null)
    {
        ArgumentNullException.ThrowIfNull(deviceResponseOrIssuerSigned);
        ArgumentNullException.ThrowIfNull(trustedIacas);
        var failures = new List<MdocVerificationFailure>();
        var documents = new List<MdocVerifiedDocument>();
        var trusted = trustedIacas.ToList();
        try
        {
            var top = CborDecoder.Decode(deviceResponseOrIssuerSigned).AsMap("top-level item");
            CborValue? transcript = sessionTranscript is null ? null : CborDecoder.Decode(sessionTranscript);
            if (top.TryGetValue("issuerAuth", out _))
            {
                var (docType, country, count, _) = VerifyIssuerSigned(top, expectedDocType: null, trusted, asOf, failures);
                documents.Add(new MdocVerifiedDocument(docType, country, count, null));
            }
            else if (top.TryGetValue("version", out var version))
            {
                if (!string.Equals(version.AsText("DeviceResponse version"), "1.0", StringComparison.Ordinal))
                {
                    failures.Add(new(MdocFaults.Malformed, "DeviceResponse version is not 1.0", null));
                }

                var status = top.TryGetValue("status", out var st) ? st.AsInt64("DeviceResponse status") : -1;
                if (status != 0)
                {
                    failures.Add(new(MdocFaults.Malformed, "DeviceResponse status is " + status.ToString(CultureInfo.InvariantCulture) + ", not 0 (OK)", null));
                }

                var docs = top.TryGetValue("documents", out var d) ? d.AsArray("DeviceResponse documents") : [];
                if (docs.Count == 0)
                {
                    failures.Add(new(MdocFaults.Malformed, "DeviceResponse has no documents", null));
                }

                foreach (var doc in docs)
                {
                    documents.Add(VerifyDocument(doc.AsMap("Document"), trusted, asOf, transcript, failures));
                }
            }
            else
            {
                failures.Add(new(MdocFaults.Malformed, "input is neither a DeviceResponse (no \"version\") nor an IssuerSigned (no \"issuerAuth\")", null));
            }
        }
        catch (CborException e)
        {
            failures.Add(new(MdocFaults.Malformed, e.Message, null));
        }
        catch (CryptographicException e)
        {
            // E.g. an x5chain entry or a key that is not valid DER/EC data.
            failures.Add(new(MdocFaults.Malformed, "cryptographic data is invalid: " + e.Message.ReplaceLineEndings(" "), null));
        }

        return new MdocVerificationResult(failures, documents);
    }

    private static MdocVerifiedDocument VerifyDocument(CborMap document, List<X509Certificate2> trusted, DateTimeOffset asOf, CborValue? transcript, List<MdocVerificationFailure> failures)
    {
        var docType = document.Get("docType", "Document").AsText("Document docType");
        var issuerSigned = document.Get("issuerSigned", "Document").AsMap("IssuerSigned");
        var (_, country, count, deviceKey) = VerifyIssuerSigned(issuerSigned, docType, trusted, asOf, failures);

        bool? deviceAuthenticated = null;
        if (transcript is not null && document.TryGetValue("deviceSigned", out var ds) && deviceKey is not null)
        {
            using (deviceKey)
            {
                deviceAuthenticated = VerifyDeviceSignature(ds.AsMap("DeviceSigned"), transcript, docType, deviceKey, failures);
            }
        }
        else
        {
            deviceKey?.Dispose();
        }

        return new MdocVerifiedDocument(docType, country, count, deviceAuthenticated);
    }

    private static bool VerifyDeviceSignature(CborMap deviceSigned, CborValue transcript, string docType, ECDsa deviceKey, List<MdocVerificationFailure> failures)
    {
        var nameSpacesBytes = deviceSigned.Get("nameSpaces", "DeviceSigned");
        var auth = deviceSigned.Get("deviceAuth", "DeviceSigned").AsMap("DeviceAuth");
        if (!auth.TryGetValue("deviceSignature", out var signature))
        {
            failures.Add(new(MdocFaults.UnsupportedAlgorithm, "deviceAuth has no deviceSignature (deviceMac is not supported)", docType));
            return false;
        }

        var message = CoseSign1Message.Decode(signature);
        var payload = MdocStructures.DeviceAuthenticationBytes(transcript, docType, nameSpacesBytes, CborEncodeOptions.Default);
        if (!message.Verify(deviceKey, payload))
        {
            failures.Add(new(MdocFaults.DeviceSignatureInvalid, "deviceSignature does not verify with the MSO device key over DeviceAuthentication", docType));
            return false;
        }

        return true;
    }

    private static (string? DocType, string? Country, int Count, ECDsa? DeviceKey) VerifyIssuerSigned(
        CborMap issuerSigned, string? expectedDocType, List<X509Certificate2> trusted, DateTimeOffset asOf, List<MdocVerificationFailure> failures)
    {
        var docType = expectedDocType;
        var cose = CoseSign1Message.Decode(issuerSigned.Get("issuerAuth", "IssuerSigned"));
        var chain = cose.GetX5Chain();
        X509Certificate2? ds = chain.Count > 0 ? chain[0] : null;
        ECDsa? dsKey = null;

        if (ds is null)
        {
            failures.Add(new(MdocFaults.InvalidDocumentSigner, "issuerAuth has no x5chain (label 33)", docType));
        }
        else
        {
            CheckDocumentSigner(ds, chain, trusted, asOf, docType, failures);
            dsKey = ds.GetECDsaPublicKey();
            if (dsKey is null)
            {
                failures.Add(new(MdocFaults.InvalidDocumentSigner, "DS certificate does not hold an EC public key", docType));
            }
        }

        var alg = cose.Algorithm;
        if (alg is not (CoseLabels.ES256 or CoseLabels.ES384 or CoseLabels.ES512))
        {
            failures.Add(new(MdocFaults.UnsupportedAlgorithm, "issuerAuth alg " + (alg?.ToString(CultureInfo.InvariantCulture) ?? "missing") + " is not ES256/ES384/ES512", docType));
        }
        else if (dsKey is not null && !cose.Verify(dsKey))
        {
            failures.Add(new(MdocFaults.WrongSigner, "issuerAuth signature does not verify with the x5chain DS certificate " + ds!.Subject, docType));
        }

        dsKey?.Dispose();

        if (cose.Payload is not { } payload)
        {
            failures.Add(new(MdocFaults.Malformed, "issuerAuth payload (MSO) is detached", docType));
            return (docType, null, 0, null);
        }

        var msoItem = CborDecoder.Decode(payload);
        var mso = (msoItem is CborMap direct ? direct : CborDecoder.DecodeEmbedded(msoItem, "MobileSecurityObjectBytes")).AsMap("MSO");
        var msoDocType = mso.Get("docType", "MSO").AsText("MSO docType");
        if (docType is not null && !string.Equals(docType, msoDocType, StringComparison.Ordinal))
        {
            failures.Add(new(MdocFaults.DocTypeMismatch, $"MSO docType {msoDocType} differs from Document docType {docType}", docType));
        }

        docType ??= msoDocType;
        var validity = mso.Get("validityInfo", "MSO").AsMap("MSO validityInfo");
        var signed = TDate(validity.Get("signed", "validityInfo"), "signed");
        var validFrom = TDate(validity.Get("validFrom", "validityInfo"), "validFrom");
        var validUntil = TDate(validity.Get("validUntil", "validityInfo"), "validUntil");
        if (ds is not null && (signed < Utc(ds.NotBefore) || signed > Utc(ds.NotAfter)))
        {
            failures.Add(new(MdocFaults.CertificateNotValid, $"MSO signed {Files.TDate(signed)} is outside the DS validity", docType));
        }

        if (asOf < validFrom)
        {
            failures.Add(new(MdocFaults.NotYetValid, $"MSO validFrom {Files.TDate(validFrom)} is after {Files.TDate(asOf)}", docType));
        }

        if (asOf > validUntil)
        {
            failures.Add(new(MdocFaults.ExpiredValidity, $"MSO validUntil {Files.TDate(validUntil)} is before {Files.TDate(asOf)}", docType));
        }

        var (country, count) = CheckDigests(issuerSigned, mso, docType, failures);
        if (country is not null && ds is not null)
        {
            var c = CountryOf(ds.SubjectName);
            if (!string.Equals(c, country, StringComparison.Ordinal))
            {
                failures.Add(new(MdocFaults.CountryMismatch, $"issuing_country {country} differs from the DS certificate C={c}", docType));
            }
        }

        return (docType, country, count, DeviceKey(mso));
    }

    private static (string? Country, int Count) CheckDigests(CborMap issuerSigned, CborMap mso, string? docType, List<MdocVerificationFailure> failures)
    {
        var algorithm = mso.Get("digestAlgorithm", "MSO").AsText("MSO digestAlgorithm");
        if (algorithm is not ("SHA-256" or "SHA-384" or "SHA-512"))
        {
            failures.Add(new(MdocFaults.UnsupportedAlgorithm, "MSO digestAlgorithm " + algorithm + " is not supported", docType));
            return (null, 0);
        }

        var valueDigests = mso.Get("valueDigests", "MSO").AsMap("MSO valueDigests");
        string? country = null;
        var count = 0;
        var mismatched = new List<string>();
        if (!issuerSigned.TryGetValue("nameSpaces", out var nameSpacesValue))
        {
            return (null, 0);
        }

        foreach (var (nsKey, itemsValue) in nameSpacesValue.AsMap("IssuerSigned nameSpaces"))
        {
            var ns = nsKey.AsText("namespace");
            CborMap? digests = valueDigests.TryGetValue(ns, out var dv) ? dv.AsMap("valueDigests " + ns) : null;
            foreach (var itemBytes in itemsValue.AsArray("namespace " + ns))
            {
                var item = CborDecoder.DecodeEmbedded(itemBytes, "IssuerSignedItemBytes").AsMap("IssuerSignedItem");
                var digestId = item.Get("digestID", "IssuerSignedItem").AsInt64("digestID");
                var element = item.Get("elementIdentifier", "IssuerSignedItem").AsText("elementIdentifier");
                var value = item.Get("elementValue", "IssuerSignedItem");
                count++;
                var expected = digests is not null && digests.TryGetValue(digestId, out var e) ? e.AsBytes("value digest") : (ReadOnlyMemory<byte>?)null;
                var actual = MdocStructures.ValueDigest(itemBytes, algorithm);
                if (expected is null || !CryptographicOperations.FixedTimeEquals(expected.Value.Span, actual))
                {
                    mismatched.Add(ns + "/" + element);
                }

                if (element == "issuing_country" && value is CborTextString t)
                {
                    country = t.Value;
                }
            }
        }

        if (mismatched.Count > 0)
        {
            failures.Add(new(MdocFaults.DigestMismatch, "value digest does not match the MSO for " + string.Join(", ", mismatched), docType));
        }

        return (country, count);
    }

    private static void CheckDocumentSigner(X509Certificate2 ds, IReadOnlyList<X509Certificate2> x5chain, List<X509Certificate2> trusted, DateTimeOffset asOf, string? docType, List<MdocVerificationFailure> failures)
    {
        var eku = ds.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (eku is null || !eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == MdocPki.MdlDsEku))
        {
            failures.Add(new(MdocFaults.InvalidDocumentSigner, "DS certificate lacks the mdlDS extended key usage " + MdocPki.MdlDsEku, docType));
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(x5chain.Skip(1).ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        chain.ChainPolicy.VerificationTime = asOf.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(ds))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct(StringComparer.Ordinal));
            failures.Add(new(MdocFaults.UntrustedIaca, $"DS certificate {ds.Subject} does not chain to a trusted IACA ({status})", docType));
            return;
        }

        var root = chain.ChainElements[^1].Certificate;
        foreach (var cert in (X509Certificate2[])[ds, root])
        {
            if (asOf < Utc(cert.NotBefore) || asOf > Utc(cert.NotAfter))
            {
                failures.Add(new(MdocFaults.CertificateNotValid, $"certificate {cert.Subject} is not valid at {Files.TDate(asOf)}", docType));
            }
        }

        if (!string.Equals(CountryOf(ds.SubjectName), CountryOf(root.SubjectName), StringComparison.Ordinal))
        {
            failures.Add(new(MdocFaults.InvalidDocumentSigner, "DS C= differs from the IACA C=", docType));
        }
    }

    private static ECDsa? DeviceKey(CborMap mso)
    {
        if (!mso.TryGetValue("deviceKeyInfo", out var info) || !info.AsMap("deviceKeyInfo").TryGetValue("deviceKey", out var keyValue))
        {
            return null;
        }

        var key = keyValue.AsMap("deviceKey");
        if (!key.TryGetValue(-1, out var crvValue) || !key.TryGetValue(-2, out var x) || !key.TryGetValue(-3, out var y))
        {
            return null;
        }

        var curve = crvValue.AsInt64("deviceKey crv") switch
        {
            1 => ECCurve.NamedCurves.nistP256,
            2 => ECCurve.NamedCurves.nistP384,
            3 => ECCurve.NamedCurves.nistP521,
            _ => (ECCurve?)null,
        };
        if (curve is null)
        {
            return null;
        }

        try
        {
            return ECDsa.Create(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = x.AsBytes("x").ToArray(), Y = y.AsBytes("y").ToArray() } });
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);

    private static string? CountryOf(X500DistinguishedName name)
    {
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.6")
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }

    private static DateTimeOffset TDate(CborValue value, string what)
    {
        var text = value.Untag(CborTag.DateTimeString, "validityInfo " + what).AsText("validityInfo " + what);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new CborException($"validityInfo {what}: '{text}' is not an RFC 3339 date-time");
    }
}
