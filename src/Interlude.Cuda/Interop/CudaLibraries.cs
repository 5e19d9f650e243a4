using System.Reflection;
using System.Runtime.InteropServices;

namespace Interlude.Cuda.Interop;

/// <summary>
/// Loads the CUDA libraries once per process and points this assembly's <c>LibraryImport</c> declarations at them
/// (<see cref="NativeLibrary.SetDllImportResolver"/>). Call <see cref="EnsureDriver"/> (and the others a feature
/// needs) before the first native call: each throws <see cref="CudaLibraryNotFoundException"/> with where it looked.
/// </summary>
internal static class CudaLibraries
{
    private static readonly object s_gate = new();
    private static readonly LibraryLocator s_locator = new(new SystemLibraryProbe());
    private static bool s_resolverSet;

    // Written and read under s_gate (the resolver runs once per import name, on whichever thread calls first).
    private static LocatedLibrary? s_driver;
    private static LocatedLibrary? s_nvrtc;
    private static LocatedLibrary? s_cublas;

    internal static LocatedLibrary EnsureDriver() => Ensure(ref s_driver, LibrarySpec.Driver);

    internal static LocatedLibrary EnsureNvrtc() => Ensure(ref s_nvrtc, LibrarySpec.Nvrtc);

    internal static LocatedLibrary EnsureCublas() => Ensure(ref s_cublas, LibrarySpec.Cublas);

    /// <summary>Whether the driver loads, without throwing: what tests and the bench ask before they try a GPU.</summary>
    internal static bool TryDriver(out string why)
    {
        try
        {
            EnsureDriver();
            why = "";
            return true;
        }
        catch (CudaLibraryNotFoundException e)
        {
            why = e.Message;
            return false;
        }
    }

    /// <summary>A driver entry point that older drivers lack (cuCtxSetFlags: CUDA 12.1); zero if absent.</summary>
    internal static nint DriverExport(string name) =>
        NativeLibrary.TryGetExport(EnsureDriver().Handle, name, out nint address) ? address : 0;

    private static LocatedLibrary Ensure(ref LocatedLibrary? slot, LibrarySpec spec)
    {
        lock (s_gate)
        {
            if (!s_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(CudaLibraries).Assembly, Resolve);
                s_resolverSet = true;
            }

            slot ??= s_locator.Locate(spec);
            return slot.Value;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        LocatedLibrary? found = name switch
        {
            CudaLibraryNames.Driver => TryLocate(ref s_driver, LibrarySpec.Driver),
            CudaLibraryNames.Nvrtc => TryLocate(ref s_nvrtc, LibrarySpec.Nvrtc),
            CudaLibraryNames.Cublas => TryLocate(ref s_cublas, LibrarySpec.Cublas),
            _ => null,
        };
        return found?.Handle ?? 0;
    }

    private static LocatedLibrary? TryLocate(ref LocatedLibrary? slot, LibrarySpec spec)
    {
        try
        {
            return Ensure(ref slot, spec);
        }
        catch (CudaLibraryNotFoundException)
        {
            // The runtime then throws its own DllNotFoundException; the device's constructor asks first and says more.
            return null;
        }
    }
}
