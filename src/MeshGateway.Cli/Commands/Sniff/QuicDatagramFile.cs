namespace MeshGateway.Cli.Commands.Sniff;

/// <summary>The datagram file format of <c>meshgw sniff --quic</c>: records of a 16-bit big-endian length, then that many bytes.</summary>
internal static class QuicDatagramFile
{
    /// <summary>Splits <paramref name="file"/> into datagrams, or returns null with <paramref name="problem"/> set.</summary>
    public static List<ReadOnlyMemory<byte>>? Split(byte[] file, out string? problem)
    {
        problem = null;
        var datagrams = new List<ReadOnlyMemory<byte>>();
        int position = 0;
        while (position < file.Length)
        {
            if (file.Length - position < 2)
            {
                problem = $"not a sequence of length-prefixed datagrams: 1 stray byte at offset {position} (each datagram needs a 2-byte big-endian length first).";
                return null;
            }

            int length = (file[position] << 8) | file[position + 1];
            if (length > file.Length - position - 2)
            {
                problem = $"not a sequence of length-prefixed datagrams: the datagram at offset {position} declares {length} bytes, but only {file.Length - position - 2} follow.";
                return null;
            }

            datagrams.Add(file.AsMemory(position + 2, length));
            position += 2 + length;
        }

        if (datagrams.Count == 0)
        {
            problem = "not a sequence of length-prefixed datagrams: the input is empty.";
            return null;
        }

        return datagrams;
    }
}
