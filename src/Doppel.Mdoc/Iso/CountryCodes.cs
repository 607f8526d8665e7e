using System.Collections.Frozen;

namespace Doppel.Mdoc.Iso;

/// <summary>
/// Maps ICAO Doc 9303 issuing-State codes (ISO 3166-1 alpha-3 with ICAO exceptions, domain
/// reference §3.9) to the ISO 3166-1 alpha-2 codes that ISO 18013-5 uses for
/// <c>issuing_country</c> and the certificates' C=, and to UN distinguishing signs.
/// </summary>
public static class CountryCodes
{
    /// <summary>
    /// The alpha-2 code used for the fictional ICAO State <c>UTO</c> (Utopia): <c>XU</c> is in the
    /// ISO 3166-1 user-assigned range (XA–XZ), so it can never collide with a real country.
    /// </summary>
    public const string UtopiaAlpha2 = "XU";

    // ISO 3166-1 alpha-3 → alpha-2, officially assigned codes.
    private const string Iso3166 =
        "AFG AF ALA AX ALB AL DZA DZ ASM AS AND AD AGO AO AIA AI ATA AQ ATG AG ARG AR ARM AM ABW AW AUS AU AUT AT AZE AZ " +
        "BHS BS BHR BH BGD BD BRB BB BLR BY BEL BE BLZ BZ BEN BJ BMU BM BTN BT BOL BO BES BQ BIH BA BWA BW BVT BV BRA BR " +
        "IOT IO BRN BN BGR BG BFA BF BDI BI CPV CV KHM KH CMR CM CAN CA CYM KY CAF CF TCD TD CHL CL CHN CN CXR CX CCK CC " +
        "COL CO COM KM COG CG COD CD COK CK CRI CR CIV CI HRV HR CUB CU CUW CW CYP CY CZE CZ DNK DK DJI DJ DMA DM DOM DO " +
        "ECU EC EGY EG SLV SV GNQ GQ ERI ER EST EE SWZ SZ ETH ET FLK FK FRO FO FJI FJ FIN FI FRA FR GUF GF PYF PF ATF TF " +
        "GAB GA GMB GM GEO GE DEU DE GHA GH GIB GI GRC GR GRL GL GRD GD GLP GP GUM GU GTM GT GGY GG GIN GN GNB GW GUY GY " +
        "HTI HT HMD HM VAT VA HND HN HKG HK HUN HU ISL IS IND IN IDN ID IRN IR IRQ IQ IRL IE IMN IM ISR IL ITA IT JAM JM " +
        "JPN JP JEY JE JOR JO KAZ KZ KEN KE KIR KI PRK KP KOR KR KWT KW KGZ KG LAO LA LVA LV LBN LB LSO LS LBR LR LBY LY " +
        "LIE LI LTU LT LUX LU MAC MO MDG MG MWI MW MYS MY MDV MV MLI ML MLT MT MHL MH MTQ MQ MRT MR MUS MU MYT YT MEX MX " +
        "FSM FM MDA MD MCO MC MNG MN MNE ME MSR MS MAR MA MOZ MZ MMR MM NAM NA NRU NR NPL NP NLD NL NCL NC NZL NZ NIC NI " +
        "NER NE NGA NG NIU NU NFK NF MKD MK MNP MP NOR NO OMN OM PAK PK PLW PW PSE PS PAN PA PNG PG PRY PY PER PE PHL PH " +
        "PCN PN POL PL PRT PT PRI PR QAT QA REU RE ROU RO RUS RU RWA RW BLM BL SHN SH KNA KN LCA LC MAF MF SPM PM VCT VC " +
        "WSM WS SMR SM STP ST SAU SA SEN SN SRB RS SYC SC SLE SL SGP SG SXM SX SVK SK SVN SI SLB SB SOM SO ZAF ZA SGS GS " +
        "SSD SS ESP ES LKA LK SDN SD SUR SR SJM SJ SWE SE CHE CH SYR SY TWN TW TJK TJ TZA TZ THA TH TLS TL TGO TG TKL TK " +
        "TON TO TTO TT TUN TN TUR TR TKM TM TCA TC TUV TV UGA UG UKR UA ARE AE GBR GB USA US UMI UM URY UY UZB UZ VUT VU " +
        "VEN VE VNM VN VGB VG VIR VI WLF WF ESH EH YEM YE ZMB ZM ZWE ZW";

