using System.Collections.Concurrent;
using System.Globalization;
using Doppel.Domain;
using Doppel.Seeding;

namespace Doppel.Packs.EmailEvents;

/// <summary>Event types in the generic vocabulary of domain-reference §9.1 (Mailgun-style past tense).</summary>
public enum EmailEventType : byte
{
    Sent,
    Deferred,
    Delivered,
    Bounced,
    Opened,
    Clicked,
    Unsubscribed,
    Complained,
}

/// <summary>One event of a message's chain; text fields are indices into <see cref="EmailVocabulary"/>.</summary>
public struct EmailEvent
{
    /// <summary>µs since epoch, UTC.</summary>
    public long Time;
    public EmailEventType Type;

    /// <summary>Index into <see cref="EmailVocabulary.Devices"/> (0 = none).</summary>
    public byte Device;

    /// <summary>Index into <see cref="EmailVocabulary.Reasons"/> (0 = none).</summary>
    public byte Reason;

    /// <summary>Delivery attempt number of a deferral (1-based).</summary>
    public byte Attempt;

    /// <summary>Index into <see cref="EmailVocabulary.Links"/> for a click.</summary>
    public byte Link;

    /// <summary>An open by an image-prefetching proxy (Apple Mail Privacy Protection), not by the person.</summary>
    public bool MachineOpen;

    /// <summary>Index into <see cref="EmailVocabulary.BounceTypes"/> (0 = not a bounce).</summary>
    public byte Bounce;
}

/// <summary>The fixed strings events carry.</summary>
public static class EmailVocabulary
{
    public static readonly string[] Types = ["sent", "deferred", "delivered", "bounced", "opened", "clicked", "unsubscribed", "complained"];

    public static readonly string[] Devices = [string.Empty, "desktop", "mobile", "tablet", "proxy"];

    public static readonly string[] BounceTypes = [string.Empty, "hard", "soft"];

    public static readonly string[] Links = ["read-more", "shop-now", "offer", "article", "product", "preferences"];

    /// <summary>SMTP-style reasons (§9.2: SendGrid <c>response</c>/<c>reason</c>, Mailgun <c>delivery-status</c>).</summary>
    public static readonly string[] Reasons =
    [
        string.Empty,
        "451 4.7.1 Greylisted, please try again later",
        "452 4.2.2 Mailbox full",
        "421 4.3.2 Service unavailable: ESP outage, circuit breaker open",
        "550 5.1.1 The email account that you tried to reach does not exist",
        "552 5.2.2 Mailbox full",
        "554 4.4.7 Message expired: ESP outage",
    ];

    internal const byte Greylisted = 1, MailboxFullTemp = 2, OutageDeferred = 3, UserUnknown = 4, MailboxFull = 5, OutageExpired = 6;
    internal const byte Desktop = 1, Mobile = 2, Tablet = 3, Proxy = 4;
    internal const byte Hard = 1, Soft = 2;
}

/// <summary>A campaign of the schedule: a pure function of its index.</summary>
public sealed record Campaign(int Index, string Id, string Name, string Kind, long SendTime, double Audience, double OpenFactor, double ClickFactor);

/// <summary>Who a recipient is: a pure function of the recipient index.</summary>
public sealed record RecipientProfile(long Index, int Persona, int Esp, int TzOffsetHours, bool AppleMpp, long SubscribedAt, string UniversalId, string Email, string EmailHash)
{
    public string PersonaName => Personas.All[Persona].Name;

    public string EspName => Esps.All[Esp].Name;
}

