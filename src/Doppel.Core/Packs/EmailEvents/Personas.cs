using System.Globalization;

namespace Doppel.Packs.EmailEvents;

/// <summary>
/// One behaviour profile of a recipient: how likely they open and click, when (recipient-local hour
/// and weekday weights), how fast after delivery, on which device, and how likely they leave.
/// </summary>
/// <param name="Name">The persona as written in every event (<c>persona</c> column).</param>
/// <param name="Open">Base probability of a (human) open of a delivered campaign, before fatigue and hot-path boosts.</param>
/// <param name="ClickGivenOpen">Probability of a click once opened (click-to-open rate).</param>
/// <param name="RepeatOpen">Probability of each further open (geometric, at most 4 more).</param>
/// <param name="RepeatClick">Probability of each further click (geometric, at most 3 more).</param>
/// <param name="UnsubscribePerOpen">Probability that an open ends in an unsubscribe (raised by exposure).</param>
/// <param name="ComplaintPerOpen">Probability that an open ends in a spam complaint.</param>
/// <param name="MobileShare">Share of human opens and clicks on a mobile device (the rest desktop, 8 % of them tablet).</param>
/// <param name="Immediate">Share of first opens drawn from the "notification" component: exponential, mean 4 minutes.</param>
/// <param name="ShortMeanMinutes">Mean of the exponential component that takes 55 % of the remaining first opens.</param>
/// <param name="LongMedianHours">Median of the log-normal tail (σ 1.09: 95th percentile ≈ 6 × median) that takes the rest.</param>
/// <param name="Hours">24 weights of the recipient-local hour of day at which opens are accepted (diurnal curve).</param>
/// <param name="Weekdays">7 weights, Monday first, of the recipient-local weekday.</param>
/// <param name="HardBounceFactor">Multiplies the hard-bounce rate (abandoned mailboxes).</param>
/// <param name="DecayWeeks">If positive: propensity decays as exp(−weeks subscribed within the window / DecayWeeks) (churners lose interest).</param>
public sealed record Persona(
    string Name,
    double Open,
    double ClickGivenOpen,
    double RepeatOpen,
    double RepeatClick,
    double UnsubscribePerOpen,
    double ComplaintPerOpen,
    double MobileShare,
    double Immediate,
    double ShortMeanMinutes,
    double LongMedianHours,
    double[] Hours,
    double[] Weekdays,
    double HardBounceFactor = 1,
    double DecayWeeks = 0)
{
    /// <summary>The largest hour × weekday weight: rejection sampling accepts a time with probability weight / max.</summary>
    public double MaxWeight { get; } = Hours.Max() * Weekdays.Max();
}

/// <summary>The built-in personas (the issue's seven), documented in docs/packs/email-events.md.</summary>
/// <remarks>
/// Rates are heuristics calibrated so that the default mix lands near Mailchimp's 2019 benchmarks
/// (domain-reference §9.3: 22.71 % unique opens, 2.91 % clicks over delivered, 0.25 % unsubscribes);
/// the diurnal shapes follow §9.4 (morning peak, early-afternoon peak, evening shoulder, 01–05 minimum)
/// and are bent per persona.
/// </remarks>
public static class Personas
{
    private static readonly double[] WorkWeek = [1, 1, 1, 1, 0.95, 0.7, 0.65];

    /// <summary>§9.4's general curve: morning 08–11, early afternoon 13–15, evening shoulder 19–22, minimum 01–05.</summary>
    private static readonly double[] GeneralHours = [0.2, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.6, 1.0, 1.1, 1.0, 0.8, 0.7, 0.9, 0.9, 0.8, 0.6, 0.5, 0.5, 0.7, 0.7, 0.6, 0.4, 0.3];

