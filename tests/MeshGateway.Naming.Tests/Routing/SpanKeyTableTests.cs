namespace MeshGateway.Naming.Tests.Routing;

public class SpanKeyTableTests
{
    [Fact]
    public void Every_key_of_a_large_table_of_similar_names_is_found_and_nothing_else()
    {
        string[] keys = Enumerable.Range(0, 2000).Select(i => $"v{i % 3}.service-{i}.default.dc1").Append("").Append("a").ToArray();
        var table = new SpanKeyTable<int>(keys.Select((k, i) => KeyValuePair.Create(k, i)).ToArray());

        Assert.Equal(keys.Length, table.Count);
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.True(table.TryGetValue(keys[i], out int value), keys[i]);
            Assert.Equal(i, value);
        }

        Assert.False(table.TryGetValue("v0.service-1.default.dc1", out _));
        Assert.False(table.TryGetValue("v1.service-1.default.dc", out _));
        Assert.False(table.TryGetValue("b", out _));
    }

    [Fact]
    public void Empty_table_finds_nothing()
    {
        var table = new SpanKeyTable<string>([]);
        Assert.False(table.TryGetValue("", out string? value));
        Assert.Null(value);
    }
}