/// <summary>
/// The e-mail engagement model: campaigns, recipients, and every recipient's message chains, each a
/// pure function of (seed, settings, indices). Nothing is materialised beyond one recipient at a time.
/// </summary>
/// <remarks>
/// <para>
/// A recipient's history is computed in send-time order: campaign c reaches recipient r when r is in
/// c's audience (a hash of (r, c) below the campaign's audience share), subscribed before the send, and
/// not suppressed (no hard bounce, unsubscribe or complaint happened before the send). Each message is an
/// ordered chain: sent → (deferred)* → delivered | bounced → opens → clicks → unsubscribe | complaint.
/// </para>
/// <para>
/// Cross-campaign effects stay O(campaigns in a window) per message because they use only the
/// schedule and per-(r, c) draws: <b>exposure</b> counts the campaigns r received in the previous
/// <see cref="EmailEventsConfig.FatigueWindowDays"/> days; the <b>hot path</b> counts earlier campaigns whose
/// <i>latent</i> open (the same open draw against the propensity without the hot-path boost, which
/// implies a real open) happened before this send. Since the boost only raises propensity, every latent
/// open is a real open of that message.
/// </para>
/// </remarks>
public sealed class EmailModel
{
    private const long Second = 1_000_000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;
    private const int MaxEventsPerMessage = 32;

    private const ulong StreamDelivery = 1, StreamOpen = 2, StreamOpenDelay = 3, StreamEngage = 4, StreamAudience = 5, StreamSpread = 6;

    private static readonly ConcurrentDictionary<EmailEventsConfig, EmailModel> Models = new();

    // Recipient-local UTC offsets: UK/Ireland, central Europe, US east, US west, Australia east.
    private static readonly int[] TzOffsets = [0, 1, -5, -8, 10];
    private static readonly WeightedSampler TzSampler = new([45, 20, 20, 10, 5]);
    private static readonly int[] SendHours = [7, 8, 9, 10, 12, 14, 15, 17, 19];
    private static readonly WeightedSampler SendHourSampler = new([2, 3, 4, 3, 1, 2, 2, 1, 2]);
    private static readonly string[] Kinds = ["newsletter", "promotion", "product_update"];
    private static readonly WeightedSampler KindSampler = new([50, 35, 15]);

    [ThreadStatic]
    private static RecipientTimeline? _cached;

    private readonly Campaign[] _campaigns;
    private readonly int[] _order;
    private readonly WeightedSampler _personas;
    private readonly WeightedSampler _esps;
    private readonly ulong _recipientKey;
    private readonly ulong _uidKey;
    private readonly ulong _messageKey;
    private readonly ulong _eventKey;
    private readonly int _outageEsp;
    private readonly long _outageStart;
    private readonly long _outageEnd;

    private EmailModel(EmailEventsConfig config)
    {
        config.Validate();
        Config = config;
        _personas = new WeightedSampler(Personas.ParseMix(config.PersonaMix));
        _esps = new WeightedSampler(Esps.ParseMix(config.EspMix));
        _recipientKey = SeedTree.Combine(config.Seed, "email-events/recipient");
        _uidKey = SeedTree.Combine(config.Seed, "email-events/universal_id");
        _messageKey = SeedTree.Combine(config.Seed, "email-events/message_id");
        _eventKey = SeedTree.Combine(config.Seed, "email-events/event_id");
        var campaignKey = SeedTree.Combine(config.Seed, "email-events/campaign");
        _campaigns = new Campaign[config.Campaigns];
        for (var c = 0; c < _campaigns.Length; c++)
        {
            _campaigns[c] = MakeCampaign(c, SeedTree.Combine(campaignKey, (ulong)c));
        }

        // The schedule is a handful of values per campaign (a plan constant, not a table): sorted once by send time.
        _order = Enumerable.Range(0, _campaigns.Length).OrderBy(c => _campaigns[c].SendTime).ThenBy(c => c).ToArray();
        _outageEsp = config.Outage ? Esps.IndexOf(config.OutageEsp) : -1;
        if (_outageEsp >= 0)
        {
            var from = config.Start + (long)(config.OutageDay * Day);
            var first = _order.Select(c => _campaigns[c].SendTime).FirstOrDefault(t => t >= from, from + (30 * Minute));
            _outageStart = first - (30 * Minute);
            _outageEnd = _outageStart + (long)(config.OutageHours * Hour);
        }
    }

    public EmailEventsConfig Config { get; }

    /// <summary>End of the window: nothing happens at or after it.</summary>
    public long Horizon => Config.Start + (Config.Days * Day);

