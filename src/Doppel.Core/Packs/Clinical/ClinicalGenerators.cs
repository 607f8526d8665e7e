using System.Globalization;
using Doppel.Data;
using Doppel.Domain;
using Doppel.Execution;
using Doppel.Expressions;
using Doppel.Generators;
using Doppel.Planning;
using Doppel.Seeding;

namespace Doppel.Packs.Clinical;

/// <summary><c>clinical_registry</c>: one attribute of registry patient <c>index</c> (a pure function of seed and index).</summary>
internal sealed class RegistryFieldGenerator : Generator
{
    internal static readonly string[] Fields = [.. PatientRegistry.Columns];

    private readonly Evaluator _index;
    private readonly int _field;
    private readonly bool _uniqueIndex;

    private RegistryFieldGenerator(PatientRegistry registry, Evaluator index, int field, bool uniqueIndex)
    {
        Registry = registry;
        _index = index;
        _field = field;
        _uniqueIndex = uniqueIndex;
    }

    /// <summary>Patient ids and NHS numbers are injective in the index, so distinct indices (a permutation) give distinct values.</summary>
    public override bool UniqueByConstruction => _uniqueIndex && Fields[_field] is "patient_id" or "nhs_number";

    public PatientRegistry Registry { get; }

    public override DataType Type => Fields[_field] == "date_of_birth" ? DataType.Date : DataType.String;

    public static Generator? Create(GeneratorContext ctx)
    {
        var field = ctx.RequireString("field");
        var i = Array.IndexOf(Fields, field);
        if (i < 0)
        {
            ctx.Error("field", $"unknown registry field '{field}'", Diagnostics.Suggest.DidYouMean(field, Fields, $"fields: {string.Join(", ", Fields)}"));
            return null;
        }

        var index = ctx.Expression("index");
        if (index is null || index.Type != DataType.Int)
        {
            ctx.Error("index", "clinical_registry needs 'index': a whole-number expression (the registry row)", "e.g. index: registry_index");
            return null;
        }

        // The index is unique when it is a column of this table whose generator is unique by construction.
        var indexColumn = ctx.Column.Table.IndexOf(ctx.String("index")!.Trim());
        var uniqueIndex = false;
        if (indexColumn >= 0)
        {
            ctx.Require(ctx.Column.Table.Columns[indexColumn]);
            uniqueIndex = ctx.Column.Table.Columns[indexColumn].Generator?.UniqueByConstruction == true;
        }

        // Every table's registry columns share one key, so the command can rebuild the same rows for the registry file.
        return new RegistryFieldGenerator(new PatientRegistry(SeedTree.Combine(ctx.Column.Table.Seed, "registry")), index.Evaluate, i, uniqueIndex);
    }

    public override Value Generate(EvalFrame frame)
    {
        var index = _index(frame).Int;
        switch (Fields[_field])
        {
            case "patient_id":
                {
                    var d = frame.Arena.Rent(16);
                    return Value.FromText(frame.Arena.Commit(PatientRegistry.WritePatientId(index, d)));
                }

            case "nhs_number":
                {
                    var d = frame.Arena.Rent(NhsNumber.Length);
                    return Value.FromText(frame.Arena.Commit(Registry.WriteNhsNumber(index, d)));
                }

            case "first_name":
                return Value.FromText(Registry.FirstName(index));
            case "last_name":
                return Value.FromText(Registry.LastName(index));
            case "sex":
                return Value.FromText(Registry.Sex(index) == 'F' ? "F" : "M");
            case "date_of_birth":
                return Value.FromDate(Registry.DateOfBirth(index));
            default:
                {
                    var d = frame.Arena.Rent(UkPostcode.MaxLength);
                    return Value.FromText(frame.Arena.Commit(Registry.WritePostcode(index, d)));
                }
        }
    }

    public override IEnumerable<ContractRule> ImpliedContracts => Fields[_field] switch
    {
        "patient_id" => [Rule(ContractKind.Pattern, "^P[0-9]{7}$")],
        "nhs_number" => [Rule(ContractKind.Check, "nhs_mod11"), Rule(ContractKind.Pattern, "^999[0-9]{7}$")],
        "sex" => [Rule(ContractKind.Values, "F", "M")],
        "postcode" => [Rule(ContractKind.Check, "uk_postcode")],
        "date_of_birth" => [Rule(ContractKind.Min, "1925-01-01"), Rule(ContractKind.Max, "2008-01-01")],
        _ => [],
    };

