using System.Reflection;

namespace Doppel.Core.Tests;

/// <summary>
/// Pins Doppel.Core's public surface. An intended change: run with DOPPEL_APPROVE=1 to rewrite
/// PublicApi.approved.txt, and review the diff like any API change.
/// </summary>
public class PublicApiTest
{
    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        var actual = Describe(typeof(DoppelRecipe).Assembly);
        var path = Path.Combine(Root(), "tests", "Doppel.Core.Tests", "PublicApi.approved.txt");
        if (Environment.GetEnvironmentVariable("DOPPEL_APPROVE") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, actual);
        }

        actual.Should().Be(File.ReadAllText(path), "the public API changed; approve it with DOPPEL_APPROVE=1 if intended");
    }

    private static string Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var t in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add((t.IsInterface ? "interface " : t.IsEnum ? "enum " : t.IsValueType ? "struct " : "class ") + t.FullName);
            var members = t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(m => "  " + m.MemberType.ToString().ToLowerInvariant() + " " + m.ToString())
                .Order(StringComparer.Ordinal);
            lines.AddRange(members);
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string Root()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(d!.FullName, "Doppel.slnx")))
        {
            d = d.Parent;
        }

        return d.FullName;
    }
}
