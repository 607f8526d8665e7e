namespace Doppel.Formats.Parquet.Tests;

/// <summary>Deterministic test tables (fixed seeds).</summary>
internal static class Tables
{
    public static readonly ParquetSchema AllTypesSchema = new(
        new ParquetColumn("id", ParquetType.Int64, Nullable: false),
        new ParquetColumn("i32", ParquetType.Int32, Nullable: true),
        new ParquetColumn("i64", ParquetType.Int64, Nullable: true),
        new ParquetColumn("dbl", ParquetType.Double, Nullable: true),
        new ParquetColumn("flag", ParquetType.Boolean, Nullable: true),
        new ParquetColumn("name", ParquetType.String, Nullable: true),
        new ParquetColumn("code", ParquetType.String, Nullable: false),
        new ParquetColumn("day", ParquetType.Date, Nullable: true),
        new ParquetColumn("at", ParquetType.TimestampMicrosUtc, Nullable: true),
        new ParquetColumn("ok", ParquetType.Boolean, Nullable: false),
        new ParquetColumn("small", ParquetType.Int32, Nullable: false),
        new ParquetColumn("city", ParquetType.String, Nullable: false));

    public static readonly string[] Names =
    [
        "", "Ada", "Zoë", "Łukasz", "名前", "😀 emoji", "a\u0301 combining", "tab\there", "quote\"back\\slash",
        "newline\nline", "x", "X", "zz", "\u007f", "\u0080", "\uFFFD", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "null", "NULL",
    ];

    public static readonly string[] Cities = ["London", "Leeds", "York", "Bath", "Ely", "Derby", "Truro"];

    /// <summary>All types, nulls, empty strings, unicode and extreme values in the first rows, then seeded random rows.</summary>
    public static TestTable AllTypes(int rows, int seed = 42)
    {
        var random = new Random(seed);
        var columns = new object?[AllTypesSchema.Count][];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = new object?[rows];
        }

        int[] specialInts = [int.MinValue, int.MaxValue, 0, -1, 1];
        long[] specialLongs = [long.MinValue, long.MaxValue, 0, -1, 1, (1L << 53) + 1, -(1L << 53) - 1];
        double[] specialDoubles =
        [
            double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon,
            double.MaxValue, double.MinValue, 0.1, 1e-300, 123456789.123456789,
        ];
        DateOnly[] specialDates = [DateOnly.MinValue, DateOnly.MaxValue, new(1970, 1, 1), new(1969, 12, 31), new(2000, 2, 29)];
        DateTime[] specialTimes =
        [
            DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            new(9999, 12, 31, 23, 59, 59, 999, 999, DateTimeKind.Utc),
            DateTime.UnixEpoch,
            DateTime.UnixEpoch.AddTicks(-10),
            new(2024, 2, 29, 12, 34, 56, 789, 123, DateTimeKind.Utc),
        ];

        for (var r = 0; r < rows; r++)
        {
            columns[0][r] = (long)r;
            columns[1][r] = r % 7 == 3 ? null : r < specialInts.Length ? specialInts[r] : random.Next(int.MinValue, int.MaxValue);
            columns[2][r] = r % 5 == 4 ? null : r < specialLongs.Length ? specialLongs[r] : random.NextInt64(long.MinValue, long.MaxValue);
            columns[3][r] = r % 11 == 10 ? null : r < specialDoubles.Length ? specialDoubles[r] : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-20, 20));
            columns[4][r] = r % 3 == 2 ? null : random.Next(2) == 1;
            columns[5][r] = r % 13 == 12 ? null : Names[r < Names.Length ? r : random.Next(Names.Length)];
            columns[6][r] = "code-" + random.NextInt64().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            columns[7][r] = r % 9 == 8 ? null : r < specialDates.Length ? specialDates[r] : DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));
            columns[8][r] = r % 6 == 5 ? null : r < specialTimes.Length ? specialTimes[r] : RandomTime(random);
            columns[9][r] = r % 4 == 0;
            columns[10][r] = random.Next(-3, 4);
            columns[11][r] = Cities[random.Next(Cities.Length)];
        }

        return new TestTable(AllTypesSchema, columns);
    }

    private static DateTime RandomTime(Random random)
    {
        var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        return new DateTime(ticks - (ticks % 10), DateTimeKind.Utc); // whole microseconds
    }
}