    internal static ContractRule Rule(ContractKind kind, params string[] args) => new(string.Empty, string.Empty, kind, args, "clinical model");
}

/// <summary>
/// <c>clinical_active_patient</c>: the registry index of the day's active patient <c>row</c> — a keyed
/// permutation of the registry's rows, so distinct rows are distinct patients by construction.
/// </summary>
internal sealed class ActivePatientGenerator(long registryRows, long day, ulong key) : Generator
{
    public long RegistryRows => registryRows;

    public long Day => day;

    public override DataType Type => DataType.Int;

    public override bool UniqueByConstruction => true;

    public static Generator? Create(GeneratorContext ctx)
    {
        var rows = ctx.Long("registry_rows", -1);
        var day = ctx.Date("date");
        if (rows < 1 || rows > PatientRegistry.MaxPatients)
        {
            ctx.Error("registry_rows", $"registry_rows must be between 1 and {PatientRegistry.MaxPatients.ToString(CultureInfo.InvariantCulture)}, not {rows.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        if (day is null)
        {
            ctx.Error("date", "clinical_active_patient needs 'date' (the batch date)", "e.g. date: ${date}");
            return null;
        }

        if (ctx.Column.Table.RootRows is { } active && active > rows)
        {
            ctx.Error("registry_rows", $"table '{ctx.TableName}' has {active.ToString(CultureInfo.InvariantCulture)} rows but the registry only {rows.ToString(CultureInfo.InvariantCulture)}: active patients are distinct registry patients");
            return null;
        }

        return new ActivePatientGenerator(rows, day.Value, SeedTree.Combine(SeedTree.Combine(ctx.Column.Table.Seed, "active"), (ulong)day.Value));
    }

    public override Value Generate(EvalFrame frame) => Value.FromInt(FeistelPermutation.Permute(frame.Row, registryRows, key));

    public override IEnumerable<ContractRule> ImpliedContracts =>
    [
        RegistryFieldGenerator.Rule(ContractKind.Min, "0"),
        RegistryFieldGenerator.Rule(ContractKind.Max, (registryRows - 1).ToString(CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// <c>clinical_patient_ref</c>: a reference to a row of another root table that covers it — row i of
/// this table points at row π(i) mod n of the target (π a keyed permutation of this table's rows), so
/// when this table has at least n rows every target row is referenced at least once. Other columns read
/// <c>this_column.other_column</c> as with <c>ref</c>.
/// </summary>
internal sealed class CoverRefGenerator(TablePlan target, int column, int self, long rows, ulong key) : Generator
{
    public override DataType Type => target.Columns[column].Type;

    public static Generator? Create(GeneratorContext ctx)
    {
        var target = ctx.Table("table");
        if (target is null)
        {
            return null;
        }

        if (target.Parent is not null || ctx.Column.Table.Parent is not null)
        {
            ctx.Error("table", "clinical_patient_ref links two root tables", "make both tables root tables (with 'rows')");
            return null;
        }

        var name = ctx.String("column") ?? target.Columns.FirstOrDefault()?.Name ?? string.Empty;
        var idx = target.IndexOf(name);
        if (idx < 0)
        {
            ctx.Error("column", $"table '{target.Name}' has no column '{name}'", Diagnostics.Suggest.DidYouMean(name, target.Columns.Select(c => c.Name)));
            return null;
        }

        var rows = ctx.Column.Table.RootRows ?? 0;
        if (target.RootRows is { } n && n > rows)
        {
            ctx.Error("table", $"table '{ctx.TableName}' has {rows.ToString(CultureInfo.InvariantCulture)} rows, fewer than the {n.ToString(CultureInfo.InvariantCulture)} rows of '{target.Name}' it must cover");
            return null;
        }

        ctx.Require(target.Columns[idx]);
        ctx.RefTarget = target;
        return new CoverRefGenerator(target, idx, ctx.Column.Index, rows, SeedTree.Combine(ctx.Column.Seed, "cover"));
    }

    public override Value Generate(EvalFrame frame)
    {
        var n = target.RootRows ?? 0;
        if (n <= 0 || frame.Row >= rows)
        {
            return Value.Null(Type);
        }

        frame.SetRefIndex(self, FeistelPermutation.Permute(frame.Row, rows, key) % n);
        return frame.RefFrame(self).Get(column);
    }

    public override IEnumerable<ContractRule> ImpliedContracts => [RegistryFieldGenerator.Rule(ContractKind.References, $"{target.Name}.{target.Columns[column].Name}")];
}

/// <summary><c>clinical_encounter</c>: holds the day's <see cref="EncounterModel"/>; its (hidden) value is the encounter row.</summary>
internal sealed class EncounterModelGenerator(EncounterModel model, Evaluator sex, Evaluator dateOfBirth) : Generator
{
    public EncounterModel Model => model;

    public override DataType Type => DataType.Int;

    public static Generator? Create(GeneratorContext ctx)
    {
        var day = ctx.Date("date");
        var mixText = ctx.String("scenario_mix") ?? Scenarios.DefaultMix;
        var mix = Scenarios.ParseMix(mixText, out var error);
        if (mix is null)
        {
            ctx.Error("scenario_mix", error!);
        }

        var rate = ctx.Double("complication_rate", 0.1);
        if (rate is < 0 or > 1)
        {
            ctx.Error("complication_rate", $"complication_rate must be between 0 and 1, not {rate.ToString(CultureInfo.InvariantCulture)}");
        }

        var sex = ctx.Expression("sex");
        var dob = ctx.Expression("date_of_birth");
        if (day is null)
        {
            ctx.Error("date", "clinical_encounter needs 'date' (the batch date)", "e.g. date: ${date}");
        }

        if (sex is null || sex.Type != DataType.String)
        {
            ctx.Error("sex", "clinical_encounter needs 'sex': a text expression giving F or M", "e.g. sex: patient_id.sex");
        }

        if (dob is null || dob.Type != DataType.Date)
        {
            ctx.Error("date_of_birth", "clinical_encounter needs 'date_of_birth': a date expression", "e.g. date_of_birth: patient_id.date_of_birth");
        }

        if (day is null || mix is null || sex is null || dob is null || rate is < 0 or > 1)
        {
            return null;
        }

        return new EncounterModelGenerator(new EncounterModel(ctx.Column.Seed, day.Value, mix, rate), sex.Evaluate, dob.Evaluate);
    }

    /// <summary>The plan of the encounter whose frame is <paramref name="encounter"/> (cached per thread).</summary>
    public EncounterPlan PlanFor(EvalFrame encounter)
    {
        var s = sex(encounter);
        var d = dateOfBirth(encounter);
        var sexChar = !s.IsNull && s.Text.Length > 0 && s.Text.Span[0] is 'F' or 'f' ? 'F' : 'M';
        return model.Plan(encounter.Row, sexChar, d.IsNull ? model.DayNumber - (365L * 60) : d.Int);
    }

    public override Value Generate(EvalFrame frame) => Value.FromInt(frame.Row);
}

/// <summary><c>clinical</c>: one field of the encounter plan — of the encounter itself or of its vital, lab or note at this row's ordinal.</summary>
internal sealed class ClinicalFieldGenerator : Generator
{
    private readonly Func<EncounterPlan, EvalFrame, Value> _get;
    private readonly ContractRule[] _contracts;
    private readonly bool _child;
    private readonly EncounterModelGenerator _modelGenerator;

    private ClinicalFieldGenerator(DataType type, Func<EncounterPlan, EvalFrame, Value> get, ContractRule[] contracts, bool child, EncounterModelGenerator modelGenerator)
    {
        Type = type;
        _get = get;
        _contracts = contracts;
        _child = child;
        _modelGenerator = modelGenerator;
    }

    public override DataType Type { get; }

    public override IEnumerable<ContractRule> ImpliedContracts => _contracts;

    /// <summary>The fields, as <c>level.name</c>: levels <c>encounter</c>, <c>vital</c>, <c>lab</c>, <c>note</c>.</summary>
    internal static readonly IReadOnlyDictionary<string, (DataType Type, bool Nullable, Func<EncounterPlan, EvalFrame, Value> Get, ContractRule[] Contracts)> Fields = BuildFields();

    public static Generator? Create(GeneratorContext ctx)
    {
        var field = ctx.RequireString("field");
        if (!Fields.TryGetValue(field, out var spec))
        {
            ctx.Error("field", $"unknown clinical field '{field}'", Diagnostics.Suggest.DidYouMean(field, Fields.Keys, "run 'doppel describe clinical' for the fields"));
            return null;
        }

        var child = !field.StartsWith("encounter.", StringComparison.Ordinal);
        var table = child ? ctx.Column.Table.Parent : ctx.Column.Table;
        if (table is null)
        {
            ctx.Error("field", $"field '{field}' belongs to a child of the encounters table", "give this table 'parent: encounters'");
            return null;
        }

        var modelName = ctx.String("model") ?? "model";
        var idx = table.IndexOf(modelName);
        if (idx < 0)
        {
            ctx.Error("model", $"table '{table.Name}' has no column '{modelName}' holding the clinical_encounter model", "add e.g. model: { gen: clinical_encounter, hidden: true, ... }");
            return null;
        }

        ctx.Require(table.Columns[idx]);
        if (table.Columns[idx].Generator is not EncounterModelGenerator model)
        {
            ctx.Error("model", $"column '{table.Name}.{modelName}' is not a clinical_encounter column");
            return null;
        }

        if (spec.Nullable)
        {
            ctx.Column.CoreNullable = true;
        }

        return new ClinicalFieldGenerator(spec.Type, spec.Get, spec.Contracts, child, model);
    }

    public override Value Generate(EvalFrame frame)
    {
        var encounter = _child ? frame.Parent! : frame;
        return _get(_modelGenerator.PlanFor(encounter), frame);
    }

    private static Dictionary<string, (DataType, bool, Func<EncounterPlan, EvalFrame, Value>, ContractRule[])> BuildFields()
    {
        static ContractRule R(ContractKind k, params string[] a) => RegistryFieldGenerator.Rule(k, a);
        static ContractRule[] Range(double min, double max) => [R(ContractKind.Min, min.ToString(CultureInfo.InvariantCulture)), R(ContractKind.Max, max.ToString(CultureInfo.InvariantCulture))];
        ContractRule[] window = [R(ContractKind.Within, "parent.admit_time", "parent.discharge_time")];
        static int K(EvalFrame f) => (int)f.Ordinal;
        return new(StringComparer.Ordinal)
        {
            ["encounter.encounter_type"] = (DataType.String, false, (p, _) => Value.FromText(p.Emergency ? "emergency" : "elective"), [R(ContractKind.Values, "emergency", "elective")]),
            ["encounter.scenario"] = (DataType.String, false, (p, _) => Value.FromText(Scenarios.NameOf(p.Scenario)), [R(ContractKind.Values, [.. Scenarios.Names])]),
            ["encounter.acuity"] = (DataType.Int, false, (p, _) => Value.FromInt(p.Acuity), Range(1, 5)),
            ["encounter.admit_time"] = (DataType.Timestamp, false, (p, _) => Value.FromTimestamp(p.AdmitTime), []),
            ["encounter.discharge_time"] = (DataType.Timestamp, false, (p, _) => Value.FromTimestamp(p.DischargeTime), [R(ContractKind.After, "admit_time")]),
            ["encounter.spo2_scale"] = (DataType.Int, false, (p, _) => Value.FromInt(p.Scale2 ? 2 : 1), Range(1, 2)),
            ["encounter.vitals_count"] = (DataType.Int, false, (p, _) => Value.FromInt(p.VitalCount), Range(1, EncounterModel.MaxVitals)),
            ["encounter.labs_count"] = (DataType.Int, false, (p, _) => Value.FromInt(p.LabCount), Range(0, EncounterPlan.MaxLabs)),
            ["encounter.notes_count"] = (DataType.Int, false, (p, _) => Value.FromInt(p.NoteCount), Range(2, EncounterPlan.MaxNotes)),
            ["vital.event_time"] = (DataType.Timestamp, false, (p, f) => Value.FromTimestamp(p.VitalTime(K(f))), window),
            ["vital.heart_rate"] = (DataType.Int, false, (p, f) => Value.FromInt(p.HeartRate(K(f))), Range(30, 180)),
            ["vital.resp_rate"] = (DataType.Int, false, (p, f) => Value.FromInt(p.RespRate(K(f))), Range(6, 45)),
            ["vital.systolic_bp"] = (DataType.Int, false, (p, f) => Value.FromInt(p.SystolicBp(K(f))), Range(60, 240)),
            ["vital.diastolic_bp"] = (DataType.Int, false, (p, f) => Value.FromInt(p.DiastolicBp(K(f))), Range(30, 140)),
            ["vital.spo2"] = (DataType.Int, false, (p, f) => Value.FromInt(p.SpO2(K(f))), Range(70, 100)),
            ["vital.on_oxygen"] = (DataType.Bool, false, (p, f) => Value.FromBool(p.OnOxygen(K(f))), []),
            ["vital.temperature"] = (DataType.Float, false, (p, f) => Value.FromFloat(p.Temperature(K(f))), Range(33, 41.5)),
            ["vital.consciousness"] = (DataType.String, false, (p, f) => Value.FromText(Acvpu(p.Consciousness(K(f)))), [R(ContractKind.Values, "A", "C", "V", "P", "U")]),
            ["vital.news2"] = (DataType.Int, false, (p, f) => Value.FromInt(p.News2Total(K(f))), Range(0, 20)),
            ["vital.news2_risk"] = (DataType.String, false, (p, f) => Value.FromText(p.News2Risk(K(f))), [R(ContractKind.Values, [.. News2.RiskBands])]),
            ["lab.event_time"] = (DataType.Timestamp, false, (p, f) => Value.FromTimestamp(p.LabTime(K(f))), window),
            ["lab.loinc_code"] = (DataType.String, false, (p, f) => Value.FromText(LabCatalog.Of(p.LabTestOf(K(f))).Loinc), [R(ContractKind.Values, [.. LabCatalog.All.Select(t => t.Loinc)])]),
            ["lab.test_name"] = (DataType.String, false, (p, f) => Value.FromText(LabCatalog.Of(p.LabTestOf(K(f))).Name), [R(ContractKind.Values, [.. LabCatalog.All.Select(t => t.Name)])]),
            ["lab.value"] = (DataType.Float, true, (p, f) => p.LabValue(K(f)) is { } v ? Value.FromFloat(v) : Value.Null(DataType.Float), [R(ContractKind.Min, "0")]),
            ["lab.unit"] = (DataType.String, true, (p, f) => LabCatalog.Of(p.LabTestOf(K(f))).Unit is { } u ? Value.FromText(u) : Value.Null(DataType.String), []),
            ["lab.ref_low"] = (DataType.Float, true, (p, f) => LabCatalog.Reference(p.LabTestOf(K(f)), p.Sex).Low is { } v ? Value.FromFloat(v) : Value.Null(DataType.Float), []),
            ["lab.ref_high"] = (DataType.Float, true, (p, f) => LabCatalog.Reference(p.LabTestOf(K(f)), p.Sex).High is { } v ? Value.FromFloat(v) : Value.Null(DataType.Float), []),
            ["lab.flag"] = (DataType.String, false, (p, f) => Value.FromText(p.LabFlag(K(f))), [R(ContractKind.Values, [.. LabCatalog.Flags])]),
            ["lab.result_text"] = (DataType.String, true, (p, f) => p.LabResultText(K(f)) is { } t ? Value.FromText(t) : Value.Null(DataType.String), []),
            ["lab.trigger"] = (DataType.String, false, (p, f) => Value.FromText(p.LabTrigger(K(f))), [R(ContractKind.Values, [.. EncounterPlan.Triggers])]),
            ["note.note_time"] = (DataType.Timestamp, false, (p, f) => Value.FromTimestamp(p.NoteTime(K(f))), window),
            ["note.note_type"] = (DataType.String, false, (p, f) => Value.FromText(EncounterPlan.NoteTypeName(p.NoteTypeOf(K(f)))), [R(ContractKind.Values, "admission", "progress", "discharge")]),
            ["note.text"] = (DataType.String, false, (p, f) =>
            {
                var dest = f.Arena.Rent(EncounterPlan.MaxNoteLength);
                return Value.FromText(f.Arena.Commit(p.WriteNote(K(f), dest)));
            }, []),
        };
    }

    private static string Acvpu(char c) => c switch
    {
        'A' => "A",
        'C' => "C",
        'V' => "V",
        'P' => "P",
        _ => "U",
    };
}
