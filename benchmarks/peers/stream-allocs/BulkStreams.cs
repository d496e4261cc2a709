using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// What <c>loadgen bulk</c> does against the C sink, on blocking sockets (one thread per stream, so the client
/// allocates nothing per write): connect, send the ClientHello, read the sink's 1-byte answer, then — all streams
/// at once — write <c>bytes / streams</c> in <c>chunk</c>-byte writes, half-close, and check the sink's 8-byte count
/// (hello + payload). The process's allocated bytes (all threads) are read at three points: once every stream is
/// established and idle (A), once every write has returned and the forwarder has had 300 ms to drain what was in
/// flight (B), and once every connection is closed (C). B − A is the streaming window; C − B the half-close and
/// teardown. Before A, the established connections sit idle for one second (I0 → I1): what the process allocates
/// with nothing moving (timers, the runtime's tiering), the background to compare the streaming window with.
/// </summary>
internal static class BulkStreams
{
    public readonly record struct Window(long Streaming, long Teardown, long Chunks, double Seconds, long IdlePerSecond);

    public static Window Run(EndPoint target, byte[] hello, int streams, int chunk, long bytes, Func<long>? idleCheck = null)
    {
        long perStream = bytes / streams / chunk * chunk;
        using var ready = new CountdownEvent(streams);
        using var go = new ManualResetEventSlim();
        using var written = new CountdownEvent(streams);
        using var finish = new ManualResetEventSlim();
        var failures = new List<Exception>();
        var threads = new Thread[streams];
        for (int i = 0; i < streams; i++)
        {
            threads[i] = new Thread(() =>
            {
                int stage = 0;
                try
                {
                    Stream(target, hello, chunk, perStream, ready, go, written, finish, ref stage);
                }
                catch (Exception e)
                {
                    lock (failures)
                    {
                        failures.Add(e);
                    }

                    // Release the main thread from whichever wait this stream has not yet signalled.
                    if (stage < 1)
                    {
                        ready.Signal();
                    }

                    if (stage < 2)
                    {
                        written.Signal();
                    }
                }
            }) { IsBackground = true };
            threads[i].Start();
        }

        ready.Wait();
        Thread.Sleep(200);
        long idle = GC.GetTotalAllocatedBytes(precise: true);
        Thread.Sleep(1000);
        idle = GC.GetTotalAllocatedBytes(precise: true) - idle;
        long a = GC.GetTotalAllocatedBytes(precise: true);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        go.Set();
        written.Wait();
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        Thread.Sleep(300);
        long b = GC.GetTotalAllocatedBytes(precise: true);
        finish.Set();
        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        while (idleCheck is not null && idleCheck() > 0)
        {
            Thread.Sleep(10);
        }

        Thread.Sleep(100);
        long c = GC.GetTotalAllocatedBytes(precise: true);
        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }

        return new Window(b - a, c - b, perStream / chunk * streams, seconds, idle);
    }

    private static void Stream(
        EndPoint target, byte[] hello, int chunk, long bytes, CountdownEvent ready, ManualResetEventSlim go, CountdownEvent written, ManualResetEventSlim finish, ref int stage)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(target);
        socket.Send(hello);
        byte[] answer = new byte[8];
        if (socket.Receive(answer, 0, 1, SocketFlags.None) != 1 || answer[0] != 1)
        {
            throw new InvalidDataException("the sink did not accept the hello");
        }

        byte[] data = new byte[chunk];
        ready.Signal();
        stage = 1;
        go.Wait();
        for (long sent = 0; sent < bytes; sent += chunk)
        {
            socket.Send(data);
        }

        written.Signal();
        stage = 2;
        finish.Wait();
        socket.Shutdown(SocketShutdown.Send);
        int got = 0;
        while (got < 8)
        {
            int n = socket.Receive(answer, got, 8 - got, SocketFlags.None);
            if (n == 0)
            {
                throw new EndOfStreamException($"the count ended after {got} bytes");
            }

            got += n;
        }

        long count = BinaryPrimitives.ReadInt64BigEndian(answer);
        if (count != hello.Length + bytes)
        {
            throw new InvalidDataException($"the sink counted {count} bytes, expected {hello.Length + bytes}");
        }
    }
}
