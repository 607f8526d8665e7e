using System.Globalization;
using System.Text;
using Doppel.Data;
using Doppel.Formats;
using Doppel.Output;
using Doppel.Packs.EmailEvents;
using Doppel.Sinks.Http;

namespace Doppel.Cli;

/// <summary>
/// <c>doppel generate email-events</c>: the seed's synthetic-data script. <c>--count N</c> sends the first N
/// events of the history (the full history without it), <c>--dry-run</c> shows what would be sent,
/// <c>--summary</c> counts events by type, persona, campaign and day without generating rows, and
/// <c>--sink http://…</c> / <c>--sink clickhouse://…</c> / <c>--out -</c> deliver the <c>email_events</c> table
/// to the Connector API, ClickHouse or stdout (JSON Lines for <c>kcat -P</c>). Also hosts <c>doppel replay</c>.
/// </summary>
internal sealed class EmailEventsCommand : IPackCommand
{
    /// <summary>The table a sink or stdout receives.</summary>
    internal const string EventsTable = "email_events";

    private static readonly HashSet<string> ExtraValued = ["--rate", "--events-per-request", "--dead-letter"];

    public async Task<int> RunAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        var r = Generate.Prepare(["email-events", .. argv], env, extraValued: ExtraValued, adjust: CheckParams, stdout: stdout);
        var model = ModelOf(r.Plan);
        var count = long.Parse(r.Plan.Params.GetValueOrDefault("count") ?? "0", CultureInfo.InvariantCulture);
        var toStdout = r.Options.OutputDirectory == "-";
        var sinkUri = r.Args.Get("--sink");
        if (toStdout && sinkUri is not null)
        {
            throw new DoppelException("--out - writes the events to stdout; it cannot be combined with --sink (run twice, or pipe stdout to the destination)", ExitCodes.UsageError);
        }

        var recipients = r.Plan.Table("recipients").RootRows ?? 0;
        var (neededRecipients, events) = count > 0 ? RecipientsFor(model, count, recipients, cancel) : (recipients, -1L);
        if (count > 0 && neededRecipients != recipients)
        {
            // Only the recipients whose histories hold the first N events are generated; their values are those of the full run.
            var config = r.Args.Get("--config") is { } cfg ? ConfigFile.Load(cfg) : null;
            r = r with { Plan = r.Recipe.WithRows("recipients", neededRecipients).Plan(env, config) };
        }

        if (r.Summary)
        {
            EventSummary.Print(model, neededRecipients, count > 0 ? count : long.MaxValue, stdout, cancel);
            return ExitCodes.Success;
        }

        var options = r.Options with { RowLimits = count > 0 ? new Dictionary<string, long>(StringComparer.Ordinal) { [EventsTable] = count } : null };
        await using var sink = toStdout ? new JsonLinesStreamSink(stdout, r.Args.Has("--format") ? r.Options.Format : new JsonLinesFormat(), EventsTable)
            : sinkUri is not null ? CreateSink(sinkUri, r, env) : null;
        if (sink is not null)
        {
            // A sink (or stdout) receives the events table only; files are written too when --out names a directory.
            options = options with { Sink = sink, WriteFiles = !toStdout && r.Args.Has("--out"), Tables = new HashSet<string>(StringComparer.Ordinal) { EventsTable } };
        }

        r = r with { Options = options, Tty = r.Tty && !toStdout };
        var info = toStdout ? stderr : stdout;
        if (r.DryRun)
        {
            PrintDryRun(r, model, neededRecipients, count, info);
            return ExitCodes.Success;
        }

        try
        {
            var result = Generate.Execute(r, info, stderr, cancel);
            if (options.WriteFiles)
            {
                Generate.Report(r, result, info);
            }
            else if (!r.Quiet)
            {
                var n = result.Tables.FirstOrDefault(t => t.Table == EventsTable)?.Rows ?? 0;
                info.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {n:N0} events in {result.Elapsed.TotalSeconds:0.00} s ({n / Math.Max(1e-9, result.Elapsed.TotalSeconds):N0} events/s) → {sink!.Describe()}"));
            }
        }
        finally
        {
            // The sink's summary comes first, also when delivery failed (dead letters, count mismatch).
            PrintSinkSummary(sink, info);
        }

