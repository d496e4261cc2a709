using Microsoft.Extensions.Options;

namespace MeshGateway.Forwarding;

/// <summary>The DataAnnotations checks of <see cref="ForwarderOptions"/>, source-generated (trim and AOT safe).</summary>
[OptionsValidator]
internal sealed partial class ForwarderOptionsDataValidator : IValidateOptions<ForwarderOptions>
{
}
