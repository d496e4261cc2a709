namespace MeshGateway.Forwarding;

/// <summary>
/// The connections a forwarder holds, for its heartbeat (idle and phase timeouts) and its drain: a slot array reused
/// through a free list, so registering a connection allocates nothing (a <c>ConcurrentDictionary</c> made a node per
/// connection, ~48 B, and took a <c>lock</c> to add and to remove it). A connection keeps its slot's index
/// (<see cref="ForwardedConnection.TableSlot"/>).
/// </summary>
/// <remarks>
/// Adding and removing take a <see cref="SpinGate"/>; <see cref="ForEach"/> (the heartbeat, once a second) reads the
/// current array without it, as the loop's registration table does, and may miss a connection added meanwhile until
/// the next beat. <see cref="Snapshot"/> (the drain) takes the gate. The array grows to the most connections held at
/// once and keeps that size.
/// </remarks>
internal sealed class ConnectionTable
{
    private SpinGate _gate;   // guards the arrays, the free list and the slot count
    private ForwardedConnection?[] _slots = new ForwardedConnection?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _used;   // slots ever handed out (the rest of the array is untouched)
    private int _count;

    /// <summary>Connections held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>True when the table holds no connection.</summary>
    public bool IsEmpty => Count == 0;

    /// <summary>
    /// Holds <paramref name="connection"/> and sets its <see cref="ForwardedConnection.TableSlot"/>. Ends with a full
    /// fence, so a read the caller makes next (the draining flag) cannot move before the slot is written.
    /// </summary>
    public void Add(ForwardedConnection connection)
    {
        _gate.Enter();
        try
        {
            int index = _freeCount > 0 ? _free[--_freeCount] : _used++;
            if (index == _slots.Length)
            {
                ForwardedConnection?[] grown = new ForwardedConnection?[index * 2];
                _slots.AsSpan().CopyTo(grown);
                Volatile.Write(ref _slots, grown);   // ForEach may read the old array: it still holds every live entry
            }

            connection.TableSlot = index;
            Volatile.Write(ref _slots[index], connection);
            Interlocked.Increment(ref _count);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Lets go of <paramref name="connection"/> (nothing when it is not held: a second remove).</summary>
    public void Remove(ForwardedConnection connection)
    {
        _gate.Enter();
        try
        {
            int index = connection.TableSlot;   // read under the gate: written by Add under it, maybe on another thread
            if ((uint)index < (uint)_used && ReferenceEquals(_slots[index], connection))
            {
                Volatile.Write(ref _slots[index], null);
                if (_freeCount == _free.Length)
                {
                    Array.Resize(ref _free, _free.Length * 2);
                }

                _free[_freeCount++] = index;
                Interlocked.Decrement(ref _count);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Calls <paramref name="action"/> for each connection held (without the gate; see the remarks).</summary>
    public void ForEach<TState>(TState state, Action<ForwardedConnection, TState> action)
    {
        ForwardedConnection?[] slots = Volatile.Read(ref _slots);
        int used = Math.Min(Volatile.Read(ref _used), slots.Length);
        for (int i = 0; i < used; i++)
        {
            if (Volatile.Read(ref slots[i]) is { } connection)
            {
                action(connection, state);
            }
        }
    }

    /// <summary>The connections held now, copied under the gate (the drain's view).</summary>
    public List<ForwardedConnection> Snapshot()
    {
        _gate.Enter();
        try
        {
            var held = new List<ForwardedConnection>(_count);
            foreach (ForwardedConnection? connection in _slots.AsSpan(0, _used))
            {
                if (connection is not null)
                {
                    held.Add(connection);
                }
            }

            return held;
        }
        finally
        {
            _gate.Exit();
        }
    }
}
