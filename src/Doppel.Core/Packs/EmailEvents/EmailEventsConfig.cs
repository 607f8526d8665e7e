using System.Globalization;

namespace Doppel.Packs.EmailEvents;

/// <summary>
/// Settings of the e-mail engagement model, one per recipe parameter of the <c>email-events</c> pack
/// (docs/packs/email-events.md lists them with their defaults and what each one changes).
/// </summary>
/// <remarks>
/// A record of scalars and strings, so two plans with the same settings share one <see cref="EmailModel"/>.
/// Times are µs since the Unix epoch (UTC), durations are in the unit their name says.
/// </remarks>
public sealed record EmailEventsConfig
{
    public ulong Seed { get; init; } = 42;

    /// <summary>Number of campaigns in the window (the campaign schedule is a pure function of the index).</summary>
    public int Campaigns { get; init; } = 36;

    /// <summary>Start of the history window (midnight UTC), µs since epoch.</summary>
    public long Start { get; init; } = new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    /// <summary>Length of the window in days; events at or after its end are not generated (the data is a snapshot at the end).</summary>
    public int Days { get; init; } = 90;

    /// <summary><c>name=weight,…</c> over the personas of <see cref="Personas.All"/>.</summary>
    public string PersonaMix { get; init; } = Personas.DefaultMix;

    /// <summary><c>name=weight,…</c> over the ESPs of <see cref="Esps.All"/>; a recipient is routed to one ESP for the whole window.</summary>
    public string EspMix { get; init; } = Esps.DefaultMix;

    /// <summary>Share of recipients who subscribe during the window (the rest were subscribed before it).</summary>
    public double NewSubscriberShare { get; init; } = 0.15;

    /// <summary>Share of recipients whose mail client pre-fetches images (Apple Mail Privacy Protection): machine opens seconds after delivery.</summary>
    public double AppleMppShare { get; init; } = 0.2;

    /// <summary>A campaign's messages leave over this many minutes after its scheduled time (throttled sending).</summary>
    public double SendSpreadMinutes { get; init; } = 20;

    /// <summary>Exposure counts the campaigns a recipient received in the previous this-many days, each weighted 1 − age/window.</summary>
    public double FatigueWindowDays { get; init; } = 14;

    /// <summary>Open and click propensity are multiplied by exp(−strength × exposure).</summary>
    public double FatigueStrength { get; init; } = 0.12;

    /// <summary>Engagement (an open) in the previous this-many days raises propensity.</summary>
    public double HotPathDays { get; init; } = 4;

    /// <summary>Each recent engagement multiplies propensity by (1 + boost), up to <see cref="HotPathCap"/> of them.</summary>
    public double HotPathBoost { get; init; } = 0.5;

    public int HotPathCap { get; init; } = 3;

    /// <summary>Per send: the address no longer exists (550 5.1.1); the recipient is suppressed from then on.</summary>
    public double HardBounceRate { get; init; } = 0.003;

    /// <summary>Per send: mailbox full after 1–3 deferrals; the message is lost, the recipient stays.</summary>
    public double SoftBounceRate { get; init; } = 0.006;

    /// <summary>Per send: one greylisting deferral, delivered 5–30 minutes later.</summary>
    public double GreylistRate { get; init; } = 0.02;

    public bool Outage { get; init; } = true;

    public string OutageEsp { get; init; } = "mailgun";

    /// <summary>The outage starts 30 minutes before the first campaign on or after this day of the window.</summary>
    public double OutageDay { get; init; } = 54;

    public double OutageHours { get; init; } = 6;

    /// <summary>Share of messages caught in the outage that the ESP gives up on (soft bounce) instead of delivering after recovery.</summary>
    public double OutageBounceRate { get; init; } = 0.2;