    public IReadOnlyList<Campaign> Campaigns => _campaigns;

    /// <summary>The ESP outage window [start, end) in µs, or null without one.</summary>
    public (long Start, long End, string Esp)? OutageWindow => _outageEsp >= 0 ? (_outageStart, _outageEnd, Esps.All[_outageEsp].Name) : null;

    /// <summary>The shared model for these settings (models are immutable; one per distinct configuration).</summary>
    public static EmailModel For(EmailEventsConfig config) => Models.GetOrAdd(config, c => new EmailModel(c));

    /// <summary>
    /// <c>msg_</c> + 16 hex: a keyed bijection of (recipient, campaign), so unique by construction; written into
    /// <paramref name="dest"/> (20 chars) without allocating.
    /// </summary>
    public int WriteMessageId(long recipient, int campaign, Span<char> dest)
    {
        "msg_".CopyTo(dest);
        SeedTree.Finalize((((ulong)recipient * (ulong)_campaigns.Length) + (ulong)campaign) + _messageKey).TryFormat(dest[4..], out _, "x16", CultureInfo.InvariantCulture);
        return 20;
    }

    /// <summary><c>evt_</c> + 16 hex over (recipient, campaign, position in the chain): unique by construction, stable across --count.</summary>
    public int WriteEventId(long recipient, int campaign, int position, Span<char> dest)
    {
        var id = (((((ulong)recipient * (ulong)_campaigns.Length) + (ulong)campaign) * MaxEventsPerMessage) + (ulong)position) + _eventKey;
        "evt_".CopyTo(dest);
        SeedTree.Finalize(id).TryFormat(dest[4..], out _, "x16", CultureInfo.InvariantCulture);
        return 20;
    }

    /// <summary>The recipient's identity and behaviour settings.</summary>
    public RecipientProfile Profile(long r)
    {
        var key = SeedTree.Combine(_recipientKey, (ulong)r);
        var rng = new Rng(key);
        var persona = _personas.Sample(ref rng);
        var esp = _esps.Sample(ref rng);
        var tz = TzOffsets[TzSampler.Sample(ref rng)];
        var mpp = rng.NextDouble() < Config.AppleMppShare;
        var isNew = rng.NextDouble() < Config.NewSubscriberShare;
        var u = rng.NextDouble();
        var subscribed = isNew ? Config.Start + (long)(u * Config.Days * Day) : Config.Start - (long)((1 + (u * 729)) * Day) - (long)(rng.NextDouble() * Day);
        var first = PersonNames.FirstName(ref rng, Sex.Any);
        var last = PersonNames.LastName(ref rng);
        Span<char> buffer = stackalloc char[Email.MaxLength + 24];
        var n = Email.Write(first, last, ref rng, buffer);
        // Unique by construction: ".<number>" before the '@' (the local part's last '.' separates it, and the number is unique).
        var at = buffer[..n].LastIndexOf('@');
        Span<char> suffix = stackalloc char[21];
        suffix[0] = '.';
        (r + 1).TryFormat(suffix[1..], out var digits, default, CultureInfo.InvariantCulture);
        var email = string.Concat(buffer[..at], suffix[..(digits + 1)], buffer[at..n]);
        Span<char> normalized = stackalloc char[email.Length];
        var nn = Email.WriteNormalized(email, normalized);
        Span<char> hash = stackalloc char[Email.Sha256HexLength];
        Email.WriteSha256Hex(normalized[..nn], hash);
        var uid = Hex("sf_", SeedTree.Finalize((ulong)r + _uidKey));
        return new RecipientProfile(r, persona, esp, tz, mpp, subscribed, uid, email, new string(hash));
    }

    /// <summary>The recipient's whole history, freshly computed.</summary>
    public RecipientTimeline Timeline(long r)
    {
        var t = new RecipientTimeline(this);
        Fill(t, r);
        return t;
    }

