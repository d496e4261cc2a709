using System.Net;
using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding.Hosting;

/// <summary>Checks every listener address at once, naming each by its configuration path.</summary>
internal sealed class MeshGatewayListenerOptionsValidator(string sectionPath) : IValidateOptions<MeshGatewayListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, MeshGatewayListenerOptions options)
    {
        var errors = new List<string>();
        if (options.Listeners.Count == 0)
        {
            errors.Add($"{sectionPath}:Listeners: at least one IP:PORT is required.");
        }

        for (int i = 0; i < options.Listeners.Count; i++)
        {
            string text = options.Listeners[i];
            if (!text.Contains(':', StringComparison.Ordinal) || !IPEndPoint.TryParse(text, out _))
            {
                errors.Add($"{sectionPath}:Listeners:{i}: '{text}' is not IP:PORT.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
