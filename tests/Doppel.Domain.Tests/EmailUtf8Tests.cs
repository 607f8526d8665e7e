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
        }
    }
}
