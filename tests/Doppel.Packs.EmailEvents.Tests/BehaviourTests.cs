using System.Security.Cryptography;
using System.Text;
using Doppel.Packs.EmailEvents;

namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>The behaviours docs/packs/email-events.md promises, checked on the default history with tolerances.</summary>
public sealed class BehaviourTests(DefaultHistory history) : IClassFixture<DefaultHistory>
{
    private const long Second = 1_000_000;
    private const long Minute = 60 * Second;

    [Fact]
    public void The_default_history_is_the_seeds_80_to_100_thousand_events()
    {
        history.EventCount.Should().BeInRange(80_000, 100_000);
        history.Messages.Select(m => m.Campaign.Index).Distinct().Should().HaveCount(36);
    }

    [Fact]
    public void Every_chain_obeys_causality()
    {
        // §9.5: sent → deferred* → exactly one of delivered/bounced; engagement only after delivery; clicks after an open.
        foreach (var m in history.Messages)
        {
            var e = m.Events;
            e[0].Type.Should().Be(EmailEventType.Sent);
            for (var i = 1; i < e.Length; i++)
            {
                (e[i].Time - e[i - 1].Time).Should().BeGreaterThanOrEqualTo(Second, "events of a message are strictly ordered, at least 1 s apart");
            }

            var outcome = Array.FindIndex(e, x => x.Type is EmailEventType.Delivered or EmailEventType.Bounced);
            e.Count(x => x.Type is EmailEventType.Delivered or EmailEventType.Bounced).Should().BeLessThanOrEqualTo(1);
            e.Take(outcome < 0 ? e.Length : outcome).Skip(1).Where(x => x.Type != EmailEventType.Deferred).Should().BeEmpty("only deferrals come before the outcome");
            var delivered = Array.FindIndex(e, x => x.Type == EmailEventType.Delivered);
            for (var i = 0; i < e.Length; i++)
            {
                if (e[i].Type is EmailEventType.Opened or EmailEventType.Clicked or EmailEventType.Unsubscribed or EmailEventType.Complained)
                {
                    delivered.Should().BeInRange(0, i - 1, "engagement needs an earlier delivery");
                }

                if (e[i].Type == EmailEventType.Clicked)
                {
                    e.Take(i).Should().Contain(x => x.Type == EmailEventType.Opened && !x.MachineOpen, "a click follows a human open");
                }
            }
        }
    }

    [Fact]
    public void Nothing_happens_to_a_recipient_after_an_unsubscribe_complaint_or_hard_bounce_nor_after_the_window()
    {
        var terminals = 0;
        foreach (var recipient in history.Messages.GroupBy(m => m.Recipient.Index))
        {
            var all = recipient.SelectMany(m => m.Events).ToList();
            var end = all.Where(x => x.Type is EmailEventType.Unsubscribed or EmailEventType.Complained || (x.Type == EmailEventType.Bounced && x.Bounce == 1)).Select(x => x.Time).DefaultIfEmpty(long.MaxValue).Min();
            if (end != long.MaxValue)
            {
                terminals++;
                all.Should().OnlyContain(x => x.Time <= end, $"recipient {recipient.Key} is suppressed at {end}");
                all.Count(x => x.Time == end).Should().Be(1);
            }

            all.Should().OnlyContain(x => x.Time < history.Model.Horizon);
        }

        terminals.Should().BeGreaterThan(30, "unsubscribes, complaints and hard bounces do happen");
    }

    [Theory]
    [InlineData("morning_reader", 0.26, 0.030)]
    [InlineData("evening_reader", 0.25, 0.026)]
    [InlineData("weekend_reader", 0.22, 0.019)]
    [InlineData("mobile_skimmer", 0.29, 0.013)]
    [InlineData("power_clicker", 0.45, 0.150)]
    [InlineData("dormant", 0.02, 0.001)]
    [InlineData("churner", 0.11, 0.006)]
    public void Unique_open_and_click_rates_per_persona_are_as_documented(string persona, double open, double click)
    {
        var delivered = history.Messages.Where(m => m.Persona == persona && m.Delivered).ToList();
        delivered.Should().HaveCountGreaterThan(1000);
        Rate(delivered, m => m.HumanOpen).Should().BeApproximately(open, 0.04);
        Rate(delivered, m => m.Clicked).Should().BeApproximately(click, Math.Max(0.006, click * 0.25));
    }

