using Doppel.Sinks.PostgreSql.Incidents;

namespace Doppel.Packs.Incidents.Tests;

/// <summary>The pack's embedded data: lookup codes shared with the loader, service areas, text templates.</summary>
public sealed class PackDataTests
{
    [Fact]
    public void Generator_and_loader_use_one_lookup_table()
    {
        IncidentLookups.BuiltIn.Select(l => (l.Kind, l.Code, l.Label)).Should().Equal(
            IncidentsLoadPlan.DefaultLookups.Select(l => (l.Kind, l.Code, l.Label)), "both embed Packs/Incidents/Data/lookups.csv");
        IncidentLookups.BuiltIn.Should().OnlyContain(l => l.Weight > 0);
        IncidentLookups.BuiltIn.Select(l => l.Kind).Distinct().Should().Equal(IncidentLookups.Kinds);
    }

    [Fact]
    public void A_lookup_file_without_weights_parses_with_equal_weights()
    {
        var rows = IncidentLookups.Parse(new StringReader("kind,code,label\ntype,A,\"Alpha, the first\"\nseverity,S,S\nstatus,CLOSED,\nsource,X,X\nweather,W,W\n"), "x.csv");

        rows.Should().HaveCount(5).And.OnlyContain(r => r.Weight == 1);
        rows[0].Label.Should().Be("Alpha, the first");
        rows[2].Label.Should().Be("CLOSED", "an empty label falls back to the code");
    }

    [Fact]
    public void Service_areas_have_plausible_centres_and_codes()
    {
        ServiceAreas.All.Should().HaveCount(12);
        ServiceAreas.All.Should().OnlyContain(a => a.Lat > 25 && a.Lat < 49 && a.Lon > -125 && a.Lon < -66, "continental US");
        ServiceAreas.All.Should().OnlyContain(a => a.Zip3.Length == 3 && a.AreaCode.Length == 3 && a.Region.Length == 2);
        ServiceAreas.Find("DENVER")!.City.Should().Be("Denver");
        ServiceAreas.Find("atlantis").Should().BeNull();
    }

    [Fact]
    public void Every_text_template_is_well_formed_and_fits_the_buffer()
    {
        foreach (var template in IncidentTexts.All.SelectMany(t => t))
        {
            Domain.Text.Validate(template).Should().BeNull(template);
            LongestExpansion(template).Should().BeLessThanOrEqualTo(IncidentTexts.MaxLength, template);
        }

        IncidentTexts.NarrativeByType.Keys.Should().BeEquivalentTo(IncidentLookups.BuiltIn.Where(l => l.Kind == "type").Select(l => l.Code), "every built-in type has its own narratives");
    }

    private static int LongestExpansion(string template)
    {
        var length = 0;
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '{')
            {
                var close = template.IndexOf('}', i);
                length += template[(i + 1)..close].Split('|').Max(a => a.Length);
                i = close + 1;
            }
            else
            {
                length++;
                i++;
            }
        }

        return length;
    }
}