    /// <summary>Reads the settings from recipe parameters (missing ones keep their defaults).</summary>
    /// <exception cref="FormatException">A parameter's value is not of the expected form; the message names it.</exception>
    public static EmailEventsConfig FromParams(Func<string, string?> param, ulong seed)
    {
        var c = new EmailEventsConfig { Seed = seed };
        int Int(string name, int fallback) => param(name) is { } s ? int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(name, s, "a whole number") : fallback;
        double Dbl(string name, double fallback) => param(name) is { } s ? double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : throw Bad(name, s, "a number") : fallback;
        bool Bool(string name, bool fallback) => param(name) is { } s ? s is "true" or "True" ? true : s is "false" or "False" ? false : throw Bad(name, s, "true or false") : fallback;
        long Date(string name, long fallback)
        {
            if (param(name) is not { } s)
            {
                return fallback;
            }

            return DateOnly.TryParseExact(s[..Math.Min(10, s.Length)], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? (d.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber) * 86_400_000_000L
                : throw Bad(name, s, "a date YYYY-MM-DD");
        }

        c = c with
        {
            Campaigns = Int("campaigns", c.Campaigns),
            Start = Date("start", c.Start),
            Days = Int("days", c.Days),
            PersonaMix = param("persona_mix") ?? c.PersonaMix,
            EspMix = param("esp_mix") ?? c.EspMix,
            NewSubscriberShare = Dbl("new_subscriber_share", c.NewSubscriberShare),
            AppleMppShare = Dbl("apple_mpp_share", c.AppleMppShare),
            SendSpreadMinutes = Dbl("send_spread_minutes", c.SendSpreadMinutes),
            FatigueWindowDays = Dbl("fatigue_window_days", c.FatigueWindowDays),
            FatigueStrength = Dbl("fatigue_strength", c.FatigueStrength),
            HotPathDays = Dbl("hot_path_days", c.HotPathDays),
            HotPathBoost = Dbl("hot_path_boost", c.HotPathBoost),
            HotPathCap = Int("hot_path_cap", c.HotPathCap),
            HardBounceRate = Dbl("hard_bounce_rate", c.HardBounceRate),
            SoftBounceRate = Dbl("soft_bounce_rate", c.SoftBounceRate),
            GreylistRate = Dbl("greylist_rate", c.GreylistRate),
            Outage = Bool("outage", c.Outage),
            OutageEsp = param("outage_esp") ?? c.OutageEsp,
            OutageDay = Dbl("outage_day", c.OutageDay),
            OutageHours = Dbl("outage_hours", c.OutageHours),
            OutageBounceRate = Dbl("outage_bounce_rate", c.OutageBounceRate),
        };
        c.Validate();
        return c;
    }

    /// <summary>Checks ranges and names; throws <see cref="FormatException"/> with a one-line message naming the parameter.</summary>
    public void Validate()
    {
        static void Range(string name, double v, double min, double max)
        {
            if (!(v >= min && v <= max))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"parameter '{name}' is {v}; it must be between {min} and {max}"));
            }
        }

        Range("campaigns", Campaigns, 1, 5000);
        Range("days", Days, 1, 3650);
        Range("new_subscriber_share", NewSubscriberShare, 0, 1);
        Range("apple_mpp_share", AppleMppShare, 0, 1);
        Range("send_spread_minutes", SendSpreadMinutes, 0, 24 * 60);
        Range("fatigue_window_days", FatigueWindowDays, 0.01, 365);
        Range("fatigue_strength", FatigueStrength, 0, 10);
        Range("hot_path_days", HotPathDays, 0.01, 365);
        Range("hot_path_boost", HotPathBoost, 0, 10);
        Range("hot_path_cap", HotPathCap, 0, 100);
        Range("hard_bounce_rate", HardBounceRate, 0, 1);
        Range("soft_bounce_rate", SoftBounceRate, 0, 1);
        Range("greylist_rate", GreylistRate, 0, 1);
        Range("outage_day", OutageDay, 0, Days);
        Range("outage_hours", OutageHours, 0, 24 * 30);
        Range("outage_bounce_rate", OutageBounceRate, 0, 1);
        _ = Personas.ParseMix(PersonaMix);
        var esps = Esps.ParseMix(EspMix);
        if (Esps.IndexOf(OutageEsp) < 0)
        {
            throw new FormatException($"parameter 'outage_esp' is '{OutageEsp}'; known ESPs: {string.Join(", ", Esps.All.Select(e => e.Name))}");
        }

        _ = esps;
    }

    private static FormatException Bad(string name, string value, string what) => new($"parameter '{name}' is '{value}'; it must be {what}");
}