    /// <summary>
    /// The recipient's history, memoised per thread for the last recipient asked for: the rows of one
    /// recipient (its sends and their events) are generated one after another on one thread. Use the
    /// result before asking for another recipient on the same thread.
    /// </summary>
    public RecipientTimeline CachedTimeline(long r)
    {
        var t = _cached;
        if (t is not null && ReferenceEquals(t.Model, this) && t.Recipient == r)
        {
            return t;
        }

        if (t is null || !ReferenceEquals(t.Model, this))
        {
            t = new RecipientTimeline(this);
            _cached = t;
        }

        Fill(t, r);
        return t;
    }

    private void Fill(RecipientTimeline t, long r)
    {
        var cfg = Config;
        var p = Profile(r);
        var persona = Personas.All[p.Persona];
        t.Reset(r, p);
        var rk = SeedTree.Combine(_recipientKey, (ulong)r);
        var fatigueWindow = (long)(cfg.FatigueWindowDays * Day);
        var hotWindow = (long)(cfg.HotPathDays * Day);
        var suppressedAt = long.MaxValue;
        var horizon = Horizon;
        for (var i = 0; i < _order.Length; i++)
        {
            var c = _order[i];
            var campaign = _campaigns[c];
            var rck = SeedTree.Combine(rk, (ulong)c);
            var eligible = campaign.SendTime >= p.SubscribedAt && Uniform(rck, StreamAudience) < campaign.Audience;
            t.Eligible[i] = eligible;
            t.Latent[i] = false;
            if (!eligible)
            {
                continue;
            }

            // Exposure: campaigns received in the fatigue window, newer ones weigh more (fatigue recovers linearly).
            double exposure = 0;
            for (var j = i - 1; j >= 0 && campaign.SendTime - _campaigns[_order[j]].SendTime < fatigueWindow; j--)
            {
                if (t.Eligible[j])
                {
                    exposure += 1 - ((campaign.SendTime - _campaigns[_order[j]].SendTime) / (double)fatigueWindow);
                }
            }

            var p0 = Math.Min(0.95, persona.Open * campaign.OpenFactor * Decay(persona, p, campaign.SendTime) * Math.Exp(-cfg.FatigueStrength * exposure));
            var tSend = campaign.SendTime + (long)(Uniform(rck, StreamSpread) * cfg.SendSpreadMinutes * Minute);

            // Hot path: latent opens of earlier campaigns that happened before this send.
            var hot = 0;
            for (var j = i - 1; j >= 0 && campaign.SendTime - _campaigns[_order[j]].SendTime < hotWindow; j--)
            {
                if (t.Latent[j] && t.LatentTime[j] < tSend)
                {
                    hot++;
                }
            }

            var (delivered, deliveredAt) = Deliver(rck, p, persona, tSend, null);
            var openDelay = FirstOpenDelay(rck, p, persona, deliveredAt);
            var uOpen = Uniform(rck, StreamOpen);
            t.Latent[i] = delivered && uOpen < p0;
            t.LatentTime[i] = deliveredAt + openDelay;
            if (tSend >= suppressedAt || tSend >= horizon)
            {
                continue;
            }

            var boost = 1 + (cfg.HotPathBoost * Math.Min(hot, cfg.HotPathCap));
            var pOpen = Math.Min(0.95, p0 * boost);
            var k = t.BeginSend(c, tSend, exposure, hot, pOpen);
            t.Add(EmailEventType.Sent, tSend);
            Deliver(rck, p, persona, tSend, t);
            if (delivered)
            {
                Engage(t, rck, p, persona, campaign, deliveredAt, openDelay, uOpen < pOpen, boost, exposure);
            }

            var terminal = t.EndSend(k);
            suppressedAt = Math.Min(suppressedAt, terminal);
        }

        t.Truncate(Math.Min(suppressedAt, horizon - 1));
    }

