using Doppel.Cli;
using Doppel.Packs.EmailEvents;

namespace Doppel.Packs.EmailEvents.Tests;

/// <summary>One message of a recipient's history with what the model decided for it.</summary>
internal sealed record Message(RecipientProfile Recipient, Campaign Campaign, long SentAt, double Exposure, int HotPath, double OpenProbability, EmailEvent[] Events)
{
    public string Persona => Recipient.PersonaName;

    public bool Delivered => Events.Any(e => e.Type == EmailEventType.Delivered);

    public bool HumanOpen => Events.Any(e => e.Type == EmailEventType.Opened && !e.MachineOpen);

    public bool Clicked => Events.Any(e => e.Type == EmailEventType.Clicked);
}

/// <summary>The pack's default history (recipe defaults, seed 42), built once from the model: every message of every recipient.</summary>
public sealed class DefaultHistory
{
    public DefaultHistory()
        : this(new Dictionary<string, string>())
    {
    }

    internal DefaultHistory(IReadOnlyDictionary<string, string> set)
    {
        var recipe = DoppelRecipe.FromPack("email-events");
        foreach (var (k, v) in set)
        {
            recipe = recipe.WithParam(k, v);
        }

        var plan = recipe.Plan();
        Model = EmailEventsCommand.ModelOf(plan);
        Recipients = plan.Table("recipients").RootRows!.Value;
        var messages = new List<Message>();
        for (long r = 0; r < Recipients; r++)
        {
            var t = Model.Timeline(r);
            for (var k = 0; k < t.SendCount; k++)
            {
                messages.Add(new Message(t.Profile, Model.Campaigns[t.Campaign(k)], t.SentAt(k), t.Exposure(k), t.HotPath(k), t.OpenProbability(k), t.Events(k).ToArray()));
            }
        }

        Messages = messages;
    }

    public EmailModel Model { get; }

    public long Recipients { get; }

    internal IReadOnlyList<Message> Messages { get; }

    public long EventCount => Messages.Sum(m => (long)m.Events.Length);
}
