using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace MeshGateway.Naming.Tests.Validation;

/// <summary>The shared dot scanner against a one-character-at-a-time reference, across every vector width's edges.</summary>
public class LabelDotsTests
{
    private static readonly char[] Alphabet = ['.', '.', 'a', 'Z', '-', '0', '\u00e9', '\u2e2e'];

    /// <summary>Names of 0 to 255 characters, dense in dots and with non-ASCII characters whose low byte is not a dot.</summary>
    private static Arbitrary<string> Names() =>
        Gen.Choose(0, 255)
            .SelectMany(length => Gen.ArrayOf(Gen.Elements(Alphabet), length))
            .Select(chars => new string(chars))
            .ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Find_records_the_offset_of_every_dot_in_order() =>
        Prop.ForAll(Names(), name =>
        {
            int[] expected = [.. Enumerable.Range(0, name.Length).Where(i => name[i] == '.')];
            Span<byte> dots = stackalloc byte[256];
            int count = LabelDots.Find(name, dots);
            return dots[..count].ToArray().Select(d => (int)d).SequenceEqual(expected);
        });

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(253)]
    public void Find_of_a_name_of_only_dots_records_each_one(int length)
    {
        Span<byte> dots = stackalloc byte[256];

        int count = LabelDots.Find(new string('.', length), dots);

        Assert.Equal(length, count);
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(i, dots[i]);
        }
    }
}
