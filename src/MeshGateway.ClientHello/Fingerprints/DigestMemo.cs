using System.Security.Cryptography;

namespace MeshGateway.ClientHello;

/// <summary>
/// One thread's digest function with a small memo of its recent inputs: the fingerprints hash a few short strings
/// (JA4: the sorted cipher and extension lists; JA3: the whole string) that repeat from connection to connection of
/// the same client software, and the digest itself is mostly fixed cost.
/// </summary>
/// <remarks>
/// <para>
/// On Linux the BCL hashes through OpenSSL, and with OpenSSL 3.0 every digest costs ~300-400 ns however short the input
/// (clearing the error queue, freeing and allocating the provider context on reset); the compression of a
/// ~150-byte input is ~50 ns of that. No BCL API avoids the fixed cost. A memo hit compares the input with the
/// stored copies (a length check, then a vectorised comparison) and copies the stored digest: the result is the
/// digest of exactly these bytes, never an approximation.
/// </para>
/// <para>
/// Steady state allocates nothing: the slots are one array allocated with the memo, inputs longer than a slot are
/// hashed but not remembered, and the slots are replaced in turn (first in, first out). Per thread that computes
/// fingerprints: <see cref="Slots"/> × <see cref="MaxInputLength"/> bytes plus the digests, ~6.5 KiB.
/// </para>
/// </remarks>
internal sealed class DigestMemo
{
    /// <summary>How many recent inputs are remembered: a few client kinds' JA4 b and c strings.</summary>
    public const int Slots = 16;

    /// <summary>Longer inputs are hashed each time (a JA4 string of ~75 values; most are 60-250 bytes).</summary>
    public const int MaxInputLength = 384;

    private readonly IncrementalHash _hash;
    private readonly int _digestLength;
    private readonly byte[] _inputs = new byte[Slots * MaxInputLength];
    private readonly byte[] _digests;
    private readonly int[] _lengths = new int[Slots];
    private int _next;

    public DigestMemo(HashAlgorithmName algorithm, int digestLength)
    {
        _hash = IncrementalHash.CreateHash(algorithm);
        _digestLength = digestLength;
        _digests = new byte[Slots * digestLength];
    }

    /// <summary>Tests only: digests actually computed (memo misses) on this instance.</summary>
    internal long Computed { get; private set; }

    /// <summary>Forgets every input (benchmarks measure the cost of a client never seen).</summary>
    internal void Clear() => Array.Clear(_lengths);

    /// <summary>Writes the digest of <paramref name="input"/> to the start of <paramref name="digest"/>.</summary>
    public void Hash(ReadOnlySpan<byte> input, Span<byte> digest)
    {
        bool memoizable = input.Length is > 0 and <= MaxInputLength;
        if (memoizable)
        {
            int[] lengths = _lengths;
            for (int slot = 0; slot < lengths.Length; slot++)
            {
                if (lengths[slot] == input.Length && input.SequenceEqual(_inputs.AsSpan(slot * MaxInputLength, input.Length)))
                {
                    _digests.AsSpan(slot * _digestLength, _digestLength).CopyTo(digest);
                    return;
                }
            }
        }

        // One context reused per thread: AppendData + GetHashAndReset skips the context create/free of HashData.
        _hash.AppendData(input);
        _hash.GetHashAndReset(digest);
        Computed++;
        if (memoizable)
        {
            int slot = _next;
            _next = slot + 1 == Slots ? 0 : slot + 1;
            input.CopyTo(_inputs.AsSpan(slot * MaxInputLength));
            digest[.._digestLength].CopyTo(_digests.AsSpan(slot * _digestLength));
            _lengths[slot] = input.Length;
        }
    }
}
