namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>Runs the CLI in process and captures its output.</summary>
internal static class Run
{
    public static async Task<(int Code, string Out, string Err)> Doppel(params string[] argv)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = await Cli.Cli.RunAsync(argv, o, e, new Dictionary<string, string?>(), CancellationToken.None);
        return (code, o.ToString(), e.ToString());
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "doppel-email-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
