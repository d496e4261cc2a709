namespace MeshGateway.Forwarding;

/// <summary>
/// A loop's registrations by epoll id, without an allocation per socket: a <see cref="SlotArray{T}"/>. An id is the
/// slot's index in its low 32 bits and the slot's generation (bumped at every reuse) in the high 32, so an event still
/// queued for a socket that was forgotten (its descriptor closed, the slot reused) names an id no live registration
/// has, and is dropped.
/// </summary>
/// <remarks>
/// Adding and removing take the slot array's gate (a loop's own sockets, plus its dials from the thread pool: little
/// contention; <c>Add</c> calls its factory, a constructor, inside); <see cref="Find"/>, once per event, takes none: it
/// reads the current array and checks the id of what it finds.
/// </remarks>
internal sealed class RegistrationTable
{
    private readonly SlotArray<ReadinessRegistration> _slots = new();
    private uint[] _generations = new uint[64];   // written only under the slot array's gate (in Add's factory)

    /// <summary>Registrations held now.</summary>
    public int Count => _slots.Count;

    /// <summary>Takes a slot for the registration <paramref name="create"/> makes from its id.</summary>
    public ReadinessRegistration Add<TState>(TState state, Func<ulong, TState, ReadinessRegistration> create) =>
        _slots.Add((Table: this, State: state, Create: create), static (index, a) => a.Create(a.Table.NextId(index), a.State));

    /// <summary>Frees <paramref name="id"/>'s slot (nothing when it is already free or reused).</summary>
    public void Remove(ulong id)
    {
        int index = (int)(uint)id;
        if (_slots.Read(index) is { } held && held.Id == id)
        {
            _slots.Remove(index, held);   // nothing when a concurrent remove and add got there first
        }
    }

    /// <summary>The live registration with <paramref name="id"/>, or null.</summary>
    public ReadinessRegistration? Find(ulong id) =>
        _slots.Read((int)(uint)id) is { } found && found.Id == id ? found : null;

    /// <summary>Counts the live registrations that match (for tests; takes the gate).</summary>
    public int CountWhere(Func<ReadinessRegistration, bool> predicate) => Where(predicate).Count();

    /// <summary>The live registrations that match (for tests; takes the gate).</summary>
    public IEnumerable<ReadinessRegistration> Where(Func<ReadinessRegistration, bool> predicate) => _slots.Snapshot().Where(predicate);

    /// <summary>The id for slot <paramref name="index"/>'s next occupant (called under the slot array's gate).</summary>
    private ulong NextId(int index)
    {
        if (index >= _generations.Length)
        {
            Array.Resize(ref _generations, Math.Max(index + 1, _generations.Length * 2));
        }

        return ((ulong)++_generations[index] << 32) | (uint)index;
    }
}
