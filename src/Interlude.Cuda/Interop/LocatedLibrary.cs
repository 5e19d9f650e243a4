namespace Interlude.Cuda.Interop;

/// <summary>A library the search loaded: its handle and where it came from (a path, or a name the system loader resolved).</summary>
internal readonly record struct LocatedLibrary(nint Handle, string Source);
