namespace Doppel.Core.Tests;

public class ParentTextTest
{
    private const string Recipe = """
        doppel: 1
        name: ids
        tables:
          encounters:
            rows: 30
            columns:
              encounter_id: "'E' + pad(row + 1, 6)"
              code: { expr: "'C' + pad(row, 4)", hidden: true }
          vitals:
            parent: encounters
            per_parent: 3
            columns:
              vital_id: "parent.encounter_id + '-V' + pad(ordinal + 1, 2)"
              code: "parent.code + '/' + str(ordinal)"
        """;

    [Fact]
    public void A_child_table_streamed_alone_reads_its_parents_text_intact()
    {
        // Only the child is emitted, so parent columns are first needed inside child rows.
        var rows = DoppelRecipe.Parse(Recipe).Rows("vitals").ToList();

        rows.Should().HaveCount(90);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i]["vital_id"].Should().Be($"E{i / 3 + 1:D6}-V{i % 3 + 1:D2}");
            rows[i]["code"].Should().Be($"C{i / 3:D4}/{i % 3}");
        }
    }
}
