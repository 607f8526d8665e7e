using Doppel.Data;
using Doppel.Execution;
using Doppel.Generators;
using Doppel.Planning;

namespace Doppel.Packs.EmailEvents;

/// <summary>
/// Generators of the <c>email-events</c> pack. Each exposes one field of <see cref="EmailModel"/> for the
/// row in hand: <c>email_campaign</c> (root table, row = campaign index), <c>email_recipient</c> (root
/// table, row = recipient index), <c>email_send</c> (child of recipients, ordinal = the recipient's k-th
/// message) and <c>email_event</c> (child of sends, ordinal = position in the message's chain).
/// </summary>
/// <remarks>
/// The model is configured by the recipe's params (read with <see cref="GeneratorContext.Param"/>), so a
/// column only names its field. Every value is a pure function of (seed, params, indices); a recipient's
/// history is computed once per thread and shared by its send and event rows.
/// </remarks>
public static class EmailEventsPackGenerators
{
    public static readonly IReadOnlyList<string> CampaignFields = ["campaign_id", "name", "kind", "send_time", "audience_share"];

    public static readonly IReadOnlyList<string> RecipientFields = ["universal_id", "email", "recipient_email_hash", "persona", "esp", "tz_offset_hours", "apple_mpp", "subscribed_at", "send_count", "event_count", "status"];

    public static readonly IReadOnlyList<string> SendFields = ["message_id", "campaign_id", "universal_id", "persona", "esp", "sent_at", "exposure", "hot_path", "open_probability", "outcome", "event_count"];

    public static readonly IReadOnlyList<string> EventFields = ["event_id", "event_type", "timestamp", "universal_id", "recipient_email_hash", "campaign_id", "esp", "persona", "message_id", "device", "url", "machine_open", "reason", "bounce_type", "attempt", "latency_seconds"];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TablePlan, string> Reported = [];

    public static void Register(GeneratorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add(Factory("email_campaign", "A field of the campaign schedule (row = campaign index).", CampaignFields, 0, Campaign));
        registry.Add(Factory("email_recipient", "A field of a synthetic recipient: identity, persona, ESP, history size (row = recipient index).", RecipientFields, 0, Recipient));
        registry.Add(Factory("email_send", "A field of a recipient's k-th message (child of the recipients table).", SendFields, 1, Send));
        registry.Add(Factory("email_event", "A field of the j-th event of a message's chain (child of the sends table).", EventFields, 2, Event));
    }

    /// <summary>The model for a plan's params (throws <see cref="FormatException"/> naming a bad param).</summary>
    public static EmailModel ModelFor(Func<string, string?> param, ulong seed) => EmailModel.For(EmailEventsConfig.FromParams(param, seed));

    private static GeneratorFactory Factory(string name, string summary, IReadOnlyList<string> fields, int depth, Func<EmailModel, string, Generator> make) =>
        new(name, summary, [new("field", "one of: " + string.Join(", ", fields))], ctx =>
        {
            var field = ctx.RequireString("field");
            if (!fields.Contains(field))
            {
                ctx.Error("field", $"'{field}' is not a field of {name}", Diagnostics.Suggest.DidYouMean(field, fields, "fields: " + string.Join(", ", fields)));
                return null;
            }

            if (ctx.Column.Table.Depth != depth)
            {
                ctx.Error("field", $"{name} belongs in a {(depth == 0 ? "root table" : depth == 1 ? "child of the recipients table" : "child of the sends table")}, but table '{ctx.TableName}' is at depth {ctx.Column.Table.Depth}");
                return null;
            }

            EmailModel model;
            try
            {
                model = ModelFor(ctx.Param, ctx.PlanSeed);
            }
            catch (FormatException e)
            {
                // One message per table family, not per column; the other columns get a stand-in of the right type
                // (never run: the plan fails) so no follow-on errors (e.g. a per_parent count of unknown type) appear.
                if (Reported.TryAdd(ctx.Column.Table.Root, e.Message))
                {
                    ctx.Error("field", e.Message, "see docs/packs/email-events.md for the parameters");
                }

                model = EmailModel.For(new EmailEventsConfig { Seed = ctx.PlanSeed });
            }

            return make(model, field);
        });