    public static readonly IReadOnlyList<Persona> All =
    [
        new("morning_reader", 0.30, 0.10, 0.30, 0.20, 0.006, 0.0004, 0.45, 0.12, 90, 12,
            [0.05, 0.03, 0.02, 0.02, 0.05, 0.3, 1.0, 1.6, 1.8, 1.4, 0.8, 0.5, 0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.4, 0.35, 0.3, 0.25, 0.15, 0.08], WorkWeek),
        new("evening_reader", 0.28, 0.09, 0.30, 0.20, 0.006, 0.0004, 0.55, 0.10, 120, 10,
            [0.2, 0.1, 0.05, 0.03, 0.03, 0.05, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.8, 1.3, 1.7, 1.8, 1.4, 0.6], [1, 1, 1, 1, 1, 0.9, 0.9]),
        new("weekend_reader", 0.26, 0.09, 0.25, 0.20, 0.006, 0.0004, 0.50, 0.05, 180, 30,
            [0.1, 0.05, 0.03, 0.02, 0.02, 0.05, 0.1, 0.3, 0.7, 1.1, 1.3, 1.3, 1.2, 1.1, 1.1, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2], [0.3, 0.3, 0.3, 0.3, 0.45, 1.6, 1.6]),
        new("mobile_skimmer", 0.33, 0.04, 0.45, 0.15, 0.006, 0.0004, 0.92, 0.40, 45, 8,
            [0.2, 0.1, 0.05, 0.03, 0.05, 0.2, 0.6, 1.3, 1.4, 0.8, 0.6, 0.7, 1.3, 1.2, 0.7, 0.6, 0.7, 1.3, 1.3, 0.9, 0.9, 1.0, 1.1, 0.6], [1, 1, 1, 1, 1, 0.85, 0.85]),
        new("power_clicker", 0.50, 0.28, 0.50, 0.50, 0.002, 0.0001, 0.25, 0.30, 60, 10,
            [0.05, 0.03, 0.02, 0.02, 0.02, 0.05, 0.2, 0.6, 1.2, 1.6, 1.6, 1.4, 1.1, 1.3, 1.5, 1.4, 1.2, 0.9, 0.5, 0.4, 0.35, 0.3, 0.2, 0.1], [1.2, 1.2, 1.2, 1.2, 1.1, 0.4, 0.3]),
        new("dormant", 0.03, 0.04, 0.10, 0.10, 0.02, 0.003, 0.40, 0.05, 180, 36,
            GeneralHours, WorkWeek, HardBounceFactor: 2.5),
        new("churner", 0.28, 0.05, 0.20, 0.15, 0.10, 0.01, 0.50, 0.15, 90, 12,
            GeneralHours, WorkWeek, DecayWeeks: 6),
    ];

    public const string DefaultMix = "morning_reader=20,evening_reader=18,weekend_reader=12,mobile_skimmer=20,power_clicker=8,dormant=14,churner=8";

    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Parses <c>name=weight,…</c> into one weight per persona of <see cref="All"/> (unnamed ones get 0).</summary>
    /// <exception cref="FormatException">An unknown persona, a bad weight, or all weights zero.</exception>
    public static double[] ParseMix(string mix) => Mix.Parse(mix, "persona_mix", All.Select(p => p.Name).ToArray());
}

/// <summary>An e-mail service provider: its send → delivered latency (log-normal).</summary>
/// <param name="Name">As written in every event (<c>esp</c> column).</param>
/// <param name="MedianSeconds">Median send → delivered delay.</param>
/// <param name="Sigma">Log-normal σ of that delay.</param>
/// <param name="SlowShare">Share of messages that wait in the ESP's queue first (exponential, mean <paramref name="SlowMeanMinutes"/>).</param>
/// <param name="SlowMeanMinutes">Mean queueing delay of slow messages.</param>
public sealed record Esp(string Name, double MedianSeconds, double Sigma, double SlowShare, double SlowMeanMinutes);

/// <summary>The ESPs the model knows (latency heuristics; not sourced values, see domain-reference "Open points" 8).</summary>
public static class Esps
{
    public static readonly IReadOnlyList<Esp> All =
    [
        new("sendgrid", 3, 0.9, 0.02, 4),
        new("mailgun", 6, 1.1, 0.04, 8),
        new("ses", 2, 0.7, 0.01, 3),
        new("postmark", 1.5, 0.5, 0.005, 2),
        new("sparkpost", 4, 0.9, 0.03, 6),
    ];

    public const string DefaultMix = "sendgrid=50,mailgun=30,ses=20";

    public static int IndexOf(string name)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public static double[] ParseMix(string mix) => Mix.Parse(mix, "esp_mix", All.Select(e => e.Name).ToArray());
}

internal static class Mix
{
    public static double[] Parse(string mix, string param, string[] names)
    {
        var weights = new double[names.Length];
        foreach (var part in mix.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq].Trim();
            var i = Array.IndexOf(names, name);
            if (i < 0)
            {
                throw new FormatException($"parameter '{param}' names '{name}'; known: {string.Join(", ", names)}");
            }

            if (eq < 0 || !double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var w) || !(w >= 0) || double.IsInfinity(w))
            {
                throw new FormatException($"parameter '{param}': '{part}' is not name=weight with a weight ≥ 0 (e.g. {names[0]}=20)");
            }

            weights[i] = w;
        }

        if (weights.Sum() <= 0)
        {
            throw new FormatException($"parameter '{param}' must give at least one positive weight, e.g. {names[0]}=1");
        }

        return weights;
    }
}
