using Doppel.Diagnostics;

namespace Doppel.Cli;

/// <summary>
/// Parsed command-line arguments: positionals, repeatable <c>--name value</c> options and flags.
/// Unknown options are reported with a suggestion; nothing is silently ignored.
/// </summary>
internal sealed class Args
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public static Args Parse(IReadOnlyList<string> argv, IReadOnlySet<string> flags, IReadOnlySet<string> valued, Func<string, bool>? extra = null)
    {
        var a = new Args();
        for (var i = 0; i < argv.Count; i++)
        {
            var t = argv[i];
            if (!t.StartsWith("--", StringComparison.Ordinal) || t == "--")
            {
                if (t == "-" || !t.StartsWith('-'))
                {
                    a.Positionals.Add(t);
                    continue;
                }
            }

            var name = t;
            string? value = null;
            var eq = t.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && t.StartsWith("--", StringComparison.Ordinal))
            {
                name = t[..eq];
                value = t[(eq + 1)..];
            }

            if (flags.Contains(name) && value is null)
            {
                a.Add(name, "true");
                continue;
            }

            if (valued.Contains(name) || (extra?.Invoke(name) ?? false))
            {
                if (value is null)
                {
                    if (i + 1 >= argv.Count)
                    {
                        throw new DoppelException($"{name} needs a value", ExitCodes.UsageError);
                    }

                    value = argv[++i];
                }

                a.Add(name, value);
                continue;
            }

            if (extra?.Invoke(name) == false || true)
            {
                var all = flags.Concat(valued);
                throw new DoppelException($"unknown option '{name}'; {Suggest.DidYouMean(name, all, "run 'doppel help' for the options")}", ExitCodes.UsageError);
            }
        }

        return a;
    }

    private void Add(string name, string value)
    {
        if (!_options.TryGetValue(name, out var list))
        {
            list = [];
            _options[name] = list;
        }

        list.Add(value);
    }

    public string? Get(string name) => _options.TryGetValue(name, out var l) ? l[^1] : null;

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var l) ? l : [];

    public bool Has(string name) => _options.ContainsKey(name);

    public IEnumerable<string> Names => _options.Keys;

    public static IReadOnlyDictionary<string, string> KeyValues(IEnumerable<string> items, string option)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new DoppelException($"{option} '{item}' is not name=value", ExitCodes.UsageError);
            }

            d[item[..eq]] = item[(eq + 1)..];
        }

        return d;
    }
}
