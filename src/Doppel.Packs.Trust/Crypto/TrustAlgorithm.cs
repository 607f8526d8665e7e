namespace Doppel.Packs.Trust.Crypto;

/// <summary>Signature algorithms a country's PKI can use (Doc 9303-12 §4.1.6; domain reference §4.6).</summary>
public enum TrustAlgorithm
{
    /// <summary>ECDSA on NIST P-256 with SHA-256.</summary>
    EcdsaP256,

    /// <summary>ECDSA on NIST P-384 with SHA-384.</summary>
    EcdsaP384,

    /// <summary>ECDSA on brainpoolP256r1 with SHA-256.</summary>
    BrainpoolP256,

    /// <summary>ECDSA on brainpoolP384r1 with SHA-384.</summary>
    BrainpoolP384,

    /// <summary>RSASSA-PKCS1-v1_5, 2048-bit, SHA-256.</summary>
    Rsa,

    /// <summary>RSASSA-PSS, 2048-bit, SHA-256, MGF1-SHA-256, salt length 32.</summary>
    RsaPss,
}

internal static class TrustAlgorithmExtensions
{
    /// <summary>The names accepted by the <c>algorithm</c> option, per algorithm.</summary>
    public static string Name(this TrustAlgorithm algorithm) => algorithm switch
    {
        TrustAlgorithm.EcdsaP256 => "ecdsa-p256",
        TrustAlgorithm.EcdsaP384 => "ecdsa-p384",
        TrustAlgorithm.BrainpoolP256 => "brainpool-p256",
        TrustAlgorithm.BrainpoolP384 => "brainpool-p384",
        TrustAlgorithm.Rsa => "rsa",
        _ => "rsa-pss",
    };

    public static bool IsRsa(this TrustAlgorithm algorithm) => algorithm is TrustAlgorithm.Rsa or TrustAlgorithm.RsaPss;
}
