using Xunit;

namespace Interlude.Harness.Tests.Infrastructure;

/// <summary>A test that opens a report in Chromium: skipped, saying how to install it, when none is installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = "No Chromium is installed (chromium, chromium-browser or google-chrome on PATH): run scripts/install-chromium.sh.";
        }
    }
}
