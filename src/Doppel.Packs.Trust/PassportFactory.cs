using System.Text;
using Doppel.Packs.Trust.Lds;
using Doppel.Packs.Trust.Mrz;
using Doppel.Packs.Trust.Pki;

namespace Doppel.Packs.Trust;

/// <summary>Everything generated for one eMRTD: holder data, MRZ and the chip files.</summary>
internal sealed record PassportArtifact(
    string Id,
    int Index,
    TrustCountry Country,
    string Nationality,
    string DocumentCode,
    string DocumentNumber,
    string Surname,
    string GivenNames,
    char Sex,
    DateOnly DateOfBirth,
    DateOnly DateOfIssue,
    DateOnly DateOfExpiry,
    string[] Mrz,
    byte[] Com,
    byte[] Dg1,
    byte[] Dg2,
    byte[] Sod,
    string SignerId,
    string SignerSerial,
    DateTimeOffset SigningTime,
    string? Fault);

/// <summary>Builds passport <c>i</c> as a pure function of (seed, i, options, PKI).</summary>
internal static class PassportFactory
{
    private const string Letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
    private const string AlphaNumerics = "CFGHJKLMNPRTVWXYZ0123456789";

    public static PassportArtifact Build(long seed, string label, int index, TrustOptions options, DateOnly asOf, IReadOnlyList<CountryPki> pkis, string? fault)
    {
        var rng = Rng.For(seed, label, index);
        CountryPki pki = pkis[rng.Next(pkis.Count)];
        TrustCountry country = pki.Country;
        DocumentFormat format = options.DocumentType;
        string nationality = rng.Chance(0.97) ? country.Icao : rng.Pick(pkis).Country.Icao;
        char sex = rng.NextDouble() switch
        {
            < 0.49 => 'F',
            < 0.98 => 'M',
            _ => '<',
        };

        // Issue date: inside the DS key-usage windows (T−300d … T−1d), or where the negative case needs it.
        int daysBack = fault switch
        {
            TrustFault.DsExpired => rng.Next(1, 30),      // after the expired DS's notAfter (T−30d)
            TrustFault.DsRevoked => rng.Next(60, 151),    // inside the revoked DS's usage window, before revocation (T−45d)
            _ => rng.Next(1, 301),
        };
        DateOnly issue = asOf.AddDays(-daysBack);
        int age = rng.Chance(0.15) ? rng.Next(0, 18) : rng.Next(18, 86);
        DateOnly dob = issue.AddYears(-age).AddDays(-rng.Next(0, 365));
        DateOnly expiry = issue.AddYears(age < 18 ? 5 : 10).AddDays(-1);
        string documentNumber = DocumentNumber(ref rng, country.DocumentNumberPattern);
        string documentCode = format == DocumentFormat.Td3 ? "P<" : "I<";

        string surname;
        string givenNames;
        string[]? mrz;
        do
        {
            (surname, givenNames) = Names.Pick(ref rng, country.NameStyle, sex);
            var data = new MrzData(documentCode, country.Icao, nationality, surname, givenNames, documentNumber, dob, sex, expiry, string.Empty);
            mrz = MrzFormat.Format(format, data);
        }
        while (mrz is null);

        if (fault == TrustFault.MrzCheckDigit)
        {
            mrz = MrzFaults.WrongDocumentCheckDigit(format, mrz);
        }

        var faceRng = Rng.For(seed, label + "/face", index);
        byte[] pixels = FaceImage.Render(ref faceRng, sex);
        byte[] jpeg = TurboJpeg.EncodeRgb(pixels, FaceImage.Width, FaceImage.Height, 70);

        byte[] com = LdsBuilder.EfCom();
        byte[] dg1 = LdsBuilder.Dg1(mrz);
        byte[] dg2 = LdsBuilder.Dg2(jpeg, FaceImage.Width, FaceImage.Height, sex);
        byte[] lds = LdsBuilder.LdsSecurityObject([(1, dg1), (2, dg2)]);

        IssuedCertificate signer = fault switch
        {
            TrustFault.DsExpired => pki.DsExpired,
            TrustFault.DsRevoked => pki.DsRevoked,
            TrustFault.UnknownCsca => pki.RogueDs,
            _ => pki.SignerFor(new DateTimeOffset(issue.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
        };
        var signingTime = new DateTimeOffset(issue.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero).AddSeconds(rng.Next(0, 9 * 3600));
        byte[] sod = fault == TrustFault.SodSignatureInvalid
            ? LdsBuilder.SodSignedByWrongKey(lds, pki.WrongKey, signer.Certificate, signingTime)
            : LdsBuilder.Sod(lds, signer.Key, signer.Certificate, signingTime);

        if (fault == TrustFault.DgHashMismatch)
        {
            // Tamper after signing: DG1 (and the MRZ we report) get a different given-name letter.
            mrz = MrzFaults.AlterName(format, mrz);
            dg1 = LdsBuilder.Dg1(mrz);
        }

        return new PassportArtifact($"passport-{index + 1:D6}", index, country, nationality, documentCode, documentNumber, surname, givenNames, sex,
            dob, issue, expiry, mrz, com, dg1, dg2, sod, signer.Id, signer.SerialHex, signingTime, fault);
    }

    private static string DocumentNumber(ref Rng rng, string pattern)
    {
        var sb = new StringBuilder(pattern.Length);
        foreach (char p in pattern)
        {
            sb.Append(p switch
            {
                'L' => Letters[rng.Next(Letters.Length)],
                'N' => (char)('0' + rng.Next(10)),
                _ => AlphaNumerics[rng.Next(AlphaNumerics.Length)],
            });
        }

        return sb.ToString();
    }
}