    private static Generator Campaign(EmailModel m, string field) => field switch
    {
        "campaign_id" => Text((f, _) => m.Campaigns[(int)f.Row].Id),
        "name" => Text((f, _) => m.Campaigns[(int)f.Row].Name),
        "kind" => Text((f, _) => m.Campaigns[(int)f.Row].Kind),
        "send_time" => new FnGenerator(DataType.Timestamp, (f, _) => Value.FromTimestamp(m.Campaigns[(int)f.Row].SendTime)),
        _ => new FnGenerator(DataType.Float, (f, _) => Value.FromFloat(Math.Round(m.Campaigns[(int)f.Row].Audience, 4))),
    };

    private static Generator Recipient(EmailModel m, string field)
    {
        static RecipientTimeline T(EmailModel m, EvalFrame f) => m.CachedTimeline(f.Row);
        return field switch
        {
            "universal_id" => Text((f, _) => T(m, f).Profile.UniversalId, Contract("^sf_[0-9a-f]{16}$")),
            "email" => Text((f, _) => T(m, f).Profile.Email, Contract("^[a-z0-9._%+-]+@([a-z0-9-]+\\.)*example\\.(com|org|net)$")),
            "recipient_email_hash" => Text((f, _) => T(m, f).Profile.EmailHash, Contract("^[0-9a-f]{64}$")),
            "persona" => Text((f, _) => T(m, f).Profile.PersonaName),
            "esp" => Text((f, _) => T(m, f).Profile.EspName),
            "tz_offset_hours" => new FnGenerator(DataType.Int, (f, _) => Value.FromInt(T(m, f).Profile.TzOffsetHours)),
            "apple_mpp" => new FnGenerator(DataType.Bool, (f, _) => Value.FromBool(T(m, f).Profile.AppleMpp)),
            "subscribed_at" => new FnGenerator(DataType.Timestamp, (f, _) => Value.FromTimestamp(T(m, f).Profile.SubscribedAt)),
            "send_count" => new FnGenerator(DataType.Int, (f, _) => Value.FromInt(T(m, f).SendCount)),
            "event_count" => new FnGenerator(DataType.Int, (f, _) => Value.FromInt(T(m, f).EventCount)),
            _ => Text((f, _) => Status(T(m, f))),
        };
    }

    private static Generator Send(EmailModel m, string field)
    {
        static RecipientTimeline T(EmailModel m, EvalFrame f) => m.CachedTimeline(f.Parent!.Row);
        static int K(EvalFrame f) => (int)f.Ordinal;
        return field switch
        {
            "message_id" => new FnGenerator(DataType.String, (f, _) => MessageId(f, m, f.Parent!.Row, T(m, f).Campaign(K(f)))),
            "campaign_id" => Text((f, _) => m.Campaigns[T(m, f).Campaign(K(f))].Id),
            "universal_id" => Text((f, _) => T(m, f).Profile.UniversalId),
            "persona" => Text((f, _) => T(m, f).Profile.PersonaName),
            "esp" => Text((f, _) => T(m, f).Profile.EspName),
            "sent_at" => new FnGenerator(DataType.Timestamp, (f, _) => Value.FromTimestamp(T(m, f).SentAt(K(f)))),
            "exposure" => new FnGenerator(DataType.Float, (f, _) => Value.FromFloat(Math.Round(T(m, f).Exposure(K(f)), 4))),
            "hot_path" => new FnGenerator(DataType.Int, (f, _) => Value.FromInt(T(m, f).HotPath(K(f)))),
            "open_probability" => new FnGenerator(DataType.Float, (f, _) => Value.FromFloat(Math.Round(T(m, f).OpenProbability(K(f)), 4))),
            "outcome" => Text((f, _) => Outcome(T(m, f).Events(K(f)))),
            _ => new FnGenerator(DataType.Int, (f, _) => Value.FromInt(T(m, f).Events(K(f)).Length)),
        };
    }

