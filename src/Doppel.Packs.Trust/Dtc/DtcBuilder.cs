using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Doppel.Packs.Trust.Pki;

namespace Doppel.Packs.Trust.Dtc;

/// <summary>
/// ICAO DTC virtual component (TR "DTC Virtual Component Data Structure and PKI Mechanisms" v1.2;
/// domain reference §6.3). Type 1 (eMRTD bound) copies EF.SOD, DG1 and DG2 verbatim; Type 2 (eMRTD-PC
/// bound) additionally carries dtcSecurityInfo, dtcTBS and dtcSignerInfo.
/// </summary>
/// <remarks>
/// The TR's definitions of DTCTBSValue, DTCSignerInfo and DTCSecurityInfo were not available
/// (reference "Open points" 6). This pack uses, and documents in docs/packs/trust.md:
/// <code>
/// DTCSecurityInfo ::= SEQUENCE { dtcIdentifier PrintableString, dtcDateOfExpiry PrintableString (YYMMDD),
///                                pcPublicKey SubjectPublicKeyInfo }
/// DTCTBSValue     ::= SEQUENCE { dtcDataTag INTEGER, hashValue OCTET STRING }  -- SHA-256 of the complete element
/// DTCSignerInfo   ::= ContentInfo  -- CMS SignedData, detached, over DER(DTCTBSValues), signed by the DTC signer
/// </code>
/// </remarks>
internal static class DtcBuilder
{
    private static readonly Asn1Tag TbsTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag SignerInfoTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag SecurityInfoTag = new(TagClass.ContextSpecific, 22, isConstructed: true);

    public static byte[] Type1(byte[] sod, byte[] dg1, byte[] dg2)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            w.WriteEncodedValue(DtcData(sod, dg1, dg2, securityInfo: null));
        }

        return w.Encode();
    }

    public static byte[] Type2(byte[] sod, byte[] dg1, byte[] dg2, string dtcIdentifier, DateOnly dateOfExpiry, byte[] pcPublicKeySpki, IssuedCertificate signer, DateTimeOffset signingTime)
    {
        byte[] securityInfo = SecurityInfo(dtcIdentifier, dateOfExpiry, pcPublicKeySpki);
        byte[] data = DtcData(sod, dg1, dg2, securityInfo);
        byte[] tbs = TbsValues(data);
        byte[] signerInfo = SignTbs(tbs, signer, signingTime);

        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(1);
            w.WriteEncodedValue(data);
            using (w.PushSequence(TbsTag))
            {
                w.WriteEncodedValue(tbs);
            }

            using (w.PushSequence(SignerInfoTag))
            {
                w.WriteEncodedValue(signerInfo);
            }
        }

        return w.Encode();
    }

    private static byte[] DtcData(byte[] sod, byte[] dg1, byte[] dg2, byte[]? securityInfo)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteOctetString(sod, new Asn1Tag(TagClass.ContextSpecific, 0));
            w.WriteOctetString(dg1, new Asn1Tag(TagClass.ContextSpecific, 1));
            w.WriteOctetString(dg2, new Asn1Tag(TagClass.ContextSpecific, 2));
            if (securityInfo is not null)
            {
                using (w.PushSequence(SecurityInfoTag))
                {
                    w.WriteEncodedValue(securityInfo);
                }
            }
        }

        return w.Encode();
    }

    private static byte[] SecurityInfo(string dtcIdentifier, DateOnly dateOfExpiry, byte[] pcPublicKeySpki)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteCharacterString(UniversalTagNumber.PrintableString, dtcIdentifier);
            w.WriteCharacterString(UniversalTagNumber.PrintableString, Mrz.MrzFormat.Date(dateOfExpiry));
            w.WriteEncodedValue(pcPublicKeySpki);
        }

        return w.Encode();
    }

    /// <summary>DTCTBSValues: one (tag, SHA-256) entry per element of DTCData, in encoding order.</summary>
    public static byte[] TbsValues(byte[] dtcData)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        AsnReader elements = new AsnReader(dtcData, AsnEncodingRules.DER).ReadSequence();
        using (w.PushSequence())
        {
            while (elements.HasData)
            {
                Asn1Tag tag = elements.PeekTag();
                ReadOnlyMemory<byte> element = elements.ReadEncodedValue();
                using (w.PushSequence())
                {
                    w.WriteInteger(tag.TagValue);
                    w.WriteOctetString(SHA256.HashData(element.Span));
                }
            }
        }

        return w.Encode();
    }

    private static byte[] SignTbs(byte[] tbs, IssuedCertificate signer, DateTimeOffset signingTime)
    {
        var cms = new SignedCms(new ContentInfo(tbs), detached: true);
        cms.ComputeSignature(signer.Key.CmsSigner(signer.Certificate, SubjectIdentifierType.IssuerAndSerialNumber, signingTime), silent: true);
        return cms.Encode();
    }

    /// <summary>A parsed DTC virtual component, for validation.</summary>
    internal sealed record Parsed(int Version, Dictionary<int, byte[]> Data, byte[] DtcDataDer, byte[]? SecurityInfo, byte[]? Tbs, byte[]? SignerInfo);

    public static Parsed Parse(byte[] der)
    {
        AsnReader root = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        int version = (int)root.ReadInteger();
        byte[] dataDer = root.PeekEncodedValue().ToArray();
        AsnReader data = root.ReadSequence();
        var elements = new Dictionary<int, byte[]>();
        byte[]? securityInfo = null;
        while (data.HasData)
        {
            Asn1Tag tag = data.PeekTag();
            if (tag.TagValue == 22 && tag.IsConstructed)
            {
                securityInfo = data.ReadSequence(SecurityInfoTag).ReadEncodedValue().ToArray();
            }
            else if (tag.IsConstructed)
            {
                _ = data.ReadEncodedValue();
            }
            else
            {
                elements[tag.TagValue] = data.ReadOctetString(tag);
            }
        }

        byte[]? tbs = null;
        byte[]? signerInfo = null;
        if (root.HasData && root.PeekTag().HasSameClassAndValue(TbsTag))
        {
            tbs = root.ReadSequence(TbsTag).ReadEncodedValue().ToArray();
        }

        if (root.HasData && root.PeekTag().HasSameClassAndValue(SignerInfoTag))
        {
            signerInfo = root.ReadSequence(SignerInfoTag).ReadEncodedValue().ToArray();
        }

        return new Parsed(version, elements, dataDer, securityInfo, tbs, signerInfo);
    }
}
