namespace MeshGateway.Forwarding;

/// <summary>
/// A few objects of one kind kept by a readiness loop's thread for its next connections. What a connection uses for
/// one stretch of its life on the loop (the dial's state, the readiness copy's) comes back here when that stretch
/// ends, and the loop's next connection takes it instead of allocating one: fewer bytes per connection, so fewer
/// gen-0 collections, each of which stalls every connection of the process. Per thread, so no lock and nothing
/// shared: only a loop thread keeps any (<see cref="Return"/> elsewhere leaves the object to the collector), at most
/// <see cref="Capacity"/> of each kind.
/// </summary>
/// <typeparam name="T">The kind; whoever returns an object has cleared it and holds no reference to it.</typeparam>
internal static class LoopLocalPool<T>
    where T : class
{
    /// <summary>Objects kept per loop thread: more than the connections a loop has in one stretch at once under churn.</summary>
    internal const int Capacity = 32;

    [ThreadStatic]
    private static T?[]? t_items;

    [ThreadStatic]
    private static int t_count;

    /// <summary>An object this thread kept, or null.</summary>
    public static T? Rent()
    {
        T?[]? items = t_items;
        if (items is null || t_count == 0)
        {
            return null;
        }

        int last = --t_count;
        T? item = items[last];
        items[last] = null;
        return item;
    }

    /// <summary>Keeps <paramref name="item"/> for this loop thread's next <see cref="Rent"/>, if this is a loop thread and there is room.</summary>
    public static void Return(T item)
    {
        if (!EpollReadiness.OnLoopThread)
        {
            return;
        }

        T?[] items = t_items ??= new T?[Capacity];
        if (t_count < items.Length)
        {
            items[t_count++] = item;
        }
    }
}