        return ExitCodes.Success;
    }

    /// <summary><c>doppel replay DEAD_LETTER.jsonl --sink http://… [--rate N] [--events-per-request N]</c>: re-sends dead-lettered events.</summary>
    public static async Task<int> ReplayAsync(string[] argv, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?> env, CancellationToken cancel)
    {
        _ = env;
        var a = Args.Parse(argv, new HashSet<string> { "--quiet" }, new HashSet<string> { "--sink", "--rate", "--events-per-request" });
        if (a.Positionals.Count != 1 || a.Get("--sink") is not { } url)
        {
            throw new DoppelException("usage: doppel replay DEAD_LETTER.jsonl --sink http://host/api/… [--rate N] [--events-per-request N]", ExitCodes.UsageError);
        }

        var options = HttpOptions(HttpSinkOptions.FromUri(url), a);
        var summary = await HttpReplayer.ReplayAsync(a.Positionals[0], options, cancel).ConfigureAwait(false);
        await stdout.WriteLineAsync("replay: " + summary).ConfigureAwait(false);
        if (summary.Failed > 0)
        {
            await stderr.WriteLineAsync($"error: {summary.Failed} events still could not be delivered; they remain in {a.Positionals[0]} (run the replay again once the API is back)").ConfigureAwait(false);
            return ExitCodes.RuntimeError;
        }

        return ExitCodes.Success;
    }

    /// <summary>Checks the model's params as given on the command line before planning, so a bad one is one line (not one per column).</summary>
    private static DoppelRecipe CheckParams(DoppelRecipe recipe, Args a)
    {
        _ = a;
        var defaults = recipe.Document.Params.Where(p => p.Default is not null).ToDictionary(p => p.Name, p => p.Default!.Text, StringComparer.Ordinal);
        try
        {
            _ = EmailEventsConfig.FromParams(k => recipe.Params.GetValueOrDefault(k) ?? defaults.GetValueOrDefault(k), 0);
        }
        catch (FormatException e)
        {
            throw new DoppelException(e.Message, ExitCodes.UsageError);
        }

        return recipe;
    }

    /// <summary>The model a plan's params describe.</summary>
    internal static EmailModel ModelOf(Planning.GenerationPlan plan)
    {
        try
        {
            return EmailEventsPackGenerators.ModelFor(k => plan.Params.GetValueOrDefault(k), plan.Seed);
        }
        catch (FormatException e)
        {
            throw new DoppelException(e.Message, ExitCodes.UsageError);
        }
    }

    /// <summary>How many recipients (from the first) hold the first <paramref name="count"/> events, and how many events they hold.</summary>
    internal static (long Recipients, long Events) RecipientsFor(EmailModel model, long count, long recipients, CancellationToken cancel)
    {
        long events = 0;
        for (long r = 0; r < recipients; r++)
        {
            cancel.ThrowIfCancellationRequested();
            events += model.CachedTimeline(r).EventCount;
            if (events >= count)
            {
                return (r + 1, events);
            }
        }

        return (recipients, events);
    }

    private static IRowSink CreateSink(string uri, Generate.Request r, IReadOnlyDictionary<string, string?> env)
    {
        if (uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var options = HttpOptions(HttpSinkOptions.FromUri(uri), r.Args) with
            {
                DeadLetterPath = r.Args.Get("--dead-letter") ?? Path.Combine(r.Options.OutputDirectory, HttpSinkOptions.DefaultDeadLetterFileName),
                Table = EventsTable,
            };
            return new HttpRowSink(options);
        }

        return RowSinks.Create(uri, env, r.Plan, r.Options.OutputDirectory);
    }

    private static HttpSinkOptions HttpOptions(HttpSinkOptions options, Args a)
    {
        if (a.Get("--rate") is { } rate)
        {
            options = options with
            {
                RatePerSecond = double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
                    ? v
                    : throw new DoppelException($"--rate '{rate}' must be a positive number of requests per second (default 100)", ExitCodes.UsageError),
            };
        }

        if (a.Get("--events-per-request") is { } per)
        {
            options = options with
            {
                BatchSize = int.TryParse(per, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
                    ? n
                    : throw new DoppelException($"--events-per-request '{per}' must be a whole number ≥ 1 (default 1: one JSON object per request)", ExitCodes.UsageError),
            };
        }

        options.Validate();
        return options;
    }

    private static void PrintSinkSummary(IRowSink? sink, TextWriter o)
    {
        switch (sink)
        {
            case HttpRowSink { Summary: { } http }:
                o.WriteLine("http: " + http);
                break;
            case Sinks.ClickHouse.ClickHouseRowSink { Summary: { } ch }:
                o.WriteLine("clickhouse: " + ch);
                break;
        }
    }

    private static void PrintDryRun(Generate.Request r, EmailModel model, long recipients, long count, TextWriter o)
    {
        DryRun.Print(r.Plan, r.Options, o);
        long total = 0;
        for (long i = 0; i < recipients; i++)
        {
            total += model.CachedTimeline(i).EventCount;
        }

        var events = count > 0 ? Math.Min(count, total) : total;
        var target = r.Options.Sink?.Describe() ?? (r.Options.OutputDirectory == "-" ? "stdout" : Path.GetFullPath(r.Options.OutputDirectory));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"would generate {events:N0} events for {recipients:N0} recipients and {model.Campaigns.Count} campaigns → {target}; the first ones:"));
        using var buffer = new MemoryStream();
        var table = r.Plan.Table(EventsTable);
        using (var writer = new JsonLinesFormat().Open(buffer, table.OutputSchema, FilePart.Whole))
        {
            foreach (var batch in r.Recipe.WithRows("recipients", Math.Min(recipients, 3)).Batches(EventsTable, Math.Min(5, events)))
            {
                writer.Write(batch);
            }

            writer.Complete();
        }

        o.Write(Encoding.UTF8.GetString(buffer.ToArray()));
        o.WriteLine("dry run: nothing was sent");
    }
}

