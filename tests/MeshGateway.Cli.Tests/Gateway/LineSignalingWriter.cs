using System.Text;
using System.Threading.Channels;

namespace MeshGateway.Cli.Tests.Gateway;

/// <summary>A TextWriter that hands every completed line to the test as it is written.</summary>
internal sealed class LineSignalingWriter : TextWriter
{
    private readonly StringBuilder _current = new();
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_current)
        {
            if (value == '\n')
            {
                _lines.Writer.TryWrite(_current.ToString().TrimEnd('\r'));
                _current.Clear();
            }
            else
            {
                _current.Append(value);
            }
        }
    }

    public ValueTask<string> NextLineAsync() => _lines.Reader.ReadAsync(TestContext.Current.CancellationToken);
}
