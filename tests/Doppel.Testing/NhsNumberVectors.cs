using Doppel.Domain;

namespace Doppel.Testing;

/// <summary>
/// The NHS number test vectors of domain-reference §1.5 (all computed, weights 10..2), in one place for every test
/// project that checks modulus 11.
/// </summary>
public static class NhsNumberVectors
{
    /// <summary>
    /// One row of the §1.5 table: the input, the check digit computed from its first nine digits (10 = no valid
    /// completion; null where the table gives none), and the defect a validator reports (null = valid).
    /// </summary>
    public sealed record Vector(string Input, int? CheckDigit, NhsInvalidKind? Defect);

    /// <summary>Every row of the §1.5 table, in its order.</summary>
    public static readonly IReadOnlyList<Vector> All =
    [
        new("9434765919", 9, null),
        new("943 476 5919", null, null), // display form: valid after removing the spaces
        new("9000000009", 9, null),
        new("4010232137", 7, null),
        new("6541003238", 8, null),
        new("9876543210", 0, null), // the 11 → 0 rule
        new("9999999999", 9, null), // also a repdigit
        new("0000000000", 0, null), // checksum valid, unallocated range
        new("9990000050", 0, null), // 11 → 0 in the test range
        new("9996543218", 8, null),
        new("9991111115", 5, null),
        new("9998887771", 1, null),
        new("9876544321", 2, NhsInvalidKind.WrongCheckDigit),
        new("9111111124", 7, NhsInvalidKind.WrongCheckDigit),
        new("9222222228", 9, NhsInvalidKind.WrongCheckDigit),
        new("1234567890", 10, NhsInvalidKind.CheckDigitTen),
        new("9991234560", 10, NhsInvalidKind.CheckDigitTen),
        new("9990000000", 10, NhsInvalidKind.CheckDigitTen), // 999000000 has no valid completion
        new("943476591", 9, NhsInvalidKind.WrongLength), // 9 digits: the check digit of 943476591 is the 9 above
    ];

    /// <summary>Input and verdict (null = valid) of every vector.</summary>
    public static TheoryData<string, NhsInvalidKind?> Classified => Rows(All, v => (v.Input, v.Defect));

    /// <summary>The inputs §1.5 marks valid.</summary>
    public static TheoryData<string> Valid => [.. All.Where(v => v.Defect is null).Select(v => v.Input)];

    /// <summary>The inputs §1.5 marks invalid, with their defect.</summary>
    public static TheoryData<string, NhsInvalidKind> Invalid => Rows(All.Where(v => v.Defect is not null), v => (v.Input, v.Defect!.Value));

    /// <summary>The first nine digits of every vector with a computed check digit, and that digit (10 = invalid).</summary>
    public static TheoryData<string, int> CheckDigits =>
        Rows(All.Where(v => v.CheckDigit is not null).DistinctBy(v => v.Input[..9], StringComparer.Ordinal), v => (v.Input[..9], v.CheckDigit!.Value));

    private static TheoryData<T1, T2> Rows<T1, T2>(IEnumerable<Vector> vectors, Func<Vector, (T1, T2)> row)
    {
        var data = new TheoryData<T1, T2>();
        foreach (var (a, b) in vectors.Select(row))
        {
            data.Add(a, b);
        }

        return data;
    }
}
