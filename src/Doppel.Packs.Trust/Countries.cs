namespace Doppel.Packs.Trust;

/// <summary>An issuing State of the synthetic PKI.</summary>
/// <param name="Icao">ICAO code as used in the MRZ (Doc 9303-3 §5; Germany is "D"), unpadded.</param>
/// <param name="Alpha2">ISO 3166-1 alpha-2 code used as C= in certificates (Doc 9303-12 §7.1).</param>
/// <param name="Name">English short name.</param>
/// <param name="NameStyle">Key of the name pool used for holders.</param>
/// <param name="DocumentNumberPattern">L = letter, N = digit, A = letter or digit (no O/I to avoid confusion with 0/1).</param>
public sealed record TrustCountry(string Icao, string Alpha2, string Name, string NameStyle, string DocumentNumberPattern)
{
    /// <summary>The code padded to 3 MRZ characters ("D&lt;&lt;").</summary>
    public string Icao3 => Icao.PadRight(3, '<');
}

/// <summary>Real ICAO/ISO country codes in a fixed order; the first N are used for <c>countries=N</c>.</summary>
public static class Countries
{
    /// <summary>All countries the pack knows, in the order they are taken.</summary>
    public static IReadOnlyList<TrustCountry> All { get; } =
    [
        new("D", "DE", "Germany", "de", "LAAAAAAAA"),
        new("FRA", "FR", "France", "fr", "NNLLNNNNN"),
        new("NLD", "NL", "Netherlands", "nl", "LLAAAAAAN"),
        new("GBR", "GB", "United Kingdom", "en", "NNNNNNNNN"),
        new("USA", "US", "United States", "en", "NNNNNNNNN"),
        new("CAN", "CA", "Canada", "en", "LLNNNNNN"),
        new("ESP", "ES", "Spain", "es", "LLLNNNNNN"),
        new("ITA", "IT", "Italy", "it", "LLNNNNNNN"),
        new("SWE", "SE", "Sweden", "nordic", "NNNNNNNN"),
        new("NOR", "NO", "Norway", "nordic", "NNNNNNNNN"),
        new("DNK", "DK", "Denmark", "nordic", "NNNNNNNNN"),
        new("FIN", "FI", "Finland", "nordic", "LLNNNNNNN"),
        new("POL", "PL", "Poland", "pl", "LLNNNNNNN"),
        new("CZE", "CZ", "Czechia", "cz", "NNNNNNNN"),
        new("AUT", "AT", "Austria", "de", "LNNNNNNN"),
        new("CHE", "CH", "Switzerland", "de", "LNNNNNNN"),
        new("BEL", "BE", "Belgium", "fr", "LLNNNNNNN"),
        new("PRT", "PT", "Portugal", "pt", "LNNNNNN"),
        new("IRL", "IE", "Ireland", "en", "LLNNNNNNN"),
        new("HUN", "HU", "Hungary", "hu", "LLNNNNNNN"),
        new("TUR", "TR", "Turkey", "tr", "LNNNNNNNN"),
        new("GRC", "GR", "Greece", "gr", "LLNNNNNNN"),
        new("ROU", "RO", "Romania", "ro", "NNNNNNNNN"),
        new("ISL", "IS", "Iceland", "nordic", "LNNNNNNN"),
        new("EST", "EE", "Estonia", "baltic", "LLNNNNNNN"),
        new("LVA", "LV", "Latvia", "baltic", "LLNNNNNNN"),
        new("LTU", "LT", "Lithuania", "baltic", "NNNNNNNN"),
        new("SVK", "SK", "Slovakia", "cz", "LLNNNNNNN"),
        new("SVN", "SI", "Slovenia", "cz", "LLNNNNNNN"),
        new("HRV", "HR", "Croatia", "cz", "NNNNNNNNN"),
        new("LUX", "LU", "Luxembourg", "fr", "LLNNNNNN"),
        new("MLT", "MT", "Malta", "en", "NNNNNNN"),
        new("MEX", "MX", "Mexico", "es", "LNNNNNNNN"),
        new("BRA", "BR", "Brazil", "pt", "LLNNNNNN"),
        new("ARG", "AR", "Argentina", "es", "NNNNNNNNL"),
        new("CHL", "CL", "Chile", "es", "LNNNNNNNN"),
        new("COL", "CO", "Colombia", "es", "LLNNNNNNN"),
        new("PER", "PE", "Peru", "es", "NNNNNNNNN"),
        new("JPN", "JP", "Japan", "jp", "LLNNNNNNN"),
        new("KOR", "KR", "Republic of Korea", "kr", "LNNNNNNNN"),
        new("CHN", "CN", "China", "cn", "LNNNNNNNN"),
        new("SGP", "SG", "Singapore", "en", "LNNNNNNNL"),
        new("AUS", "AU", "Australia", "en", "LLNNNNNNN"),
        new("NZL", "NZ", "New Zealand", "en", "LLNNNNNN"),
        new("IND", "IN", "India", "in", "LNNNNNNN"),
        new("ZAF", "ZA", "South Africa", "en", "LNNNNNNNN"),
        new("MAR", "MA", "Morocco", "ar", "LLNNNNNNN"),
        new("EGY", "EG", "Egypt", "ar", "LNNNNNNNN"),
        new("ARE", "AE", "United Arab Emirates", "ar", "NNNNNNNNN"),
        new("ISR", "IL", "Israel", "en", "NNNNNNNNN"),
        new("UKR", "UA", "Ukraine", "ua", "LLNNNNNN"),
        new("VNM", "VN", "Viet Nam", "vn", "LNNNNNNN"),
        new("IDN", "ID", "Indonesia", "id", "LNNNNNNN"),
        new("PHL", "PH", "Philippines", "es", "LNNNNNNNL"),
        new("THA", "TH", "Thailand", "th", "LLNNNNNNN"),
        new("NGA", "NG", "Nigeria", "en", "LNNNNNNNN"),
        new("KEN", "KE", "Kenya", "en", "LLNNNNNNN"),
        new("URY", "UY", "Uruguay", "es", "LNNNNNN"),
    ];

    /// <summary>Finds a country by ICAO code ("D", "D&lt;&lt;", "FRA") or alpha-2 code; null when unknown.</summary>
    public static TrustCountry? Find(string code)
    {
        string trimmed = code.Trim().TrimEnd('<').ToUpperInvariant();
        if (trimmed == "DEU")
        {
            trimmed = "D";
        }

        return All.FirstOrDefault(c => c.Icao == trimmed) ?? All.FirstOrDefault(c => c.Alpha2 == trimmed);
    }
}
