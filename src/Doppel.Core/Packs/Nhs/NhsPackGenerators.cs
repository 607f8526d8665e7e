using Doppel.Data;
using Doppel.Domain;
using Doppel.Execution;
using Doppel.Generators;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Packs.Nhs;

/// <summary>
/// Generators of the <c>nhs</c> pack: <c>nhs_person</c> (which patient a row of an SFT or GP file holds,
/// see <see cref="NhsLayout"/>), <c>nhs_patient</c> (that patient's NHS number, name, date of birth, sex
/// and postcode, the same in every file) and <c>nhs_file_overlap</c> (how many rows of a GP file are SFT
/// patients).
/// </summary>
public static class NhsPackGenerators
{
    /// <summary>Fault kinds of an NHS number (domain reference §1.4), as named in <c>faults.jsonl</c>.</summary>
    public static readonly IReadOnlyDictionary<string, NhsInvalidKind> InvalidKinds = new Dictionary<string, NhsInvalidKind>(StringComparer.Ordinal)
    {
        ["bad_checksum"] = NhsInvalidKind.WrongCheckDigit,
        ["check_digit_10"] = NhsInvalidKind.CheckDigitTen,
        ["wrong_length"] = NhsInvalidKind.WrongLength,
        ["non_digit"] = NhsInvalidKind.NonDigit,
    };

    // 1920-01-01 and 2024-12-31 as days since 1970-01-01.
    private const long DefaultDobFrom = -18263;
    private const long DefaultDobTo = 20088;

    private static readonly OptionSpec[] LayoutOptions =
    [
        new("family", "sft (overnight stay) or gp (registered patient)"),
        new("sft_files", "number of SFT files (NUM_SFT_FILES)", "0"),
        new("gp_files", "number of GP files (NUM_GP_FILES)", "0"),
        new("valid_per_file", "valid NHS numbers per file (VALID_NHS_PER_FILE)"),
        new("invalid_per_file", "invalid NHS numbers per file (INVALID_NHS_PER_FILE)", "0"),
        new("overlap", "share of each GP file's valid numbers that are SFT patients (GP_SFT_OVERLAP_RATIO; 0 for GP files alone)", "0"),
        new("range", "test (999…), england or any: the NHS numbers drawn from (checked for capacity)", "test"),
    ];

    public static void Register(GeneratorRegistry registry)
    {
        registry.Add(new GeneratorFactory("nhs_person", "Which patient a row of an SFT/GP file holds: a person index (≥ 0), negative for the file's invalid rows; exact counts, shuffled, GP/SFT overlap by construction.", LayoutOptions, CreatePerson));
        registry.Add(new GeneratorFactory(
            "nhs_patient",
            "A field of the patient with a person index (from nhs_person): NHS number, given/family name, date of birth, sex or postcode; the same person gets the same values in every file.",
            [
                new("person", "the person-index column (an nhs_person column)"),
                new("field", "nhs_number, given_name, family_name, date_of_birth, sex or postcode"),
                new("family", "sft or gp: invalid rows of each family get their own attributes", "sft"),
                new("range", "test (999…), england or any (nhs_number only)", "test"),
                new("min", "earliest date of birth (date_of_birth only)", "1920-01-01"),
                new("max", "latest date of birth (date_of_birth only)", "2024-12-31"),
            ],
            CreatePatient));
        registry.Add(new GeneratorFactory("nhs_file_overlap", "For a GP file index table: how many of the file's valid numbers are SFT patients (row = GP file index).", LayoutOptions, ctx =>
        {
            var layout = Layout(ctx, out _, out _);
            return layout is null ? null : new FnGenerator(DataType.Int, (f, _) => Value.FromInt(layout.OverlapIn(f.Row)));
        }));
    }