    [Fact]
    public void The_overall_rates_match_Mailchimps_benchmarks()
    {
        // domain-reference §9.3: 22.71 % unique opens, 2.91 % clicks over delivered; 0.40 % hard + 0.61 % soft bounces; 0.25 % unsubscribes.
        var delivered = history.Messages.Where(m => m.Delivered).ToList();
        Rate(delivered, m => m.HumanOpen).Should().BeApproximately(0.2271, 0.03);
        Rate(delivered, m => m.Clicked).Should().BeApproximately(0.0291, 0.006);
        Rate(delivered, m => m.Events.Any(e => e.Type == EmailEventType.Unsubscribed)).Should().BeApproximately(0.0025, 0.0015);
        Rate(history.Messages, m => m.Events.Any(e => e.Type == EmailEventType.Bounced)).Should().BeInRange(0.005, 0.02);
    }

    [Fact]
    public void Hour_of_day_histograms_differ_by_persona_as_specified()
    {
        var share = (string persona, int from, int to) => LocalOpenHours(persona).Count(h => h >= from && h < to) / (double)LocalOpenHours(persona).Count;
        int Peak(string persona) => LocalOpenHours(persona).GroupBy(h => h).MaxBy(g => g.Count())!.Key;

        Peak("morning_reader").Should().BeInRange(6, 10);
        Peak("evening_reader").Should().BeInRange(19, 23);
        Peak("power_clicker").Should().BeInRange(9, 16);
        share("morning_reader", 6, 11).Should().BeGreaterThan(0.45).And.BeGreaterThan(2 * share("evening_reader", 6, 11));
        share("evening_reader", 18, 24).Should().BeGreaterThan(0.45).And.BeGreaterThan(2 * share("morning_reader", 18, 24));
        share("power_clicker", 9, 17).Should().BeGreaterThan(0.6);
        foreach (var p in Personas.All.Where(p => p.Name is not ("dormant" or "churner")))
        {
            share(p.Name, 1, 5).Should().BeLessThan(0.04, $"{p.Name} sleeps");
        }
    }

    [Fact]
    public void Weekend_readers_open_at_weekends_and_power_clickers_on_weekdays()
    {
        double Weekend(string persona) => Opens(persona).Count(o => EmailModel.LocalHourAndWeekday(o.Time, o.Tz).Weekday >= 5) / (double)Opens(persona).Count;
        Weekend("weekend_reader").Should().BeGreaterThan(2 * Weekend("power_clicker"));
        Weekend("weekend_reader").Should().BeGreaterThan(0.35, "weekends are 2 of 7 days but weigh 1.6 against 0.3");
    }

    [Fact]
    public void Opens_spike_in_the_minutes_right_after_a_campaign_send()
    {
        // Opens per minute in the first 10 minutes after each message was sent, against minutes 2 h – 10 h later.
        var delays = history.Messages.SelectMany(m => m.Events.Where(e => e.Type == EmailEventType.Opened && !e.MachineOpen).Select(e => e.Time - m.SentAt)).ToList();
        var early = delays.Count(d => d < 10 * Minute) / 10.0;
        var later = delays.Count(d => d >= 120 * Minute && d < 600 * Minute) / 480.0;
        early.Should().BeGreaterThan(8 * later);
        (delays.Count(d => d < 60 * Minute) / (double)delays.Count).Should().BeInRange(0.12, 0.5, "§9.4: most opens in the first hour, up to 23 % in studies");
    }

    [Fact]
    public void Fatigue_lowers_response_with_exposure_and_recovers_without_it()
    {
        // Same draws, hot path off: messages in the top quarter of exposure open less than those in the bottom quarter.
        var (low, high) = OpenRatesByExposure(new DefaultHistory(new Dictionary<string, string> { ["hot_path_boost"] = "0" }));
        high.Should().BeLessThan(low * 0.85);

        // Without fatigue the same split shows no such drop.
        var (flatLow, flatHigh) = OpenRatesByExposure(new DefaultHistory(new Dictionary<string, string> { ["hot_path_boost"] = "0", ["fatigue_strength"] = "0" }));
        flatHigh.Should().BeApproximately(flatLow, 0.03);
    }

    [Fact]
    public void Recent_engagement_raises_near_term_propensity()
    {
        var hot = history.Messages.Where(m => m.HotPath > 0 && m.Delivered).ToList();
        hot.Should().HaveCountGreaterThan(2000);
        var off = new DefaultHistory(new Dictionary<string, string> { ["hot_path_boost"] = "0" });
        var sameMessages = off.Messages.Where(m => m.HotPath > 0 && m.Delivered).ToList();
        Rate(hot, m => m.HumanOpen).Should().BeGreaterThan(Rate(sameMessages, m => m.HumanOpen) * 1.3);
        var withoutBoost = off.Messages.ToDictionary(m => (m.Recipient.Index, m.Campaign.Index), m => m.OpenProbability);
        hot.Where(m => m.OpenProbability <= withoutBoost[(m.Recipient.Index, m.Campaign.Index)]).Should().BeEmpty("the boost only raises propensity");
    }

