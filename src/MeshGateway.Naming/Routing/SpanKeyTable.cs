using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.InteropServices;

namespace MeshGateway.Naming;

/// <summary>
/// A read-only hash table from strings to values, looked up with a span of characters. Sealed and non-virtual so a
/// lookup is one hash, one bucket and an ordinal compare, whatever <typeparamref name="TValue"/> is (a shared generic
/// dictionary's alternate lookup goes through a generic virtual call). The hash is not randomised: the keys are fixed
/// when the table is built, so a caller choosing what to look up cannot lengthen any chain.
/// </summary>
internal sealed class SpanKeyTable<TValue>
{
    private readonly int[] _buckets;
    private readonly Entry[] _entries;
    private readonly int _mask;

    public SpanKeyTable(IReadOnlyCollection<KeyValuePair<string, TValue>> items)
    {
        // At most one entry per two buckets keeps chains short.
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, items.Count * 2));
        _buckets = new int[size];
        _entries = new Entry[items.Count];
        _mask = size - 1;
        int index = 0;
        foreach (KeyValuePair<string, TValue> item in items)
        {
            uint hash = Hash(item.Key);
            ref int bucket = ref _buckets[hash & (uint)_mask];
            _entries[index] = new Entry(item.Key, item.Value, hash, bucket - 1);
            bucket = ++index;
        }
    }

    public int Count => _entries.Length;

    public bool TryGetValue(ReadOnlySpan<char> key, [MaybeNullWhen(false)] out TValue value)
    {
        uint hash = Hash(key);
        Entry[] entries = _entries;
        for (int i = _buckets[hash & (uint)_mask] - 1; (uint)i < (uint)entries.Length; i = entries[i].Next)
        {
            ref readonly Entry entry = ref entries[i];
            if (entry.Hash == hash && key.SequenceEqual(entry.Key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Four characters at a time, then a final mix so that nearby keys spread over the buckets.</summary>
    private static uint Hash(ReadOnlySpan<char> key)
    {
        ulong hash = 0x9E3779B97F4A7C15UL ^ (ulong)key.Length;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<char, ulong>(key);
        foreach (ulong word in words)
        {
            hash = (BitOperations.RotateLeft(hash, 5) + hash) ^ word;
        }

        for (int i = words.Length * 4; i < key.Length; i++)
        {
            hash = (BitOperations.RotateLeft(hash, 5) + hash) ^ key[i];
        }

        // Final avalanche (the 64-bit finaliser of MurmurHash3).
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        return (uint)hash;
    }

    private readonly record struct Entry(string Key, TValue Value, uint Hash, int Next);
}