    /// <summary>Reads the layout options shared by the pack's generators; reports problems through <paramref name="ctx"/>.</summary>
    private static NhsLayout? Layout(GeneratorContext ctx, out NhsFamily family, out NhsRange range)
    {
        family = Family(ctx, ctx.String("family"));
        range = Range(ctx);
        var layout = new NhsLayout
        {
            SftFiles = ctx.Long("sft_files", 0),
            GpFiles = ctx.Long("gp_files", 0),
            ValidPerFile = ctx.Long("valid_per_file", 0),
            InvalidPerFile = ctx.Long("invalid_per_file", 0),
            OverlapRatio = ctx.Double("overlap", 0),
            Seed = ctx.RecipeSeed,
        };
        if (layout.Problem(range) is { } problem)
        {
            ctx.Error("family", problem);
            return null;
        }

        return layout;
    }

    private static NhsFamily Family(GeneratorContext ctx, string? text)
    {
        switch (text)
        {
            case "sft":
                return NhsFamily.Sft;
            case "gp":
                return NhsFamily.Gp;
            default:
                ctx.Error("family", $"'family' must be sft or gp, not '{text}'", "family: sft (overnight stay) or family: gp (registered patient)");
                return NhsFamily.Sft;
        }
    }

    private static NhsRange Range(GeneratorContext ctx)
    {
        switch (ctx.String("range") ?? "test")
        {
            case "test":
                return NhsRange.Test999;
            case "england":
                return NhsRange.England;
            case "any":
                return NhsRange.Any;
            case var other:
                ctx.Error("range", $"unknown NHS number range '{other}'", "use test, england or any");
                return NhsRange.Test999;
        }
    }

    private static Generator? CreatePerson(GeneratorContext ctx)
    {
        if (ctx.Column.Table.Parent is null)
        {
            ctx.Error("family", "nhs_person needs a child table: one file per parent row (file_per_parent), the parent row being the file");
            return null;
        }

        var layout = Layout(ctx, out var family, out _);
        return layout is null ? null : new PersonGenerator(layout, family);
    }

    private static Generator? CreatePatient(GeneratorContext ctx)
    {
        var person = ctx.Expression("person");
        if (person is null)
        {
            ctx.Error("person", "nhs_patient needs 'person': the column holding the person index (an nhs_person column)", "e.g. person: person");
            return null;
        }

        if (person.Type != DataType.Int)
        {
            ctx.Error("person", $"'person' must be a whole number (an nhs_person column), not {person.Type.Name()}");
            return null;
        }

        var family = Family(ctx, ctx.String("family") ?? "sft");
        var field = (ctx.String("field") ?? string.Empty) switch
        {
            "nhs_number" => NhsField.NhsNumber,
            "given_name" => NhsField.GivenName,
            "family_name" => NhsField.FamilyName,
            "date_of_birth" => NhsField.DateOfBirth,
            "sex" => NhsField.Sex,
            "postcode" => NhsField.Postcode,
            var other => BadField(ctx, other),
        };
        var min = ctx.Date("min") ?? DefaultDobFrom;
        var max = ctx.Date("max") ?? DefaultDobTo;
        if (min > max)
        {
            ctx.Error("min", "the earliest date of birth ('min') is after the latest ('max')");
        }

        return new PatientGenerator(person.Evaluate, family, field, Range(ctx), NhsLayout.NumberKeyFor(ctx.RecipeSeed), NhsPerson.Seeds.From(ctx.RecipeSeed), min, max);
    }

    private static NhsField BadField(GeneratorContext ctx, string field)
    {
        ctx.Error("field", $"unknown patient field '{field}'", Diagnostics.Suggest.DidYouMean(field, ["nhs_number", "given_name", "family_name", "date_of_birth", "sex", "postcode"]));
        return NhsField.NhsNumber;
    }

    /// <summary>Person index of the row: the parent row is the file, the row's ordinal its position in the file.</summary>
    private sealed class PersonGenerator(NhsLayout layout, NhsFamily family) : Generator
    {
        public override DataType Type => DataType.Int;