    private static Generator Event(EmailModel m, string field)
    {
        static RecipientTimeline T(EmailModel m, EvalFrame f) => m.CachedTimeline(f.Parent!.Parent!.Row);
        static EmailEvent E(EmailModel m, EvalFrame f) => T(m, f).Events((int)f.Parent!.Ordinal)[(int)f.Ordinal];
        return field switch
        {
            "event_id" => new FnGenerator(DataType.String, (f, _) =>
            {
                var t = T(m, f);
                var dest = f.Arena.Rent(20);
                var n = m.WriteEventId(t.Recipient, t.Campaign((int)f.Parent!.Ordinal), (int)f.Ordinal, dest);
                return Value.FromText(f.Arena.Commit(n));
            }, Contract("^evt_[0-9a-f]{16}$")),
            "event_type" => Text((f, _) => EmailVocabulary.Types[(int)E(m, f).Type], [new ContractRule(string.Empty, string.Empty, ContractKind.Values, EmailVocabulary.Types, "email_event")]),
            "timestamp" => new FnGenerator(DataType.Timestamp, (f, _) => Value.FromTimestamp(E(m, f).Time)),
            "universal_id" => Text((f, _) => T(m, f).Profile.UniversalId, Contract("^sf_[0-9a-f]{16}$")),
            "recipient_email_hash" => Text((f, _) => T(m, f).Profile.EmailHash, Contract("^[0-9a-f]{64}$")),
            "campaign_id" => Text((f, _) => m.Campaigns[T(m, f).Campaign((int)f.Parent!.Ordinal)].Id),
            "esp" => Text((f, _) => T(m, f).Profile.EspName),
            "persona" => Text((f, _) => T(m, f).Profile.PersonaName),
            "message_id" => new FnGenerator(DataType.String, (f, _) => MessageId(f, m, T(m, f).Recipient, T(m, f).Campaign((int)f.Parent!.Ordinal))),
            "device" => Text((f, _) => EmailVocabulary.Devices[E(m, f).Device]),
            "url" => new FnGenerator(DataType.String, (f, _) =>
            {
                var t = T(m, f);
                var e = E(m, f);
                var id = m.Campaigns[t.Campaign((int)f.Parent!.Ordinal)].Id;
                var link = EmailVocabulary.Links[e.Link];
                const string Prefix = "https://example.com/c/";
                var dest = f.Arena.Rent(Prefix.Length + id.Length + 1 + link.Length);
                Prefix.CopyTo(dest);
                id.CopyTo(dest[Prefix.Length..]);
                dest[Prefix.Length + id.Length] = '/';
                link.CopyTo(dest[(Prefix.Length + id.Length + 1)..]);
                return Value.FromText(f.Arena.Commit(dest.Length));
            }),
            "machine_open" => new FnGenerator(DataType.Bool, (f, _) => Value.FromBool(E(m, f).MachineOpen)),
            "reason" => Text((f, _) => EmailVocabulary.Reasons[E(m, f).Reason]),
            "bounce_type" => Text((f, _) => EmailVocabulary.BounceTypes[E(m, f).Bounce]),
            "attempt" => new FnGenerator(DataType.Int, (f, _) => Value.FromInt(E(m, f).Attempt)),
            _ => new FnGenerator(DataType.Float, (f, _) =>
            {
                var t = T(m, f);
                var k = (int)f.Parent!.Ordinal;
                return Value.FromFloat((t.Events(k)[(int)f.Ordinal].Time - t.SentAt(k)) / 1e6);
            }),
        };
    }

    /// <summary>How a message ended: delivered, hard_bounce, soft_bounce, or in_flight (cut by the end of the window).</summary>
    public static string Outcome(ReadOnlySpan<EmailEvent> events)
    {
        foreach (var e in events)
        {
            if (e.Type == EmailEventType.Delivered)
            {
                return "delivered";
            }

            if (e.Type == EmailEventType.Bounced)
            {
                return e.Bounce == EmailVocabulary.Hard ? "hard_bounce" : "soft_bounce";
            }
        }

        return "in_flight";
    }

    /// <summary>Where a recipient stands at the end of the window: active, unsubscribed, complained or bounced.</summary>
    public static string Status(RecipientTimeline t)
    {
        ArgumentNullException.ThrowIfNull(t);
        for (var k = 0; k < t.SendCount; k++)
        {
            foreach (var e in t.Events(k))
            {
                switch (e.Type)
                {
                    case EmailEventType.Unsubscribed:
                        return "unsubscribed";
                    case EmailEventType.Complained:
                        return "complained";
                    case EmailEventType.Bounced when e.Bounce == EmailVocabulary.Hard:
                        return "bounced";
                }
            }
        }

        return "active";
    }

    private static FnGenerator Text(Func<EvalFrame, FnGenerator, string> value, IReadOnlyList<ContractRule>? contracts = null) =>
        new(DataType.String, (f, g) => Value.FromText(value(f, g)), contracts);

    /// <summary>A message id in the row's text arena (no string per row).</summary>
    private static Value MessageId(EvalFrame f, EmailModel m, long recipient, int campaign)
    {
        var dest = f.Arena.Rent(20);
        return Value.FromText(f.Arena.Commit(m.WriteMessageId(recipient, campaign, dest)));
    }

    private static ContractRule[] Contract(string pattern) => [new ContractRule(string.Empty, string.Empty, ContractKind.Pattern, [pattern], "email_events")];
}
