using System.Buffers;
using System.Collections.Concurrent;

namespace MeshGateway.Testing;

/// <summary>
/// An <see cref="ArrayPool{T}"/> that hands out arrays of exactly the size asked for and remembers every one: what
/// the engine asked for, what it still holds, and whether it ever returned an array it did not rent (or twice).
/// </summary>
public sealed class CountingBufferPool : ArrayPool<byte>
{
    private readonly ConcurrentDictionary<byte[], int> _outstanding = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentQueue<int> _requests = new();
    private int _strayReturns;

    /// <summary>The sizes asked for, in order.</summary>
    public IReadOnlyList<int> Requests => [.. _requests];

    /// <summary>Arrays rented and not yet returned.</summary>
    public int Outstanding => _outstanding.Count;

    /// <summary>Bytes rented and not yet returned.</summary>
    public long OutstandingBytes => _outstanding.Keys.Sum(static a => (long)a.Length);

    /// <summary>Returns of an array this pool did not hand out, or handed back already.</summary>
    public int StrayReturns => Volatile.Read(ref _strayReturns);

    public override byte[] Rent(int minimumLength)
    {
        var array = new byte[minimumLength];
        _requests.Enqueue(minimumLength);
        _outstanding[array] = minimumLength;
        return array;
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (!_outstanding.TryRemove(array, out _))
        {
            Interlocked.Increment(ref _strayReturns);
        }
    }
}
