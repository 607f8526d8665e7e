using Doppel.Packs.Trust.Mrz;

namespace Doppel.Packs.Trust.Tests;

/// <summary>Vectors from the domain reference §3.10 (Doc 9303 specimens and computed cases).</summary>
public class MrzTests
{
    [Theory]
    [InlineData("L898902C3", 6)]
    [InlineData("740812", 2)]
    [InlineData("120415", 9)]
    [InlineData("ZE184226B<<<<<", 1)]
    [InlineData("D23145890", 7)]
    [InlineData("520727", 3)]
    [InlineData("AB2134<<<", 5)]
    [InlineData("<<<<<<<<<<<<<<", 0)]
    [InlineData("007777779ZZ9", 2)]
    public void Check_digits_match_the_reference_vectors(string field, int expected) =>
        MrzFormat.CheckDigit(field).Should().Be(expected);

    [Fact]
    public void Doc_9303_TD3_specimen_is_reproduced_and_verifies()
    {
        var data = new MrzData("P<", "UTO", "UTO", "Eriksson", "Anna María", "L898902C3", new DateOnly(1974, 8, 12), 'F', new DateOnly(2012, 4, 15), "ZE184226B");
        string[] mrz = MrzFormat.Format(DocumentFormat.Td3, data)!;
        mrz.Should().Equal("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10");
        MrzFormat.Verify(mrz).Should().BeEmpty();
    }

    [Fact]
    public void Doc_9303_TD2_and_TD1_specimens_are_reproduced()
    {
        var data = new MrzData("I<", "UTO", "UTO", "Eriksson", "Anna Maria", "D23145890", new DateOnly(1974, 8, 12), 'F', new DateOnly(2012, 4, 15), string.Empty);
        MrzFormat.Format(DocumentFormat.Td2, data).Should().Equal("I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6");
        MrzFormat.Format(DocumentFormat.Td1, data).Should().Equal("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
    }

    [Fact]
    public void Generated_vectors_with_transliteration_match_the_reference()
    {
        MrzFormat.Format(DocumentFormat.Td3, new MrzData("P<", "UTO", "UTO", "O'Neil-Smith", "Mary Ann", "X1234567", new DateOnly(1985, 2, 28), 'F', new DateOnly(2033, 1, 15), string.Empty))
            .Should().Equal("P<UTOONEIL<SMITH<<MARY<ANN<<<<<<<<<<<<<<<<<<", "X1234567<7UTO8502289F3301155<<<<<<<<<<<<<<<8");
        MrzFormat.Format(DocumentFormat.Td3, new MrzData("P<", "UTO", "D", "Müller", "Jürgen", "C01X00T47", new DateOnly(1964, 8, 12), 'M', new DateOnly(2031, 1, 31), string.Empty))
            .Should().Equal("P<UTOMUELLER<<JUERGEN<<<<<<<<<<<<<<<<<<<<<<<", "C01X00T478D<<6408125M3101311<<<<<<<<<<<<<<<6");
        MrzFormat.Format(DocumentFormat.Td3, new MrzData("P<", "XXA", "XXA", "Nilavadhanananda", "Chayapa Dejthamrong Krasuang", "A12B34C56", new DateOnly(2000, 2, 29), '<', new DateOnly(2030, 2, 28), string.Empty))
            .Should().Equal("P<XXANILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<K", "A12B34C560XXA0002299<3002289<<<<<<<<<<<<<<<0");
        MrzFormat.Format(DocumentFormat.Td1, new MrzData("I<", "UTO", "UTO", "Eriksson", "Anna Maria", "D23145890AB1", new DateOnly(1974, 8, 12), 'F', new DateOnly(2012, 4, 15), string.Empty))
            .Should().Equal("I<UTOD23145890<AB11<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<8", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<");
        MrzFormat.Format(DocumentFormat.Td2, new MrzData("I<", "UTO", "GBD", "Johnson", "Elizabeth Margaretta Anne", "AB1234567", new DateOnly(2001, 1, 1), 'M', new DateOnly(2026, 1, 1), string.Empty))
            .Should().Equal("I<UTOJOHNSON<<ELIZABETH<MARGARETTA<A", "AB12345671GBD0101011M2601010<<<<<<<0");
    }

    [Theory]
    [InlineData("Eriksson", "Anna María", 39, "ERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", false)]
    [InlineData("Ødegård", "Bjørn", 39, "OEDEGAARD<<BJOERN<<<<<<<<<<<<<<<<<<<<<<", false)]
    [InlineData("Straße", "Jörg", 39, "STRASSE<<JOERG<<<<<<<<<<<<<<<<<<<<<<<<<", false)]
    [InlineData("Wolfeschlegelsteinhausenbergerdorff", "Hubert Blaine", 39, "WOLFESCHLEGELSTEINHAUSENBERGERD<<HUBERT", true)]
    [InlineData("Papadopoulos-Konstantinidou", "Alexandra Theodora", 30, "PAPADOPOULOS<KONSTANTI<<ALEXAN", true)]
    [InlineData("Johnson", "Elizabeth Margaretta Anne", 30, "JOHNSON<<ELIZABETH<MARGARETT<A", true)]
    [InlineData("Castaño", "Anaïs", 39, "CASTANO<<ANAIS<<<<<<<<<<<<<<<<<<<<<<<<<", false)]
    [InlineData("Nguyễn", "Đức Anh", 39, "NGUYEN<<DUC<ANH<<<<<<<<<<<<<<<<<<<<<<<<", false)]
    [InlineData("Ştefănescu", "Łucja", 39, "STEFANESCU<<LUCJA<<<<<<<<<<<<<<<<<<<<<<", false)]
    public void Names_are_transliterated_and_truncated_per_Doc_9303(string primary, string secondary, int width, string expected, bool truncated)
    {
        MrzFormat.FormatName(primary, secondary, width, out bool wasTruncated).Should().Be(expected);
        wasTruncated.Should().Be(truncated);
    }

    [Fact]
    public void A_changed_personal_number_character_fails_its_check_digit_and_the_composite()
    {
        string[] mrz = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<20"];
        MrzFormat.Verify(mrz).Should().Equal("optional data", "composite");
    }

    [Fact]
    public void The_wrong_document_check_digit_fault_breaks_exactly_one_check_digit()
    {
        string[] good = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"];
        MrzFormat.Verify(MrzFaults.WrongDocumentCheckDigit(DocumentFormat.Td3, good)).Should().Equal("document number");
        string[] td1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"];
        MrzFormat.Verify(MrzFaults.WrongDocumentCheckDigit(DocumentFormat.Td1, td1)).Should().Equal("document number");
    }
}
