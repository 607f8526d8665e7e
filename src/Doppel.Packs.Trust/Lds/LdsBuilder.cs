using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Doppel.Packs.Trust.Crypto;

namespace Doppel.Packs.Trust.Lds;

/// <summary>
/// Builds the logical data structure files of an eMRTD chip (Doc 9303-10; domain reference §4.7–4.8):
/// EF.COM, DG1 (MRZ), DG2 (face), the LDSSecurityObject and EF.SOD.
/// </summary>
internal static class LdsBuilder
{
    public const string LdsSecurityObjectOid = "2.23.136.1.1.1";
    public const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>EF.COM: tag 60 with LDS version 0108, Unicode version 040000 and the tag list (DG1 61, DG2 75).</summary>
    public static byte[] EfCom() => Tlv.Build([0x60], Tlv.Concat(
        Tlv.Build([0x5F, 0x01], "0108"u8),
        Tlv.Build([0x5F, 0x36], "040000"u8),
        Tlv.Build([0x5C], [0x61, 0x75])));

    /// <summary>DG1 = 61 L { 5F1F L &lt;MRZ without line breaks&gt; }.</summary>
    public static byte[] Dg1(IReadOnlyList<string> mrzLines) =>
        Tlv.Build([0x61], Tlv.Build([0x5F, 0x1F], Encoding.ASCII.GetBytes(string.Concat(mrzLines))));

    /// <summary>Reads the MRZ lines back out of a DG1 (null when the structure is wrong).</summary>
    public static string[]? ReadDg1(ReadOnlySpan<byte> dg1)
    {
        if (!Tlv.TryRead(dg1, out int tag, out ReadOnlySpan<byte> inner, out _) || tag != 0x61 ||
            !Tlv.TryRead(inner, out int mrzTag, out ReadOnlySpan<byte> mrz, out _) || mrzTag != 0x5F1F)
        {
            return null;
        }

        string text = Encoding.ASCII.GetString(mrz);
        int lineLength = text.Length switch
        {
            88 => 44,
            72 => 36,
            90 => 30,
            _ => 0,
        };
        return lineLength == 0 ? null : Enumerable.Range(0, text.Length / lineLength).Select(i => text.Substring(i * lineLength, lineLength)).ToArray();
    }

    /// <summary>
    /// DG2 (Doc 9303-10 Table 44): 75 { 7F61 { 02 01 01, 7F60 { A1 {BHT}, 5F2E &lt;ISO/IEC 19794-5 BDB&gt; } } }.
    /// </summary>
    public static byte[] Dg2(byte[] jpeg, int width, int height, char sex)
    {
        byte[] bdb = FaceRecord(jpeg, width, height, sex);
        byte[] header = Tlv.Build([0xA1], Tlv.Concat(
            Tlv.Build([0x80], [0x01, 0x01]),   // ICAO header version
            Tlv.Build([0x81], [0x02]),         // biometric type: facial features
            Tlv.Build([0x87], [0x01, 0x01]),   // format owner: ISO/IEC JTC1/SC37
            Tlv.Build([0x88], [0x00, 0x08]))); // format type: 19794-5 face
        byte[] template = Tlv.Build([0x7F, 0x60], Tlv.Concat(header, Tlv.Build([0x5F, 0x2E], bdb)));
        return Tlv.Build([0x75], Tlv.Build([0x7F, 0x61], Tlv.Concat(Tlv.Build([0x02], [0x01]), template)));
    }

    /// <summary>ISO/IEC 19794-5:2005 face record: general header, one facial record header, image information, JPEG.</summary>
    private static byte[] FaceRecord(byte[] jpeg, int width, int height, char sex)
    {
        const int generalHeader = 14;
        const int facialHeader = 20;
        const int imageInfo = 12;
        int facialLength = facialHeader + imageInfo + jpeg.Length;
        int total = generalHeader + facialLength;
        byte[] r = new byte[total];
        "FAC\0"u8.CopyTo(r);
        "010\0"u8.CopyTo(r.AsSpan(4));
        WriteUInt32(r, 8, (uint)total);
        r[12] = 0;
        r[13] = 1; // one facial image
        int o = generalHeader;
        WriteUInt32(r, o, (uint)facialLength);
        // feature points (2) = 0; gender; eye colour; hair colour; feature mask (3); expression (2); pose (3); uncertainty (3)
        r[o + 6] = sex switch
        {
            'M' => 1,
            'F' => 2,
            _ => 0,
        };
        r[o + 13] = 1; // expression: neutral
        o += facialHeader;
        r[o] = 1;      // face image type: full frontal
        r[o + 1] = 0;  // image data type: JPEG
        r[o + 2] = (byte)(width >> 8);
        r[o + 3] = (byte)width;
        r[o + 4] = (byte)(height >> 8);
        r[o + 5] = (byte)height;
        r[o + 6] = 1;  // colour space: 24-bit RGB
        r[o + 7] = 2;  // source type: digital still camera
        jpeg.CopyTo(r, o + imageInfo);
        return r;
    }

