namespace Doppel.Execution;

/// <summary>
/// Runs units of work on N threads and hands their results to one consumer strictly in unit order,
/// so output bytes never depend on thread timing. At most <c>window</c> results are in flight, which
/// bounds memory by batch size rather than row count.
/// </summary>
internal static class OrderedPipeline
{
    public static void Run<T>(long units, int threads, Func<long, Worker, T> produce, Action<T> consume, CancellationToken cancel)
        where T : class
    {
        if (units == 0)
        {
            return;
        }

        threads = (int)Math.Max(1, Math.Min(threads, units));
        var window = threads * 3;
        var slots = new SemaphoreSlim(window, window);
        var ready = new T?[window];
        var readyIndex = new long[window];
        var gate = new object();
        long next = -1;
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);

        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            workers[t] = new Thread(() =>
            {
                var worker = new Worker();
                try
                {
                    while (true)
                    {
                        slots.Wait(stop.Token);
                        var u = Interlocked.Increment(ref next);
                        if (u >= units)
                        {
                            slots.Release();
                            return;
                        }

                        var result = produce(u, worker);
                        lock (gate)
                        {
                            ready[u % window] = result;
                            readyIndex[u % window] = u;
                            Monitor.PulseAll(gate);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
                catch (Exception e)
                {
                    lock (gate)
                    {
                        failure ??= e;
                        Monitor.PulseAll(gate);
                    }

                    stop.Cancel();
                }
            })
            { IsBackground = true, Name = $"doppel-worker-{t}" };
            workers[t].Start();
        }

        try
        {
            for (long c = 0; c < units; c++)
            {
                T item;
                lock (gate)
                {
                    while (ready[c % window] is null || readyIndex[c % window] != c)
                    {
                        if (failure is not null)
                        {
                            throw failure is DoppelException de ? de : new InvalidOperationException("a generation worker failed: " + failure.Message, failure);
                        }

                        stop.Token.ThrowIfCancellationRequested();
                        Monitor.Wait(gate, 100);
                    }

                    item = ready[c % window]!;
                    ready[c % window] = null;
                }

                consume(item);
                slots.Release();
            }
        }
        catch
        {
            stop.Cancel();
            throw;
        }
        finally
        {
            foreach (var w in workers)
            {
                w.Join();
            }
        }

        if (failure is not null)
        {
            throw failure is DoppelException ? failure : new InvalidOperationException("a generation worker failed", failure);
        }
    }
}
