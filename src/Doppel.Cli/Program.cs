using Doppel;
using Doppel.Cli;

return await Cli.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal), CancellationToken.None).ConfigureAwait(false);