/// <summary><c>--summary</c>: events by type, persona, campaign and day, from a counting pass over the model (no rows are built or written).</summary>
internal static class EventSummary
{
    public static void Print(EmailModel model, long recipients, long limit, TextWriter o, CancellationToken cancel)
    {
        var types = new long[EmailVocabulary.Types.Length];
        var personas = new long[Personas.All.Count];
        var campaigns = new long[model.Campaigns.Count];
        var days = new SortedDictionary<long, long>();
        long events = 0, sends = 0, used = 0;
        for (long r = 0; r < recipients && events < limit; r++)
        {
            cancel.ThrowIfCancellationRequested();
            var t = model.CachedTimeline(r);
            used++;
            for (var k = 0; k < t.SendCount && events < limit; k++)
            {
                sends++;
                foreach (var e in t.Events(k))
                {
                    if (events == limit)
                    {
                        break;
                    }

                    events++;
                    types[(int)e.Type]++;
                    personas[t.Profile.Persona]++;
                    campaigns[t.Campaign(k)]++;
                    var day = e.Time / 86_400_000_000L;
                    days[day] = days.GetValueOrDefault(day) + 1;
                }
            }
        }

        var c = CultureInfo.InvariantCulture;
        var start = DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)(model.Config.Start / 86_400_000_000L));
        o.WriteLine(string.Create(c, $"email-events summary (counting pass; nothing generated or written): {events:N0} events, {sends:N0} messages, {used:N0} recipients, {model.Campaigns.Count} campaigns, {start:yyyy-MM-dd} + {model.Config.Days} days"));
        if (model.OutageWindow is { } w)
        {
            o.WriteLine($"ESP outage: {w.Esp} down {Stamp(w.Start)} – {Stamp(w.End)}");
        }

        Section(o, "by event type", EmailVocabulary.Types.Select((n, i) => (n, types[i])), events);
        Section(o, "by persona", Personas.All.Select((p, i) => (p.Name, personas[i])), events);
        Section(o, "by campaign", model.Campaigns.Select((m, i) => ($"{m.Id}  {Stamp(m.SendTime)}  {m.Kind,-14}", campaigns[i])).Where(x => x.Item2 > 0), events);
        Section(o, "by day (UTC)", days.Select(d => (DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)d.Key).ToString("yyyy-MM-dd ddd", c), d.Value)), events);
    }

    private static string Stamp(long micros) => DateTimeOffset.FromUnixTimeMilliseconds(micros / 1000).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void Section(TextWriter o, string title, IEnumerable<(string Name, long Count)> rows, long total)
    {
        o.WriteLine();
        o.WriteLine(title);
        foreach (var (name, n) in rows)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-44} {n,10:N0}  {(total > 0 ? 100.0 * n / total : 0),6:0.00} %"));
        }
    }
}

/// <summary>Writes one table through a format to a stream (stdout): <c>--out -</c>, for piping to <c>kcat -P</c>.</summary>
internal sealed class JsonLinesStreamSink : IRowSink
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly ITableFormat _format;
    private readonly string _table;
    private ITableFormatWriter? _writer;

    public JsonLinesStreamSink(TextWriter stdout, ITableFormat format, string table)
    {
        // The process's real stdout gets raw bytes; an injected writer (tests, embedding) gets decoded text.
        (_stream, _ownsStream) = ReferenceEquals(stdout, Console.Out) ? (Console.OpenStandardOutput(), false) : (new TextWriterStream(stdout), true);
        _format = format;
        _table = table;
    }

    public string Describe() => $"stdout ({_format.Name}, table {_table})";

    public ValueTask OpenAsync(IReadOnlyList<TableSchema> tables, CancellationToken cancellationToken)
    {
        var schema = tables.FirstOrDefault(t => t.Name == _table) ?? throw new DoppelException($"table '{_table}' is not in the plan", ExitCodes.UsageError);
        _writer = _format.Open(_stream, schema, FilePart.Whole);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(RowBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Table == _table)
        {
            _writer!.Write(batch);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        _writer?.Complete();
        _stream.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask AbortAsync(CancellationToken cancellationToken)
    {
        // What was written to a pipe cannot be recalled; flush so the consumer sees whole lines.
        _stream.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _writer?.Dispose();
        if (_ownsStream)
        {
            _stream.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A write-only stream that decodes UTF-8 into a <see cref="TextWriter"/> (a decoder keeps characters split across writes whole).</summary>
    private sealed class TextWriterStream(TextWriter writer) : Stream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();
        private char[] _chars = new char[4096];

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var max = _decoder.GetCharCount(buffer, flush: false);
            if (max > _chars.Length)
            {
                _chars = new char[Math.Max(max, _chars.Length * 2)];
            }

            var n = _decoder.GetChars(buffer, _chars, flush: false);
            writer.Write(_chars, 0, n);
        }

        public override void Flush() => writer.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
