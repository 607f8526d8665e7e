namespace Doppel.Validation;

/// <summary>Check-digit algorithms a contract can name with <c>check:</c>.</summary>
public static class CheckDigits
{
    public static readonly IReadOnlyList<string> Known = ["nhs_mod11", "luhn", "uk_postcode"];

    private static readonly Dictionary<string, Func<string, bool>> Checks = new(StringComparer.Ordinal)
    {
        ["nhs_mod11"] = NhsMod11,
        ["luhn"] = Luhn,
    };

    /// <summary>Registers another check (used by the domain library for postcodes and by packs).</summary>
    public static void Register(string name, Func<string, bool> check) => Checks[name] = check;

    public static bool IsValid(string check, string value) => Checks.TryGetValue(check, out var f) ? f(value) : throw new ArgumentException($"unknown check '{check}'", nameof(check));

    /// <summary>NHS number Modulus 11 (domain-reference §1.2): weights 10..2, c = 11 − (sum mod 11), 11 → 0, 10 → invalid.</summary>
    public static bool NhsMod11(string s)
    {
        if (s.Length != 10)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            sum += (s[i] - '0') * (10 - i);
        }

        if (!char.IsAsciiDigit(s[9]))
        {
            return false;
        }

        var c = 11 - (sum % 11);
        if (c == 11)
        {
            c = 0;
        }

        return c != 10 && c == s[9] - '0';
    }

    public static bool Luhn(string s)
    {
        if (s.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var dbl = false;
        for (var i = s.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            var d = s[i] - '0';
            if (dbl)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            dbl = !dbl;
        }

        return sum % 10 == 0;
    }
}
