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
    private readonly byte[] _sample = new byte[QuicWire.SampleLength];
    private readonly byte[] _mask = new byte[QuicWire.SampleLength];
    private readonly Aes _headerProtection = Aes.Create();
    private ICryptoTransform? _hpEncryptor;
    private AesGcm? _gcm;

    /// <summary>This thread's instance.</summary>
    public static QuicPacketProtection Current => t_current ??= new QuicPacketProtection();

    /// <summary>mask = AES-ECB(hp, sample) (RFC 9001 §5.4.3); writes 16 bytes.</summary>
    public void HeaderProtectionMask(ReadOnlySpan<byte> hp, ReadOnlySpan<byte> sample, Span<byte> mask)
    {
        // An ECB encryptor kept per key: Aes.EncryptEcb's one-shot allocated 64 bytes a call.
        if (_hpEncryptor is null || !hp.SequenceEqual(_hpKey))
        {
            _hpEncryptor?.Dispose();
            hp.CopyTo(_hpKey);
            _headerProtection.Mode = CipherMode.ECB;
            _headerProtection.Padding = PaddingMode.None;
            _headerProtection.Key = _hpKey;
            _hpEncryptor = _headerProtection.CreateEncryptor();
        }

        sample.CopyTo(_sample);
        _hpEncryptor.TransformBlock(_sample, 0, _sample.Length, _mask, 0);
        _mask.CopyTo(mask);
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

    /// <summary>Drops the keyed objects, as a new Destination Connection ID would (for benchmarks of a first datagram).</summary>
    internal void ForgetKeys()
    {
        _gcm?.Dispose();
        _gcm = null;
        _hpEncryptor?.Dispose();
        _hpEncryptor = null;
    }

    public void Dispose()
    {
        _gcm?.Dispose();
        _hpEncryptor?.Dispose();
        _headerProtection.Dispose();
    }
}
