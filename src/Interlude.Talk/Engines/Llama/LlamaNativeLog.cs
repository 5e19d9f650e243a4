using LLama.Native;

namespace Interlude.Talk.Engines.Llama;

/// <summary>
/// Routes llama.cpp's log away from stderr (it prints every tensor while loading) and keeps its last error line, so a
/// failure's message can say what llama.cpp said. Installed once per process, before the native library loads.
/// </summary>
internal static class LlamaNativeLog
{
    // Set once by the first engine thread that constructs a corrector; any thread may race to it (Interlocked).
    private static int s_installed;

    // Written by whichever thread llama.cpp logs from; read by the engine thread when it builds an error message.
    private static volatile string? s_lastError;

    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 1)
        {
            return;
        }

        if (!NativeLibraryConfig.LLama.LibraryHasLoaded)
        {
            NativeLibraryConfig.All.WithLogCallback(Log);
        }
        else
        {
            NativeLogConfig.llama_log_set(Log);
        }
    }

    /// <summary>Forgets the last error, so a message built after the next native call names only its own.</summary>
    public static void Forget() => s_lastError = null;

    /// <summary>" (llama.cpp: …)" with the last error it logged, or nothing.</summary>
    public static string LastErrorSuffix() => s_lastError is { } error ? $" (llama.cpp: {error})" : string.Empty;

    private static void Log(LLamaLogLevel level, string message)
    {
        if (level == LLamaLogLevel.Error)
        {
            s_lastError = message.Trim();
        }
    }
}