    /// <summary>Delivery part of a chain; with <paramref name="t"/> null only the outcome is computed (same draws).</summary>
    private (bool Delivered, long At) Deliver(ulong rck, RecipientProfile p, Persona persona, long tSend, RecipientTimeline? t)
    {
        var cfg = Config;
        var rng = new Rng(SeedTree.Combine(rck, StreamDelivery));
        var uHard = rng.NextDouble();
        var uSoft = rng.NextDouble();
        var uGrey = rng.NextDouble();
        var uGiveUp = rng.NextDouble();
        var esp = Esps.All[p.Esp];
        var at = tSend + Latency(ref rng, esp);
        if (uHard < cfg.HardBounceRate * persona.HardBounceFactor)
        {
            t?.Add(EmailEventType.Bounced, at, reason: EmailVocabulary.UserUnknown, bounce: EmailVocabulary.Hard);
            return (false, at);
        }

        if (p.Esp == _outageEsp && tSend >= _outageStart && tSend < _outageEnd)
        {
            // Circuit breaker: every attempt during the outage is deferred (retries back off 5, 10, 20 … minutes);
            // the ESP gives up on some messages, the rest go out when the circuit closes and the queue drains.
            var giveUp = uGiveUp < cfg.OutageBounceRate;
            var maxDeferrals = giveUp ? 1 + rng.NextInt(3) : 8;
            var retry = 5 * Minute;
            var attempt = 0;
            while (at < _outageEnd && attempt < maxDeferrals)
            {
                t?.Add(EmailEventType.Deferred, at, reason: EmailVocabulary.OutageDeferred, attempt: ++attempt);
                at += retry;
                retry *= 2;
            }

            if (giveUp || at < _outageEnd)
            {
                t?.Add(EmailEventType.Bounced, at, reason: EmailVocabulary.OutageExpired, bounce: EmailVocabulary.Soft);
                return (false, at);
            }

            var drained = _outageEnd + (long)(-Math.Log(1 - rng.NextDouble()) * 10 * Minute) + Latency(ref rng, esp);
            at = Math.Min(at, drained);
            t?.Add(EmailEventType.Delivered, at);
            return (true, at);
        }

        if (uSoft < cfg.SoftBounceRate)
        {
            var deferrals = 1 + rng.NextInt(3);
            var retry = 15 * Minute;
            for (var a = 1; a <= deferrals; a++)
            {
                t?.Add(EmailEventType.Deferred, at, reason: EmailVocabulary.MailboxFullTemp, attempt: a);
                at += retry;
                retry *= 2;
            }

            t?.Add(EmailEventType.Bounced, at, reason: EmailVocabulary.MailboxFull, bounce: EmailVocabulary.Soft);
            return (false, at);
        }

        if (uGrey < cfg.GreylistRate)
        {
            t?.Add(EmailEventType.Deferred, at, reason: EmailVocabulary.Greylisted, attempt: 1);
            at += (long)((5 + (rng.NextDouble() * 25)) * Minute) + Latency(ref rng, esp);
        }

        t?.Add(EmailEventType.Delivered, at);
        return (true, at);
    }

