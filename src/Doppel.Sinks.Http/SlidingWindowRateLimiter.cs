using System.Diagnostics;

namespace Doppel.Sinks.Http;

/// <summary>
/// Hands out request start times so that no one-second window (sliding, not per calendar second)
/// ever holds more than <see cref="WindowLimit"/> starts, and starts are spread evenly at
/// 1/rate apart so the average stays close to the rate.
/// </summary>
/// <remarks>
/// <para>
/// Callers are served one at a time (a gate). Each start has a due time on an even schedule
/// (<c>due_i = due_{i-1} + interval</c>, interval = max(1/rate, (1 s + guard)/limit)); the caller
/// sleeps until it and records the instant it actually returns. The window rule is checked against
/// those <em>recorded</em> instants after every sleep: start <c>i</c> is never earlier than start
/// <c>i − limit</c> + 1 s + guard, so it holds exactly whatever the timer precision. The schedule,
/// not the actual starts, carries forward, so a timer that fires late (a busy machine) is caught up
/// by the next starts instead of lowering the average rate.
/// </para>
/// <para>
/// Catching up is bounded: consecutive starts are never closer than half an interval (a stall is made
/// up at twice the rate, not by a clump of simultaneous requests), at most one second of schedule is
/// made up, and always within the window rule; after a longer stall (a slow API holding every
/// concurrency slot) the schedule restarts from "now" instead of bursting further. The limit is
/// <c>ceil(rate)</c> starts per window (a window cannot hold a fraction of a request). Wall time never
/// reaches generated data: only the monotonic <see cref="Stopwatch"/> clock is used.
/// </para>
/// </remarks>
public sealed class SlidingWindowRateLimiter : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly long _interval;
    private readonly long _window;
    private readonly long _guard;
    private readonly long _maxLag;
    private readonly long[] _ring;
    private readonly Queue<long> _recent = new();
    private long _count;
    private long _lastDue;
    private long _pausedUntil;
    private long _first;
    private long _last;
    private int _maxInWindow;

    /// <summary>Creates a limiter for <paramref name="ratePerSecond"/> starts per second.</summary>
    /// <param name="ratePerSecond">Starts per second; the window limit is <c>ceil(rate)</c>.</param>
    /// <param name="guard">Extra spacing added to the one-second window rule (absorbs network jitter).</param>
    public SlidingWindowRateLimiter(double ratePerSecond, TimeSpan guard)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        RatePerSecond = ratePerSecond;
        if (ratePerSecond > MaxRate)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, $"at most {MaxRate} per second");
        }

        WindowLimit = (int)Math.Max(1, Math.Ceiling(ratePerSecond));
        _window = Stopwatch.Frequency;
        _guard = (long)(guard.TotalSeconds * Stopwatch.Frequency);

        // Spacing so that the schedule alone keeps WindowLimit starts over (1 s + guard) apart; the
        // window rule below then only binds when a late start is followed by a punctual one.
        _interval = Math.Max((long)Math.Ceiling(Stopwatch.Frequency / ratePerSecond), (long)Math.Ceiling((_window + _guard) / (double)WindowLimit));
        _maxLag = Math.Max(_interval, _window);
        _ring = new long[WindowLimit];
    }

    /// <summary>The highest rate supported (the ring of recent starts holds one entry per allowed start).</summary>
    public const double MaxRate = 1_000_000;

    public double RatePerSecond { get; }

    /// <summary>The most starts any one-second window may hold.</summary>
    public int WindowLimit { get; }

    /// <summary>Starts handed out so far.</summary>
    public long Starts => Interlocked.Read(ref _count);

    /// <summary>The largest number of starts seen in any closed one-second window, measured on the recorded starts.</summary>
    public int MaxInAnyWindow => Volatile.Read(ref _maxInWindow);

    /// <summary>Starts per second between the first and the last start (0 with fewer than two starts).</summary>
    public double AchievedRate
    {
        get
        {
            lock (_recent)
            {
                return _count < 2 || _last == _first ? 0 : (_count - 1) * (double)Stopwatch.Frequency / (_last - _first);
            }
        }
    }

    /// <summary>Waits for the next start slot and records it; the caller must start its request right away.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = Stopwatch.GetTimestamp();
            var due = _count == 0 ? now : _lastDue + _interval;
            if (due < now - _maxLag)
            {
                due = now; // a long stall: restart the schedule instead of bursting to catch up
            }

            // Re-evaluated after every sleep: a 429 pause may arrive while this caller waits.
            while (true)
            {
                due = Math.Max(due, Interlocked.Read(ref _pausedUntil));
                // Catching up is spread out: never closer than half an interval to the previous start,
                // so a stall becomes a stretch at twice the rate, not a clump of simultaneous requests.
                var target = _count == 0 ? due : Math.Max(due, _last + (_interval / 2));
                if (_count >= WindowLimit)
                {
                    // The recorded start WindowLimit places back: this start must be over a second later.
                    target = Math.Max(target, _ring[_count % WindowLimit] + _window + _guard);
                }

                now = Stopwatch.GetTimestamp();
                if (now >= target)
                {
                    break;
                }

                var wait = (target - now) * 1000.0 / Stopwatch.Frequency;
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait)), cancellationToken).ConfigureAwait(false);
            }

            Record(now);
            _lastDue = due; // the schedule, not the (possibly late) actual start: oversleeping does not accumulate
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Holds every start until the given <see cref="Stopwatch"/> timestamp (an API's <c>429 Retry-After</c>).</summary>
    public void PauseUntil(long stopwatchTimestamp)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _pausedUntil);
            if (stopwatchTimestamp <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pausedUntil, stopwatchTimestamp, current) != current);
    }

    public void Dispose() => _gate.Dispose();

    private void Record(long start)
    {
        lock (_recent)
        {
            _ring[_count % _ring.Length] = start;
            if (_count == 0)
            {
                _first = start;
            }

            _last = start;
            Interlocked.Increment(ref _count);

            // Starts in the closed window [start - 1 s, start].
            _recent.Enqueue(start);
            while (_recent.Peek() < start - _window)
            {
                _recent.Dequeue();
            }

            if (_recent.Count > _maxInWindow)
            {
                Volatile.Write(ref _maxInWindow, _recent.Count);
            }
        }
    }
}