    // UN distinguishing signs of vehicles (1949/1968 Conventions) where they differ from alpha-3.
    private const string UnSigns =
        "AUT A BEL B FRA F DEU D ITA I ESP E PRT P NLD NL LUX L CHE CH LIE FL SWE S NOR N FIN FIN DNK DK ISL IS IRL IRL " +
        "GBR UK POL PL CZE CZ SVK SK HUN H SVN SLO HRV HR ROU RO BGR BG GRC GR CYP CY MLT M EST EST LVA LV LTU LT " +
        "USA USA CAN CDN MEX MEX BRA BR ARG RA CHL RCH JPN J KOR ROK AUS AUS NZL NZ IND IND ZAF ZA TUR TR UKR UA RUS RUS " +
        "SRB SRB MNE MNE BIH BIH ALB AL MKD NMK MDA MD MCO MC SMR RSM VAT V AND AND ISR IL EGY ET MAR MA TUN TN";

    private static readonly FrozenDictionary<string, string> Alpha2ByIcao = BuildAlpha2();
    private static readonly FrozenDictionary<string, string> UnSignByIcao = Pairs(UnSigns).ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Converts an ICAO issuing-State code to ISO 3166-1 alpha-2. Accepts <c>D</c>/<c>D&lt;&lt;</c>
    /// (Germany), the British nationality codes (→ GB), <c>RKS</c> (→ XK) and <c>UTO</c>
    /// (→ <see cref="UtopiaAlpha2"/>); organisations (UNO, XPO …) and XXA/XXB/XXC/XXX have no country.
    /// </summary>
    /// <exception cref="ArgumentException">The code names no country.</exception>
    public static string ToAlpha2(string icaoCode)
    {
        var key = Normalize(icaoCode);
        return Alpha2ByIcao.TryGetValue(key, out var alpha2)
            ? alpha2
            : throw new ArgumentException($"ICAO code '{icaoCode}' has no ISO 3166-1 alpha-2 country: use a State code such as UTO, D, FRA or USA (organisation and stateless codes cannot issue an mDL).", nameof(icaoCode));
    }

    /// <summary>The UN distinguishing sign for <c>un_distinguishing_sign</c>; falls back to the ICAO code itself.</summary>
    public static string UnDistinguishingSign(string icaoCode)
    {
        var key = Normalize(icaoCode);
        var alpha3 = key == "D" ? "DEU" : key;
        return UnSignByIcao.TryGetValue(alpha3, out var sign) ? sign : key;
    }

    /// <summary>True when <paramref name="icaoCode"/> maps to a country.</summary>
    public static bool IsKnown(string icaoCode) => Alpha2ByIcao.ContainsKey(Normalize(icaoCode));

    private static string Normalize(string code) => (code ?? string.Empty).Trim().TrimEnd('<').ToUpperInvariant();

    private static FrozenDictionary<string, string> BuildAlpha2()
    {
        var map = Pairs(Iso3166).ToDictionary(StringComparer.Ordinal);
        map.Remove("DEU"); // ICAO writes Germany as D (Doc 9303-3); accept both.
        map["D"] = "DE";
        map["DEU"] = "DE";
        foreach (var gb in (string[])["GBD", "GBN", "GBO", "GBP", "GBS"])
        {
            map[gb] = "GB";
        }

        map["RKS"] = "XK";
        map["UTO"] = UtopiaAlpha2;
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(string table)
    {
        var parts = table.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < parts.Length; i += 2)
        {
            yield return new(parts[i], parts[i + 1]);
        }
    }
}
