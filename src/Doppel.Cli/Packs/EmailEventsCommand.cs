namespace Doppel.Cli;

/// <summary><c>doppel generate email-events</c>: plain recipe generation until the pack's own steps are added.</summary>
internal sealed class EmailEventsCommand : IPackCommand
{
    public Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        var r = Generate.Prepare(["email-events", .. argv], env, stdout: stdout);
        if (r.DryRun)
        {
            DryRun.Print(r.Plan, r.Options, stdout);
            return Task.FromResult(ExitCodes.Success);
        }

        var result = Generate.Execute(r, stdout, stderr, cancel);
        Generate.Report(r, result, stdout);
        return Task.FromResult(ExitCodes.Success);
    }
}
