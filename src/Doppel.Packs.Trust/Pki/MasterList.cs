using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Doppel.Packs.Trust.Pki;

/// <summary>
/// CSCA Master List (Doc 9303-12 §9; domain reference §4.5): CMS SignedData with eContentType
/// id-icao-cscaMasterList 2.23.136.1.1.2 over CscaMasterList { version v0, certList SET OF Certificate },
/// signed by a Master List Signer whose certificate (and its CSCA) travel in SignedData.certificates.
/// </summary>
internal static class MasterList
{
    public const string ContentTypeOid = "2.23.136.1.1.2";

    public static byte[] Content(IEnumerable<byte[]> certificates)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            using (w.PushSetOf())
            {
                foreach (byte[] der in certificates)
                {
                    w.WriteEncodedValue(der);
                }
            }
        }

        return w.Encode();
    }

    public static byte[] Sign(byte[] content, IssuedCertificate signer, X509Certificate2 csca, DateTimeOffset signingTime)
    {
        var cms = new SignedCms(new ContentInfo(new Oid(ContentTypeOid), content), detached: false);
        CmsSigner cmsSigner = signer.Key.CmsSigner(signer.Certificate, SubjectIdentifierType.SubjectKeyIdentifier, signingTime);
        cmsSigner.Certificates.Add(csca);
        cms.ComputeSignature(cmsSigner, silent: true);
        return cms.Encode();
    }

    /// <summary>Reads the certificates of a CscaMasterList eContent.</summary>
    public static List<byte[]> ReadCertificates(byte[] content)
    {
        AsnReader seq = new AsnReader(content, AsnEncodingRules.DER).ReadSequence();
        _ = seq.ReadInteger();
        AsnReader set = seq.ReadSetOf();
        var result = new List<byte[]>();
        while (set.HasData)
        {
            result.Add(set.ReadEncodedValue().ToArray());
        }

        return result;
    }
}
