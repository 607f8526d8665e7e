using Doppel.Generators;
using Doppel.Planning;

namespace Doppel.Packs.Clinical;

/// <summary>Generators of the clinical pack (see docs/packs/clinical.md).</summary>
public static class ClinicalPackGenerators
{
    public static void Register(GeneratorRegistry registry)
    {
        registry.Add(new GeneratorFactory("clinical_registry", "An attribute of a patient of the persistent registry: a pure function of (seed, registry index).", [new("field", string.Join(", ", PatientRegistry.Columns)), new("index", "the registry row (a whole-number expression)")], RegistryFieldGenerator.Create));
        registry.Add(new GeneratorFactory("clinical_active_patient", "The day's active patients: a keyed permutation of the registry's rows (distinct by construction).", [new("registry_rows", "patients in the registry on the date"), new("date", "the batch date (keys the day's sample)")], ActivePatientGenerator.Create));
        registry.Add(new GeneratorFactory("clinical_patient_ref", "A reference into another root table that covers every one of its rows (row i → π(i) mod n).", [new("table", "the referenced root table"), new("column", "the referenced column")], CoverRefGenerator.Create));
        registry.Add(new GeneratorFactory("clinical_encounter", "The day's encounter model: scenario, acuity, stay, vitals, labs and notes of every encounter.", [new("date", "the batch date"), new("scenario_mix", "scenario weights name:weight,...", Scenarios.DefaultMix), new("complication_rate", "share of non-sepsis stays ≥ 2 days with a hospital-acquired infection", "0.1"), new("sex", "the patient's sex expression (F/M)"), new("date_of_birth", "the patient's date of birth expression")], EncounterModelGenerator.Create));
        registry.Add(new GeneratorFactory("clinical", "A field of the encounter model: encounter.*, vital.*, lab.* or note.* (children read their row's ordinal).", [new("field", string.Join(", ", ClinicalFieldGenerator.Fields.Keys)), new("model", "the clinical_encounter column (in this table or the parent)", "model")], ClinicalFieldGenerator.Create));
    }
}

/// <summary>What the clinical command needs from a planned clinical recipe.</summary>
/// <param name="Registry">The registry function (patient i's attributes).</param>
/// <param name="RegistryRows">Patients in the registry on the batch date.</param>
/// <param name="Day">The batch date, days since 1970-01-01.</param>
public sealed record ClinicalDay(PatientRegistry Registry, long RegistryRows, long Day)
{
    /// <summary>Finds the registry and the day in a plan of the clinical recipe; null if the recipe has no registry columns.</summary>
    public static ClinicalDay? From(GenerationPlan plan)
    {
        var registry = plan.Tables.SelectMany(t => t.Columns).Select(c => c.Generator).OfType<RegistryFieldGenerator>().FirstOrDefault()?.Registry;
        var active = plan.Tables.SelectMany(t => t.Columns).Select(c => c.Generator).OfType<ActivePatientGenerator>().FirstOrDefault();
        return registry is null || active is null ? null : new ClinicalDay(registry, active.RegistryRows, active.Day);
    }
}