        public override Value Generate(EvalFrame frame) => Value.FromInt(layout.PersonOf(family, frame.Parent!.Row, frame.Ordinal));
    }

    private sealed class PatientGenerator(Evaluator person, NhsFamily family, NhsField what, NhsRange range, ulong numberKey, NhsPerson.Seeds seeds, long minDob, long maxDob) : Generator
    {
        public override DataType Type => what == NhsField.DateOfBirth ? DataType.Date : DataType.String;

        /// <summary>Valid NHS numbers are distinct per person; SFT rows are distinct persons, so an SFT column is unique apart from its labelled invalid rows.</summary>
        public override bool UniqueByConstruction => what == NhsField.NhsNumber && family == NhsFamily.Sft;

        public override IReadOnlyList<string> InvalidKinds => what == NhsField.NhsNumber ? [.. NhsPackGenerators.InvalidKinds.Keys] : base.InvalidKinds;

        public override Value Generate(EvalFrame frame)
        {
            var p = person(frame).Int;
            var index = NhsLayout.AttributeIndex(family, p);
            switch (what)
            {
                case NhsField.NhsNumber:
                {
                    var dest = frame.Arena.Rent(NhsNumber.Length);
                    // An invalid row's number is replaced by its labelled fault (invalid.when); draw a valid one meanwhile.
                    var n = p >= 0 ? NhsNumber.WriteUnique(p, numberKey, dest, range) : NhsNumber.WriteRandomValid(ref frame.Rng, dest, range);
                    return Value.FromText(frame.Arena.Commit(n));
                }

                case NhsField.GivenName:
                    return Value.FromText(NhsPerson.GivenName(seeds, index));
                case NhsField.FamilyName:
                    return Value.FromText(NhsPerson.FamilyName(seeds, index));
                case NhsField.DateOfBirth:
                    return Value.FromDate(NhsPerson.DateOfBirth(seeds, index, minDob, maxDob));
                case NhsField.Sex:
                    return Value.FromText(NhsPerson.SexOf(seeds, index) == Sex.Female ? "F" : "M");
                default:
                {
                    var dest = frame.Arena.Rent(UkPostcode.MaxLength);
                    var n = NhsPerson.WritePostcode(seeds, index, dest);
                    return Value.FromText(frame.Arena.Commit(n));
                }
            }
        }

        public override Value MakeInvalid(string kind, Value valid, ref Rng rng, EvalFrame frame)
        {
            if (what != NhsField.NhsNumber || !NhsPackGenerators.InvalidKinds.TryGetValue(kind, out var k))
            {
                return base.MakeInvalid(kind, valid, ref rng, frame);
            }

            var dest = frame.Arena.Rent(NhsNumber.MaxInvalidLength);
            var n = NhsNumber.WriteInvalid(ref rng, k, dest);
            return Value.FromText(frame.Arena.Commit(n));
        }

        public override IEnumerable<ContractRule> ImpliedContracts => what switch
        {
            NhsField.NhsNumber => [new ContractRule(string.Empty, string.Empty, ContractKind.Check, ["nhs_mod11"], "nhs_patient"), new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, ["^[0-9]{10}$"], "nhs_patient")],
            NhsField.DateOfBirth => [new ContractRule(string.Empty, string.Empty, ContractKind.Min, [Formats.TextFormatting.FormatDate(minDob)], "nhs_patient"), new ContractRule(string.Empty, string.Empty, ContractKind.Max, [Formats.TextFormatting.FormatDate(maxDob)], "nhs_patient")],
            NhsField.Sex => [new ContractRule(string.Empty, string.Empty, ContractKind.Values, ["F", "M"], "nhs_patient")],
            NhsField.Postcode => [new ContractRule(string.Empty, string.Empty, ContractKind.Check, ["uk_postcode"], "nhs_patient")],
            _ => [new ContractRule(string.Empty, string.Empty, ContractKind.Required, [], "nhs_patient")],
        };
    }
}