    /// <summary>Opens, clicks and an unsubscribe or complaint after delivery at <paramref name="delivered"/>.</summary>
    private void Engage(RecipientTimeline t, ulong rck, RecipientProfile p, Persona persona, Campaign campaign, long delivered, long openDelay, bool opens, double boost, double exposure)
    {
        var rng = new Rng(SeedTree.Combine(rck, StreamEngage));
        if (p.AppleMpp)
        {
            // §9.3: proxies pre-fetch images seconds after delivery; never followed by a click.
            var d = Math.Clamp(LogNormal(ref rng, 8 * Second, 0.8), Second, 10 * Minute);
            t.Add(EmailEventType.Opened, delivered + d, device: EmailVocabulary.Proxy, machine: true);
        }

        if (!opens)
        {
            return;
        }

        Span<long> openTimes = stackalloc long[5];
        Span<byte> devices = stackalloc byte[5];
        var opened = 0;
        openTimes[opened] = delivered + openDelay;
        devices[opened++] = DeviceOf(ref rng, persona);
        while (opened < openTimes.Length && rng.NextDouble() < persona.RepeatOpen)
        {
            var prev = openTimes[opened - 1];
            long next = prev;
            for (var attempt = 0; attempt < 8; attempt++)
            {
                next = prev + Math.Max(Minute, LogNormal(ref rng, 2 * Hour, 1.2));
                if (rng.NextDouble() * persona.MaxWeight < Weight(persona, next, p.TzOffsetHours))
                {
                    break;
                }
            }

            openTimes[opened] = next;
            devices[opened++] = DeviceOf(ref rng, persona);
        }

        for (var i = 0; i < opened; i++)
        {
            t.Add(EmailEventType.Opened, openTimes[i], device: devices[i]);
        }

        var last = openTimes[0];
        var pClick = Math.Min(0.9, persona.ClickGivenOpen * campaign.ClickFactor * Math.Sqrt(boost));
        if (rng.NextDouble() < pClick)
        {
            var clicks = 0;
            do
            {
                var o = Math.Min(clicks, opened - 1);
                var at = Math.Max(last + Second, openTimes[o] + Math.Max(Second, LogNormal(ref rng, 20 * Second, 1.0)));
                t.Add(EmailEventType.Clicked, at, device: devices[o], link: (byte)rng.NextInt(EmailVocabulary.Links.Length));
                last = at;
                clicks++;
            }
            while (clicks < 4 && rng.NextDouble() < persona.RepeatClick);
        }

        // Fatigue also shows as unsubscribes: each unit of exposure adds 25 % to the per-open rate.
        if (rng.NextDouble() < persona.UnsubscribePerOpen * (1 + (0.25 * exposure)))
        {
            t.Add(EmailEventType.Unsubscribed, last + Math.Max(Second, LogNormal(ref rng, 40 * Second, 1.0)));
        }
        else if (rng.NextDouble() < persona.ComplaintPerOpen)
        {
            t.Add(EmailEventType.Complained, openTimes[0] + Math.Max(Second, LogNormal(ref rng, 30 * Second, 1.0)));
        }
    }

    /// <summary>
    /// Delay from delivery to the first human open: a mixture (notification-fast exponential, mean-hours
    /// exponential, log-normal tail; §9.4) accepted by the persona's local hour and weekday weights.
    /// </summary>
    private long FirstOpenDelay(ulong rck, RecipientProfile p, Persona persona, long delivered)
    {
        var rng = new Rng(SeedTree.Combine(rck, StreamOpenDelay));
        long d = Second;
        for (var attempt = 0; attempt < 24; attempt++)
        {
            var u = rng.NextDouble();
            var v = 1 - rng.NextDouble();
            var minutes = u < persona.Immediate ? -Math.Log(v) * 4
                : u < persona.Immediate + (0.55 * (1 - persona.Immediate)) ? -Math.Log(v) * persona.ShortMeanMinutes
                : persona.LongMedianHours * 60 * Math.Exp(1.09 * rng.NextGaussian());
            d = Math.Clamp((long)(minutes * Minute), Second, 14 * Day);
            if (rng.NextDouble() * persona.MaxWeight < Weight(persona, delivered + d, p.TzOffsetHours))
            {
                break;
            }
        }

        return d;
    }

    /// <summary>The persona's weight for a UTC instant in the recipient's local time.</summary>
    internal static double Weight(Persona persona, long utcMicros, int tzHours)
    {
        var (hour, weekday) = LocalHourAndWeekday(utcMicros, tzHours);
        return persona.Hours[hour] * persona.Weekdays[weekday];
    }

    /// <summary>Recipient-local hour (0–23) and weekday (0 = Monday) of a UTC instant.</summary>
    public static (int Hour, int Weekday) LocalHourAndWeekday(long utcMicros, int tzHours)
    {
        var local = (utcMicros / Second) + (tzHours * 3600L);
        var day = Math.DivRem(local, 86_400L, out var rem);
        if (rem < 0)
        {
            rem += 86_400;
            day--;
        }

        // 1970-01-01 was a Thursday (Monday-first index 3).
        return ((int)(rem / 3600), (int)(((day % 7) + 7 + 3) % 7));
    }

