using System.Text;
using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Domain.Tests;

public class EmailUtf8Tests
{
    [Theory]
    [InlineData("Oliver", "Smith")]
    [InlineData("Zoë", "O'Brien-Smith")]
    [InlineData("Łukasz", "Straße")]
    [InlineData("Ștefan", "Țurcanu")]
    [InlineData("Ærøskøbing", "Þórsdóttir")]
    [InlineData("Δημήτρης", "Παπαδόπουλος")]
    [InlineData("", "")]
    [InlineData("", "Jones")]
    [InlineData("Ann", "")]
    [InlineData("😀Mia", "Lee😀")]
    [InlineData("Maximiliana-Josephina-Theodora", "Wolfeschlegelsteinhausenbergerdorff")]
    [InlineData("Abcdefghijklmnop", "Qrstuvwxyzabcdef")]
    [InlineData("R2D2", "Smith3")]
    [InlineData("Anne Marie", "St.John")]
    public void Utf8_names_give_the_same_address_as_utf16_names(string first, string last)
    {
        for (ulong seed = 0; seed < 200; seed++)
        {
            var a = new Rng(seed);
            var b = new Rng(seed);
            var chars = new char[Email.MaxLength];
            var bytes = new byte[Email.MaxLength];
            var n = Email.Write(first, last, ref a, chars);
            var m = Email.WriteUtf8(Encoding.UTF8.GetBytes(first), Encoding.UTF8.GetBytes(last), ref b, bytes);
            Encoding.ASCII.GetString(bytes, 0, m).Should().Be(new string(chars, 0, n));
            a.NextULong().Should().Be(b.NextULong(), "both forms consume the same random draws");

            // Padded inputs (what the columnar kernel passes): names followed by unrelated bytes.
            var c = new Rng(seed);
            var scratch = new byte[Email.Scratch];
            var k = Email.WriteUtf8(Padded(first), Encoding.UTF8.GetByteCount(first), Padded(last), Encoding.UTF8.GetByteCount(last), ref c, scratch);
            Encoding.ASCII.GetString(scratch, 0, k).Should().Be(new string(chars, 0, n));
        }
    }

    private static byte[] Padded(string name) => [.. Encoding.UTF8.GetBytes(name), .. "X'é-9z ÿ\u0001abcdefghijklmn"u8.ToArray()];
}
