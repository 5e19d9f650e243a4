using Interlude.Tests.Infrastructure;
using Xunit;

namespace Interlude.Crypto.Tests.Infrastructure;

/// <summary>Where a test's operations are submitted from: a coroutine on a loop, or a thread that is no loop's.</summary>
public enum Caller
{
    Loop,
    OffLoop,
}

internal static class Callers
{
    public static TheoryData<Caller> All => new() { Caller.Loop, Caller.OffLoop };

    /// <summary>
    /// Runs <paramref name="body"/> from <paramref name="caller"/>. On a loop it checks that every await in it
    /// resumed on that loop (the body ends on the loop it started on); off any loop it runs on the ThreadPool.
    /// </summary>
    public static Task<T> RunAsync<T>(this CryptoRig rig, Caller caller, Func<ValueTask<T>> body)
    {
        if (caller == Caller.OffLoop)
        {
            return Task.Run(async () =>
            {
                Assert.Null(Loop.Current);
                return await body();
            }).Guarded();
        }

        return rig.Loop.RunAsync(async () =>
        {
            Loop loop = Loop.Current!;
            Assert.Same(rig.Loop, loop);
            T result = await body();
            Assert.Same(loop, Loop.Current);
            return result;
        }).Guarded();
    }

    public static Task RunAsync(this CryptoRig rig, Caller caller, Func<ValueTask> body)
        => rig.RunAsync(caller, async () =>
        {
            await body();
            return true;
        });
}