    private double Decay(Persona persona, RecipientProfile p, long at)
    {
        if (persona.DecayWeeks <= 0)
        {
            return 1;
        }

        // Interest fades from the start of the window (or the subscription, if later).
        var weeks = Math.Max(0, at - Math.Max(p.SubscribedAt, Config.Start)) / (7.0 * Day);
        return Math.Exp(-Math.Min(weeks, 52) / persona.DecayWeeks);
    }

    private static byte DeviceOf(ref Rng rng, Persona persona)
    {
        var u = rng.NextDouble();
        return u < persona.MobileShare ? EmailVocabulary.Mobile : u < persona.MobileShare + ((1 - persona.MobileShare) * 0.08) ? EmailVocabulary.Tablet : EmailVocabulary.Desktop;
    }

    private static long Latency(ref Rng rng, Esp esp)
    {
        var d = LogNormal(ref rng, (long)(esp.MedianSeconds * Second), esp.Sigma);
        if (rng.NextDouble() < esp.SlowShare)
        {
            d += (long)(-Math.Log(1 - rng.NextDouble()) * esp.SlowMeanMinutes * Minute);
        }

        return Math.Max(Second, d);
    }

    private static long LogNormal(ref Rng rng, long median, double sigma) => (long)(median * Math.Exp(sigma * rng.NextGaussian()));

    private static double Uniform(ulong rck, ulong stream) => new Rng(SeedTree.Combine(rck, stream)).NextDouble();

    private static string Hex(string prefix, ulong value) => prefix + value.ToString("x16", CultureInfo.InvariantCulture);

    private Campaign MakeCampaign(int c, ulong key)
    {
        var rng = new Rng(key);
        var slot = Config.Days / (double)Config.Campaigns;
        var day = Math.Min(Config.Days - 1, (long)Math.Floor((c + (0.8 * rng.NextDouble())) * slot));
        var hour = SendHours[SendHourSampler.Sample(ref rng)];
        var minute = 15 * rng.NextInt(4);
        var time = Config.Start + (day * Day) + (hour * Hour) + (minute * Minute);
        var kind = KindSampler.Sample(ref rng);
        var audience = kind switch { 0 => 1.0, 1 => 0.5 + (0.4 * rng.NextDouble()), _ => 0.6 + (0.4 * rng.NextDouble()) };
        var (open, click) = kind switch { 0 => (1.0, 1.0), 1 => (0.9, 1.3), _ => (1.1, 0.8) };
        var date = DateTimeOffset.FromUnixTimeMilliseconds(time / 1000).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var title = kind switch { 0 => "Newsletter", 1 => "Promotion", _ => "Product update" };
        var id = "cmp_" + (c + 1).ToString("D4", CultureInfo.InvariantCulture);
        return new Campaign(c, id, $"{title} {date}", Kinds[kind], time, audience, open, click);
    }
}

/// <summary>One recipient's messages (sends) and their event chains, in send-time order.</summary>
public sealed class RecipientTimeline
{
    private int[] _sendCampaign = new int[16];
    private long[] _sendAt = new long[16];
    private double[] _exposure = new double[16];
    private int[] _hot = new int[16];
    private double[] _openProbability = new double[16];
    private int[] _eventStart = new int[16];
    private int[] _eventCount = new int[16];
    private EmailEvent[] _events = new EmailEvent[64];
    private int _eventTotal;

    internal RecipientTimeline(EmailModel model)
    {
        Model = model;
        var n = model.Campaigns.Count;
        Eligible = new bool[n];
        Latent = new bool[n];
        LatentTime = new long[n];
    }

    public EmailModel Model { get; }

    public long Recipient { get; private set; } = -1;

    public RecipientProfile Profile { get; private set; } = null!;

    public int SendCount { get; private set; }

    /// <summary>Events of all sends after truncation.</summary>
    public int EventCount { get; private set; }

    internal bool[] Eligible { get; }

    internal bool[] Latent { get; }

    internal long[] LatentTime { get; }

