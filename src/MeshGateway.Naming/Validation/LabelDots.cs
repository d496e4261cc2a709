using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MeshGateway.Naming;

/// <summary>
/// Finds the dots of a DNS name (RFC 1035 §2.3.4: at most 253 characters, so every offset fits in a byte) and
/// records their offsets: the label boundaries <see cref="ConsulSniParser"/> and <see cref="ServerNames"/> work
/// from. <see cref="ServerNames"/> lower-cases in the same pass, so it shares <see cref="Append"/>, the step that
/// turns one vector comparison into offsets, rather than <see cref="Find"/>.
/// </summary>
internal static class LabelDots
{
    /// <summary>
    /// Records the offset of every dot of <paramref name="text"/> (at most 255 characters) in <paramref name="dots"/>
    /// (room for one per character) and returns how many there are: sixteen or eight characters at a time where the
    /// hardware allows. Inlined, so its one caller's loop is compiled as if written in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Find(ReadOnlySpan<char> text, Span<byte> dots)
    {
        int count = 0;
        int i = 0;
        ref ushort start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ushort> dot = Vector256.Create((ushort)'.');
            for (; i <= text.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                count = Append(Vector256.Equals(Vector256.LoadUnsafe(ref start, (nuint)i), dot).ExtractMostSignificantBits(), i, dots, count);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            Vector128<ushort> dot = Vector128.Create((ushort)'.');
            for (; i <= text.Length - Vector128<ushort>.Count; i += Vector128<ushort>.Count)
            {
                count = Append(Vector128.Equals(Vector128.LoadUnsafe(ref start, (nuint)i), dot).ExtractMostSignificantBits(), i, dots, count);
            }
        }

        for (; i < text.Length; i++)
        {
            if (text[i] == '.')
            {
                dots[count++] = (byte)i;
            }
        }

        return count;
    }

    /// <summary>
    /// Appends <paramref name="offset"/> plus the index of every set bit of <paramref name="mask"/> (one bit per
    /// element of a vector compared with <c>'.'</c>, lowest first) to <paramref name="dots"/> from
    /// <paramref name="count"/>, and returns the new count. Returned rather than passed by reference, so the
    /// caller's count stays in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Append(uint mask, int offset, Span<byte> dots, int count)
    {
        while (mask != 0)
        {
            dots[count++] = (byte)(offset + BitOperations.TrailingZeroCount(mask));
            mask &= mask - 1;
        }

        return count;
    }
}
