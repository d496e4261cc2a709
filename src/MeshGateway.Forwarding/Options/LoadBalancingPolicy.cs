namespace MeshGateway.Forwarding;

/// <summary>The built-in endpoint selectors a cluster can name.</summary>
public enum LoadBalancingPolicy
{
    /// <summary>Two random endpoints, the less loaded wins (<see cref="PowerOfTwoChoicesSelector"/>).</summary>
    PowerOfTwoChoices = 0,

    /// <summary>Endpoints in turn (<see cref="RoundRobinSelector"/>).</summary>
    RoundRobin = 1,
}
