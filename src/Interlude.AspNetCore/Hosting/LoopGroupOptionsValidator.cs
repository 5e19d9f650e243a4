using Microsoft.Extensions.Options;

namespace Interlude.AspNetCore.Hosting;

/// <summary>
/// Checks the registered loop group's options when the host starts, naming the configuration key at fault (for
/// example <c>Interlude:LoopCount</c>) rather than a parameter.
/// </summary>
internal sealed class LoopGroupOptionsValidator(string? sectionPath) : IValidateOptions<LoopGroupOptions>
{
    public ValidateOptionsResult Validate(string? name, LoopGroupOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            string message = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            string key = (sectionPath, e.ParamName) switch
            {
                (null, null) => "LoopGroupOptions",
                (null, string property) => $"LoopGroupOptions.{property}",
                (string section, null) => section,
                (string section, string property) => $"{section}:{property}",
            };
            return ValidateOptionsResult.Fail($"{key}: {message}");
        }
    }
}
