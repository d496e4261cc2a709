using System.Security.Cryptography;

namespace MeshGateway.ClientHello;

/// <summary>
/// The AES objects that remove Initial packet protection, kept per thread and re-keyed only when the keys change:
/// datagrams of one sniff on one thread cost no allocation; a new Destination Connection ID costs one
/// <see cref="AesGcm"/> (it takes its key at construction) and one header protection re-key.
/// </summary>
internal sealed class QuicPacketProtection : IDisposable
{
    [ThreadStatic]
    private static QuicPacketProtection? t_current;

    private readonly byte[] _gcmKey = new byte[QuicWire.KeyLength];
    private readonly byte[] _hpKey = new byte[QuicWire.KeyLength];
    private readonly Aes _headerProtection = Aes.Create();
    private AesGcm? _gcm;
    private bool _hpKeyed;

    /// <summary>This thread's instance.</summary>
    public static QuicPacketProtection Current => t_current ??= new QuicPacketProtection();

    /// <summary>mask = AES-ECB(hp, sample) (RFC 9001 §5.4.3); writes 16 bytes.</summary>
    public void HeaderProtectionMask(ReadOnlySpan<byte> hp, ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        if (!_hpKeyed || !hp.SequenceEqual(_hpKey))
        {
            hp.CopyTo(_hpKey);
            _headerProtection.SetKey(hp);
            _hpKeyed = true;
        }

        _headerProtection.EncryptEcb(sample, mask, PaddingMode.None);
    }

    /// <summary>AEAD_AES_128_GCM open (RFC 9001 §5.3); false when the tag does not match.</summary>
    public bool TryDecrypt(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag,
        Span<byte> plaintext,
        ReadOnlySpan<byte> associatedData)
    {
        if (_gcm is null || !key.SequenceEqual(_gcmKey))
        {
            _gcm?.Dispose();
            key.CopyTo(_gcmKey);
            _gcm = new AesGcm(key, QuicWire.TagLength);
        }

        try
        {
            _gcm.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // The runtime reports a bad tag only by exception; MaxAeadAttempts bounds how often a sniff pays for one.
            return false;
        }
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _headerProtection.Dispose();
    }
}
