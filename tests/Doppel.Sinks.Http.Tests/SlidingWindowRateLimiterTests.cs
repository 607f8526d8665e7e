using System.Collections.Concurrent;
using System.Diagnostics;

namespace Doppel.Sinks.Http.Tests;

public sealed class SlidingWindowRateLimiterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Given_limit_200_and_8_callers_when_400_starts_are_taken_then_no_second_holds_more_than_200()
    {
        for (var attempt = 1; ; attempt++)
        {
            using var limiter = new SlidingWindowRateLimiter(200, TimeSpan.FromMilliseconds(5));
            var starts = new ConcurrentQueue<long>();

            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < 50; i++)
                {
                    await limiter.WaitAsync(default);
                    starts.Enqueue(Stopwatch.GetTimestamp());
                }
            })));

            output.WriteLine($"attempt {attempt}: achieved {limiter.AchievedRate:0.0}/s, max {limiter.MaxInAnyWindow} in a window");
            limiter.WindowLimit.Should().Be(200);
            limiter.Starts.Should().Be(400);
            limiter.MaxInAnyWindow.Should().BeLessThanOrEqualTo(200);
            MaxInWindow(starts).Should().BeLessThanOrEqualTo(200);

            // A frozen process (shared test machine) loses time no window limiter may make up: measure again.
            if (limiter.AchievedRate < 190 && attempt < 3)
            {
                continue;
            }

            limiter.AchievedRate.Should().BeInRange(190, 200, "the guard costs 0.5 %");
            break;
        }
    }

    [Fact]
    public async Task Given_a_fractional_rate_when_starting_then_starts_never_run_ahead_of_its_schedule()
    {
        using var limiter = new SlidingWindowRateLimiter(4.5, TimeSpan.Zero);
        var starts = new List<long>();

        for (var i = 0; i < 7; i++)
        {
            await limiter.WaitAsync(default);
            starts.Add(Stopwatch.GetTimestamp());
        }

        // A late timer may let the next start catch up, but start k never comes before k/4.5 s.
        output.WriteLine(string.Join(", ", starts.Select(t => Stopwatch.GetElapsedTime(starts[0], t).TotalMilliseconds)));
        limiter.WindowLimit.Should().Be(5);
        limiter.MaxInAnyWindow.Should().BeLessThanOrEqualTo(5);
        for (var k = 1; k < starts.Count; k++)
        {
            Stopwatch.GetElapsedTime(starts[0], starts[k]).TotalSeconds.Should().BeGreaterThanOrEqualTo((k / 4.5) - 0.001);
        }

        MaxInWindow(starts).Should().BeLessThanOrEqualTo(5);
    }

    [Fact]
    public async Task Given_a_pause_when_waiting_then_no_start_happens_before_it_ends()
    {
        using var limiter = new SlidingWindowRateLimiter(1000, TimeSpan.Zero);
        await limiter.WaitAsync(default);
        var pausedAt = Stopwatch.GetTimestamp();

        limiter.PauseUntil(pausedAt + (Stopwatch.Frequency / 4));
        await limiter.WaitAsync(default);

        Stopwatch.GetElapsedTime(pausedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(249));
    }

    private static int MaxInWindow(IEnumerable<long> timestamps)
    {
        var times = timestamps.Order().ToArray();
        var max = 0;
        var first = 0;
        for (var last = 0; last < times.Length; last++)
        {
            while (times[last] - times[first] > Stopwatch.Frequency)
            {
                first++;
            }

            max = Math.Max(max, last - first + 1);
        }

        return max;
    }
}
