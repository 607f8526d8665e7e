using System.Text.Json.Nodes;

namespace Doppel.Packs.Trust;

/// <summary>What the trust pack asks a credential issuer (the mdoc library) to produce.</summary>
/// <param name="Kind">"mdl" or "mdoc".</param>
/// <param name="Count">Number of credentials.</param>
/// <param name="Seed">Run seed (derive everything from it and <paramref name="Kind"/>).</param>
/// <param name="AsOf">Generation date; validity windows are relative to it.</param>
/// <param name="Countries">Issuing countries of this run, in order.</param>
/// <param name="OutputDirectory">Absolute directory for binary artefacts (inside the run's temporary output; it is moved into place afterwards).</param>
/// <param name="RelativeDirectory">The same directory relative to the output root (e.g. "credentials/mdl"): use it for paths in the returned JSON.</param>
public sealed record CredentialRequest(
    string Kind,
    int Count,
    long Seed,
    DateOnly AsOf,
    IReadOnlyList<TrustCountry> Countries,
    string OutputDirectory,
    string RelativeDirectory);

/// <summary>
/// Hook through which mDL/mdoc credentials are issued into the trust document's
/// <c>credentials.mdl</c> / <c>credentials.mdoc</c> arrays. Without an issuer those arrays stay empty
/// and the manifest records <c>"credentialIssuer": null</c>.
/// </summary>
public interface ICredentialIssuer
{
    /// <summary>Name recorded in the manifest.</summary>
    string Name { get; }

    /// <summary>Issues <see cref="CredentialRequest.Count"/> credentials; one JSON object each, in a deterministic order.</summary>
    IReadOnlyList<JsonObject> Issue(CredentialRequest request);
}
