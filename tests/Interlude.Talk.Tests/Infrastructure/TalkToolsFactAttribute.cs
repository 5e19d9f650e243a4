using Xunit;

namespace Interlude.Talk.Tests.Infrastructure;

/// <summary>A fact that runs the real tools: skipped, naming the missing ones and how to install them, when any is absent.</summary>
public sealed class TalkToolsFactAttribute : FactAttribute
{
    public TalkToolsFactAttribute()
    {
        if (TalkTools.Missing.Count > 0)
        {
            Skip = $"Needs {string.Join(", ", TalkTools.Missing)} (scripts/install-talk-tools.sh installs them; .ci/run tries to).";
        }
    }
}
