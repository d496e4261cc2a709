namespace MeshGateway.Forwarding;

/// <summary>
/// A loop's registrations by epoll id, without an allocation per socket: a slot array reused through a free list.
/// An id is the slot's index in its low 32 bits and the slot's generation (bumped at every reuse) in the high 32, so
/// an event still queued for a socket that was forgotten (its descriptor closed, the slot reused) names an id no
/// live registration has, and is dropped.
/// </summary>
/// <remarks>
/// Adding and removing take a <see cref="SpinGate"/> (a loop's own sockets, plus its dials from the thread pool: little
/// contention; <c>Add</c> calls its factory, a constructor, inside);
/// <see cref="Find"/>, once per event, takes none: it reads the current array and checks the id of what it finds.
/// </remarks>
internal sealed class RegistrationTable
{
    private SpinGate _gate;   // guards the arrays, the free list and the counts (never held across a call out)
    private ReadinessRegistration?[] _slots = new ReadinessRegistration?[64];
    private uint[] _generations = new uint[64];
    private int[] _free = new int[64];
    private int _freeCount;
    private int _used;   // slots ever handed out (the rest of the array is untouched)

    /// <summary>Registrations held now.</summary>
    public int Count
    {
        get
        {
            _gate.Enter();
            try
            {
                return _used - _freeCount;
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    /// <summary>Takes a slot for the registration <paramref name="create"/> makes from its id.</summary>
    public ReadinessRegistration Add<TState>(TState state, Func<ulong, TState, ReadinessRegistration> create)
    {
        _gate.Enter();
        try
        {
            int index = _freeCount > 0 ? _free[--_freeCount] : _used++;
            if (index == _slots.Length)
            {
                Array.Resize(ref _generations, index * 2);
                ReadinessRegistration?[] grown = new ReadinessRegistration?[index * 2];
                _slots.AsSpan().CopyTo(grown);
                Volatile.Write(ref _slots, grown);   // Find may read the old array: it still holds every live entry
            }

            ulong id = ((ulong)++_generations[index] << 32) | (uint)index;
            ReadinessRegistration registration = create(id, state);
            Volatile.Write(ref _slots[index], registration);
            return registration;
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Frees <paramref name="id"/>'s slot (nothing when it is already free or reused).</summary>
    public void Remove(ulong id)
    {
        int index = (int)(uint)id;
        _gate.Enter();
        try
        {
            if (index < _used && _slots[index] is { } held && held.Id == id)
            {
                Volatile.Write(ref _slots[index], null);
                if (_freeCount == _free.Length)
                {
                    Array.Resize(ref _free, _free.Length * 2);
                }

                _free[_freeCount++] = index;
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>The live registration with <paramref name="id"/>, or null.</summary>
    public ReadinessRegistration? Find(ulong id)
    {
        ReadinessRegistration?[] slots = Volatile.Read(ref _slots);
        uint index = (uint)id;
        return index < (uint)slots.Length && Volatile.Read(ref slots[index]) is { } found && found.Id == id ? found : null;
    }

    /// <summary>Counts the live registrations that match (for tests; takes the lock).</summary>
    public int CountWhere(Func<ReadinessRegistration, bool> predicate)
    {
        _gate.Enter();
        try
        {
            int count = 0;
            foreach (ReadinessRegistration? registration in _slots.AsSpan(0, _used))
            {
                if (registration is not null && predicate(registration))
                {
                    count++;
                }
            }

            return count;
        }
        finally
        {
            _gate.Exit();
        }
    }
}
