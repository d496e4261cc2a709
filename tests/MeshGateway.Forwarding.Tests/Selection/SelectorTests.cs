using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MeshGateway.Forwarding;

namespace MeshGateway.Forwarding.Tests.Selection;

public class SelectorTests
{
    private static readonly ForwardingContext Context = TestContexts.WithSni("x");

    [Fact]
    public void Round_robin_takes_endpoints_in_turn()
    {
        UpstreamEndpoint[] endpoints = Endpoints(3);
        var selector = new RoundRobinSelector();

        var picks = Enumerable.Range(0, 6).Select(_ => selector.Pick(Context, endpoints, [])).ToArray();

        Assert.Equal([endpoints[0], endpoints[1], endpoints[2], endpoints[0], endpoints[1], endpoints[2]], picks);
    }

    [Fact]
    public void Round_robin_skips_excluded_endpoints_and_returns_null_when_none_is_left()
    {
        UpstreamEndpoint[] endpoints = Endpoints(2);
        var selector = new RoundRobinSelector();

        Assert.Same(endpoints[1], selector.Pick(Context, endpoints, [endpoints[0]]));
        Assert.Null(selector.Pick(Context, endpoints, [endpoints[0], endpoints[1]]));
    }

    [Fact]
    public void Power_of_two_choices_prefers_the_less_loaded_of_two()
    {
        UpstreamEndpoint[] endpoints = Endpoints(2);
        for (int i = 0; i < 5; i++)
        {
            endpoints[0].OnConnected();
        }

        var selector = new PowerOfTwoChoicesSelector(new Random(7));

        // With two endpoints both are always drawn, so the idle one always wins.
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(endpoints[1], selector.Pick(Context, endpoints, [])));
    }

    [Property]
    public FsCheck.Property Selectors_never_pick_an_excluded_endpoint_and_return_null_only_when_all_are_excluded()
    {
        return Prop.ForAll(
            Gen.Choose(1, 8).SelectMany(n => Gen.ListOf(Gen.Elements(true, false), n).Select(mask => (n, mask.ToArray()))).ToArbitrary(),
            Gen.Choose(0, int.MaxValue).ToArbitrary(),
            (shape, seed) =>
            {
                UpstreamEndpoint[] endpoints = Endpoints(shape.n);
                UpstreamEndpoint[] excluded = endpoints.Where((_, i) => shape.Item2[i]).ToArray();
                foreach (IUpstreamSelector selector in new IUpstreamSelector[] { new RoundRobinSelector(), new PowerOfTwoChoicesSelector(new Random(seed)) })
                {
                    UpstreamEndpoint? pick = selector.Pick(Context, endpoints, excluded);
                    bool allExcluded = excluded.Length == endpoints.Length;
                    if (allExcluded ? pick is not null : pick is null || excluded.Contains(pick))
                    {
                        return false;
                    }
                }

                return true;
            });
    }

    private static UpstreamEndpoint[] Endpoints(int count) =>
        Enumerable.Range(0, count).Select(i => new UpstreamEndpoint(new IPEndPoint(IPAddress.Loopback, 9000 + i))).ToArray();
}