    private static void WriteUInt32(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    /// <summary>LDSSecurityObject v0 (Part 10 §4.6.2.3) with SHA-256 hashes of the complete DG files.</summary>
    public static byte[] LdsSecurityObject(IReadOnlyList<(int Number, byte[] Content)> dataGroups)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier(Sha256Oid);
            }

            using (w.PushSequence())
            {
                foreach ((int number, byte[] content) in dataGroups)
                {
                    using (w.PushSequence())
                    {
                        w.WriteInteger(number);
                        w.WriteOctetString(SHA256.HashData(content));
                    }
                }
            }
        }

        return w.Encode();
    }

    /// <summary>Parses an LDSSecurityObject into (hash algorithm OID, DG number → hash).</summary>
    public static (string HashOid, Dictionary<int, byte[]> Hashes) ReadLdsSecurityObject(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader seq = reader.ReadSequence();
        _ = seq.ReadInteger();
        AsnReader alg = seq.ReadSequence();
        string oid = alg.ReadObjectIdentifier();
        AsnReader groups = seq.ReadSequence();
        var hashes = new Dictionary<int, byte[]>();
        while (groups.HasData)
        {
            AsnReader g = groups.ReadSequence();
            hashes[(int)g.ReadInteger()] = g.ReadOctetString();
        }

        return (oid, hashes);
    }

    /// <summary>EF.SOD: tag 77 around a CMS SignedData over the LDSSecurityObject, signed by the DS.</summary>
    public static byte[] Sod(byte[] ldsSecurityObject, SigningKey dsKey, X509Certificate2 dsCertificate, DateTimeOffset signingTime)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(LdsSecurityObjectOid), ldsSecurityObject), detached: false);
        cms.ComputeSignature(dsKey.CmsSigner(dsCertificate, SubjectIdentifierType.IssuerAndSerialNumber, signingTime), silent: true);
        return Tlv.Build([0x77], cms.Encode());
    }

    /// <summary>
    /// A SOD that names <paramref name="dsCertificate"/> (issuer and serial, certificate included) but whose
    /// signature is made with <paramref name="wrongKey"/>: the "signature by the wrong key" negative case.
    /// </summary>
    public static byte[] SodSignedByWrongKey(byte[] ldsSecurityObject, SigningKey wrongKey, X509Certificate2 dsCertificate, DateTimeOffset signingTime)
    {
        // A twin certificate with the DS's issuer, serial and validity but the wrong public key lets the platform sign;
        // then the twin is swapped for the real DS certificate.
        var request = new CertificateRequest(dsCertificate.SubjectName, wrongKey.PublicKey, wrongKey.Hash, wrongKey.RsaPadding);
        using X509Certificate2 twin = request.Create(dsCertificate.IssuerName, wrongKey.Generator, new DateTimeOffset(dsCertificate.NotBefore.ToUniversalTime()), new DateTimeOffset(dsCertificate.NotAfter.ToUniversalTime()), dsCertificate.GetSerialNumber().Reverse().ToArray());
        var cms = new SignedCms(new ContentInfo(new Oid(LdsSecurityObjectOid), ldsSecurityObject), detached: false);
        cms.ComputeSignature(wrongKey.CmsSigner(twin, SubjectIdentifierType.IssuerAndSerialNumber, signingTime), silent: true);
        cms.RemoveCertificate(twin);
        cms.AddCertificate(dsCertificate);
        return Tlv.Build([0x77], cms.Encode());
    }

    /// <summary>Strips the 77 wrapper of an EF.SOD, returning the CMS ContentInfo (null when malformed).</summary>
    public static byte[]? UnwrapSod(byte[] sod) =>
        Tlv.TryRead(sod, out int tag, out ReadOnlySpan<byte> value, out _) && tag == 0x77 ? value.ToArray() : null;
}
