namespace MeshGateway.Forwarding;

/// <summary>
/// Objects held in a slot array reused through a free list, so holding one allocates nothing (the array grows to the
/// most held at once and keeps that size). The mechanism under a readiness loop's <see cref="RegistrationTable"/> and a
/// forwarder's table of held connections.
/// </summary>
/// <remarks>
/// Adding and removing take a <see cref="SpinGate"/>; <see cref="Read"/> and <see cref="ForEach"/> take none: they read
/// the current array (a grown array is published after every live entry is copied into it, so an old one still holds
/// them all) and may miss an object added meanwhile. <see cref="Snapshot"/> takes the gate.
/// </remarks>
/// <typeparam name="T">What the slots hold.</typeparam>
internal sealed class SlotArray<T>
    where T : class
{
    private SpinGate _gate;   // guards the arrays, the free list and the counts (never held across a call out but Add's factory)
    private T?[] _slots = new T?[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _used;   // slots ever handed out (the rest of the array is untouched)
    private int _count;

    /// <summary>Objects held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// Takes a slot for the object <paramref name="create"/> makes from the slot's index (called under the gate: keep it
    /// to a constructor or a field write). Ends with a full fence, so a read the caller makes next cannot move before
    /// the slot is written.
    /// </summary>
    public T Add<TState>(TState state, Func<int, TState, T> create)
    {
        _gate.Enter();
        try
        {
            int index = _freeCount > 0 ? _free[--_freeCount] : _used++;
            if (index == _slots.Length)
            {
                T?[] grown = new T?[index * 2];
                _slots.AsSpan().CopyTo(grown);
                Volatile.Write(ref _slots, grown);
            }

            T item = create(index, state);
            Volatile.Write(ref _slots[index], item);
            Interlocked.Increment(ref _count);
            return item;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Frees slot <paramref name="index"/> if it still holds <paramref name="item"/> (nothing for a second remove, or a reused slot).</summary>
    public void Remove(int index, T item)
    {
        _gate.Enter();
        try
        {
            if ((uint)index < (uint)_used && ReferenceEquals(_slots[index], item))
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

    /// <summary>What slot <paramref name="index"/> holds now, or null (no gate).</summary>
    public T? Read(int index)
    {
        T?[] slots = Volatile.Read(ref _slots);
        return (uint)index < (uint)slots.Length ? Volatile.Read(ref slots[index]) : null;
    }

    /// <summary>Calls <paramref name="action"/> for each object held (no gate; see the remarks).</summary>
    public void ForEach<TState>(TState state, Action<T, TState> action)
    {
        T?[] slots = Volatile.Read(ref _slots);
        int used = Math.Min(Volatile.Read(ref _used), slots.Length);
        for (int i = 0; i < used; i++)
        {
            if (Volatile.Read(ref slots[i]) is { } item)
            {
                action(item, state);
            }
        }
    }

    /// <summary>The objects held now, copied under the gate.</summary>
    public List<T> Snapshot()
    {
        _gate.Enter();
        try
        {
            var held = new List<T>(_count);
            foreach (T? item in _slots.AsSpan(0, _used))
            {
                if (item is not null)
                {
                    held.Add(item);
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
