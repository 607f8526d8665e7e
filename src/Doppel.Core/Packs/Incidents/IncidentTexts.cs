namespace Doppel.Packs.Incidents;

/// <summary>
/// Sentence templates (<see cref="Domain.Text"/> syntax: <c>{a|b|c}</c> picks one alternative) for the free
/// text of the incidents pack: narratives by incident type, unit notes and asset notes.
/// </summary>
/// <remarks>
/// Written for this pack: plausible CAD wording, but no names, addresses or other details of real people
/// or events. Types without templates of their own (a user's lookup file may add some) use
/// <see cref="GenericNarrative"/>.
/// </remarks>
internal static class IncidentTexts
{
    /// <summary>The longest expansion of any template fits in this many chars (checked by a test).</summary>
    public const int MaxLength = 400;

    public static readonly string[] GenericNarrative =
    [
        "Incident reported {by a caller|by an alarm company|by a passing unit}. Crews {investigated|assessed the scene|took the appropriate action}; {no further action required|report completed by the company officer|scene turned over to the responsible party}.",
    ];

    public static readonly Dictionary<string, string[]> NarrativeByType = new(StringComparer.Ordinal)
    {
        ["STRUCTURE_FIRE"] =
        [
            "Caller reported {smoke|heavy smoke|flames} showing from a {single-family home|two-storey residence|apartment building|detached garage|commercial unit}. {First-due engine established command|Crews laid a supply line and made an interior attack|Defensive operations until the roof was checked}; {all occupants accounted for|one occupant evaluated by EMS|primary and secondary searches negative}.",
            "Fire in a {kitchen|bedroom|basement|attic space|utility room} of a {residence|duplex|townhouse}, {contained to the room of origin|extended into the void space|confined to contents}. {Ventilation performed|Overhaul completed|Investigator requested}.",
        ],
        ["VEHICLE_FIRE"] =
        [
            "{Passenger car|Pickup truck|Delivery van|Motorcycle|Box truck} fire {in a parking lot|on the shoulder|in a residential driveway|at a fuel station}. {Fire knocked down with one handline|Engine compartment fire extinguished}; {no injuries|driver self-evacuated before arrival}.",
        ],
        ["WILDLAND_FIRE"] =
        [
            "{Brush|Grass|Vegetation} fire of about {half an acre|one acre|two acres|five acres} {near a trailhead|along the rail line|behind a housing development|in an open field}. {Forward progress stopped|Hand line completed around the perimeter|Mop-up in progress}.",
        ],
        ["MEDICAL_EMERGENCY"] =
        [
            "{Male|Female} patient {in their 20s|in their 30s|in their 40s|in their 50s|in their 60s|in their 70s|in their 80s|aged about 16} with {chest pain|difficulty breathing|a fall injury|an altered level of consciousness|abdominal pain|a diabetic emergency|a seizure}. {ALS|BLS} crew {assessed and transported|treated on scene|assessed; patient declined transport}.",
            "{Caller reported|Alarm company reported|Bystander reported} a person {unresponsive|short of breath|injured after a fall|feeling faint} at a {residence|workplace|public park|shopping centre}. Patient {assessed and transported to hospital|treated and released|care transferred to the ambulance crew}.",
        ],
        ["TRAFFIC_COLLISION"] =
        [
            "{Two-vehicle|Single-vehicle|Multi-vehicle} collision {at an intersection|on the arterial road|in a parking lot|on a highway on-ramp}. {No entrapment|One occupant entrapped and extricated by crews}; {fluids contained|traffic control established|scene turned over to police}.",
        ],
        ["HAZMAT"] =
        [
            "{Natural gas leak|Fuel spill|Unknown odour|Small chemical release} reported {at a commercial site|in a residential street|at a storage facility|at a construction site}. {Area isolated and monitored with gas meters|Utility company notified and on scene|Spill contained with absorbent}.",
        ],
        ["RESCUE"] =
        [
            "{Person trapped in an elevator|Water rescue request|Person fallen down an embankment|Animal rescue request|Person locked in a vehicle}. {Crews gained access and assisted the person|Rope team deployed|Victim reached and handed over to EMS}.",
        ],
        ["ALARM_ACTIVATION"] =
        [
            "Automatic {fire|smoke|sprinkler flow|carbon monoxide} alarm at {a commercial building|an apartment complex|a school|a warehouse|a care home}. {Cause: cooking smoke|Cause: system malfunction|No fire found; system reset by the keyholder|Cause: dust from construction work}.",
        ],
        ["SERVICE_CALL"] =
        [
            "{Lift assist|Smoke detector check|Water leak|Lock-out|Public assist} request {at a residence|at a care home|in a commercial unit|at a community centre}. {Assistance provided|Referred to property management|No further action required}.",
        ],
    };

    public static readonly string[] Notes =
    [
        "{Command established|Primary search all clear|Secondary search all clear|Utilities secured|Patient care transferred|Additional unit requested|Fire investigator requested|Scene turned over to the property owner|Units returning to service|Crew rehab established|Traffic control in place|Caller updated with the ETA}.",
        "{Water supply established|Ventilation complete|Hazard area cordoned off|Power company notified|Police on scene|Air monitoring readings normal|Fire under control|Patient packaged for transport}{ by the first-due company| per the incident commander| as requested by dispatch|}.",
    ];

    public static readonly string[] AssetNotes =
    [
        "{Used for interior operations|Returned to the apparatus|Inspected after use|Tagged for maintenance|Cylinder refilled|Battery replaced|Cleaned and decontaminated|Logged by the company officer}.",
    ];

    /// <summary>Every template set, for validation.</summary>
    public static IEnumerable<string[]> All => NarrativeByType.Values.Append(GenericNarrative).Append(Notes).Append(AssetNotes);
}