    /// <summary>Campaign index of send <paramref name="k"/> (0-based, in send-time order).</summary>
    public int Campaign(int k) => _sendCampaign[k];

    public long SentAt(int k) => _sendAt[k];

    /// <summary>Weighted number of campaigns received in the fatigue window before send k.</summary>
    public double Exposure(int k) => _exposure[k];

    /// <summary>Recent latent engagements that boosted send k.</summary>
    public int HotPath(int k) => _hot[k];

    /// <summary>The open propensity the model used for send k (after fatigue and hot-path boost).</summary>
    public double OpenProbability(int k) => _openProbability[k];

    /// <summary>The events of send k, in time order (strictly increasing, at least 1 s apart).</summary>
    public ReadOnlySpan<EmailEvent> Events(int k) => _events.AsSpan(_eventStart[k], _eventCount[k]);

    internal void Reset(long r, RecipientProfile profile)
    {
        Recipient = r;
        Profile = profile;
        SendCount = 0;
        EventCount = 0;
        _eventTotal = 0;
    }

    internal int BeginSend(int campaign, long at, double exposure, int hot, double openProbability)
    {
        if (SendCount == _sendCampaign.Length)
        {
            var n = SendCount * 2;
            Array.Resize(ref _sendCampaign, n);
            Array.Resize(ref _sendAt, n);
            Array.Resize(ref _exposure, n);
            Array.Resize(ref _hot, n);
            Array.Resize(ref _openProbability, n);
            Array.Resize(ref _eventStart, n);
            Array.Resize(ref _eventCount, n);
        }

        var k = SendCount++;
        (_sendCampaign[k], _sendAt[k], _exposure[k], _hot[k], _openProbability[k], _eventStart[k]) = (campaign, at, exposure, hot, openProbability, _eventTotal);
        return k;
    }

    internal void Add(EmailEventType type, long time, byte reason = 0, byte bounce = 0, int attempt = 0, byte device = 0, bool machine = false, byte link = 0)
    {
        if (_eventTotal == _events.Length)
        {
            Array.Resize(ref _events, _events.Length * 2);
        }

        _events[_eventTotal++] = new EmailEvent { Time = time, Type = type, Reason = reason, Bounce = bounce, Attempt = (byte)attempt, Device = device, MachineOpen = machine, Link = link };
    }

    /// <summary>Orders send k's chain by time, spaces events at least 1 s apart, and returns its terminal time (suppression) or MaxValue.</summary>
    internal long EndSend(int k)
    {
        var start = _eventStart[k];
        var span = _events.AsSpan(start, _eventTotal - start);
        // Insertion sort: a chain has a handful of events, added in causal order (stable for ties).
        for (var i = 1; i < span.Length; i++)
        {
            var e = span[i];
            var j = i - 1;
            while (j >= 0 && span[j].Time > e.Time)
            {
                span[j + 1] = span[j];
                j--;
            }

            span[j + 1] = e;
        }

        var terminal = long.MaxValue;
        for (var i = 0; i < span.Length; i++)
        {
            if (i > 0 && span[i].Time < span[i - 1].Time + 1_000_000)
            {
                // ≥ 1 s apart keeps the order strict even in stores with whole-second timestamps (ClickHouse DateTime).
                span[i].Time = span[i - 1].Time + 1_000_000;
            }

            if (span[i].Type is EmailEventType.Unsubscribed or EmailEventType.Complained || (span[i].Type == EmailEventType.Bounced && span[i].Bounce == EmailVocabulary.Hard))
            {
                terminal = Math.Min(terminal, span[i].Time);
            }
        }

        _eventCount[k] = span.Length;
        return terminal;
    }

    /// <summary>Drops every event after <paramref name="last"/> (the first suppression, or the end of the window).</summary>
    internal void Truncate(long last)
    {
        EventCount = 0;
        for (var k = 0; k < SendCount; k++)
        {
            var span = Events(k);
            var n = span.Length;
            while (n > 0 && span[n - 1].Time > last)
            {
                n--;
            }

            _eventCount[k] = n;
            EventCount += n;
        }
    }
}
