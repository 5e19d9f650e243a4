using Interlude.Harness.Tls;
using Xunit;

namespace Interlude.Cli.Tests.Infrastructure;

/// <summary>A fact that needs h2load on PATH: skipped, saying how to install it, when it is not there.</summary>
public sealed class H2loadFactAttribute : FactAttribute
{
    public H2loadFactAttribute()
    {
        if (H2load.Find() is null)
        {
            Skip = "h2load is not installed (scripts/install-h2load.sh installs it; .ci/run tries to).";
        }
    }
}