    [Fact]
    public void Esp_latency_follows_each_esps_distribution()
    {
        foreach (var esp in new[] { "sendgrid", "mailgun", "ses" })
        {
            var latencies = history.Messages.Where(m => m.Recipient.EspName == esp && m.Events.Length > 1 && m.Events[1].Type == EmailEventType.Delivered)
                .Select(m => (m.Events[1].Time - m.SentAt) / 1e6).Order().ToList();
            var median = latencies[latencies.Count / 2];
            median.Should().BeApproximately(Esps.All[Esps.IndexOf(esp)].MedianSeconds, Esps.All[Esps.IndexOf(esp)].MedianSeconds * 0.15, esp);
        }
    }

    [Fact]
    public void The_esp_outage_defers_bounces_and_recovers()
    {
        var (start, end, esp) = history.Model.OutageWindow!.Value;
        esp.Should().Be("mailgun");
        // Hard bounces (the address is gone) are decided before the ESP is tried at all.
        var caught = history.Messages.Where(m => m.Recipient.EspName == esp && m.SentAt >= start && m.SentAt < end && !m.Events.Any(e => e.Bounce == 1)).ToList();
        caught.Should().HaveCountGreaterThan(100);
        caught.Should().OnlyContain(m => m.Events[1].Type == EmailEventType.Deferred && m.Events[1].Reason == 3, "every attempt in the outage is deferred");
        var bounced = caught.Count(m => m.Events.Any(e => e.Type == EmailEventType.Bounced));
        (bounced / (double)caught.Count).Should().BeApproximately(0.2, 0.08);
        var recovered = caught.Select(m => m.Events.Where(e => e.Type == EmailEventType.Delivered).Select(e => e.Time).FirstOrDefault()).Where(t => t > 0).ToList();
        recovered.Should().OnlyContain(t => t >= end && t < end + (2 * 60 * Minute), "the queue drains when the circuit closes");
        history.Messages.Where(m => m.Recipient.EspName != esp).SelectMany(m => m.Events).Should().NotContain(e => e.Reason == 3);
    }

    [Fact]
    public void Recipients_are_synthetic_with_stable_ids_and_sha256_of_the_normalised_email()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long r = 0; r < history.Recipients; r++)
        {
            var p = history.Model.Profile(r);
            p.UniversalId.Should().MatchRegex("^sf_[0-9a-f]{16}$");
            Domain.Email.HasReservedDomain(p.Email).Should().BeTrue(p.Email);
            p.EmailHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(p.Email.Trim().ToLowerInvariant()))));
            seen.Add(p.Email).Should().BeTrue("addresses are unique by construction");
            history.Model.Profile(r).Should().Be(p, "a profile is a pure function of the index");
        }

        history.Messages.Select(m => m.Recipient.UniversalId).Distinct().Count().Should().BeLessThanOrEqualTo((int)history.Recipients);
    }

    private static (double Low, double High) OpenRatesByExposure(DefaultHistory h)
    {
        var engaged = h.Messages.Where(m => m.Delivered && m.Persona is not ("dormant" or "churner")).OrderBy(m => m.Exposure).ToList();
        var quarter = engaged.Count / 4;
        engaged[quarter].Exposure.Should().BeLessThan(engaged[^quarter].Exposure, "exposure varies between recipients");
        return (Rate(engaged.Take(quarter).ToList(), m => m.HumanOpen), Rate(engaged.TakeLast(quarter).ToList(), m => m.HumanOpen));
    }

    private static double Rate<T>(IReadOnlyCollection<T> items, Func<T, bool> predicate) => items.Count == 0 ? 0 : items.Count(predicate) / (double)items.Count;

    private List<(long Time, int Tz)> Opens(string persona) => history.Messages.Where(m => m.Persona == persona)
        .SelectMany(m => m.Events.Where(e => e.Type == EmailEventType.Opened && !e.MachineOpen).Select(e => (e.Time, m.Recipient.TzOffsetHours))).ToList();

    private List<int> LocalOpenHours(string persona) => Opens(persona).Select(o => EmailModel.LocalHourAndWeekday(o.Time, o.Tz).Hour).ToList();
}
