namespace Doppel.Cli;

/// <summary>
/// A pack that needs more than "plan and write" (an upload, a registry, a custom program) owns its
/// <c>doppel generate PACK</c> command. It composes <see cref="Generate.Prepare"/>,
/// <see cref="Generate.Execute"/> and <see cref="Generate.Report"/> with its own steps.
/// </summary>
internal interface IPackCommand
{
    /// <summary>Runs <c>doppel generate PACK ARGS…</c>; <paramref name="argv"/> excludes the pack name.</summary>
    Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel);
}

/// <summary>The pack commands, by pack name. One file per pack under Packs/.</summary>
internal static class PackCommands
{
    public static readonly IReadOnlyDictionary<string, IPackCommand> All = new Dictionary<string, IPackCommand>(StringComparer.Ordinal)
    {
        ["trust"] = new TrustCommand(),
        ["nhs"] = new NhsCommand(),
        ["clinical"] = new ClinicalCommand(),
        ["incidents"] = new IncidentsCommand(),
        ["email-events"] = new EmailEventsCommand(),
    };
}
