using System.Runtime.InteropServices;

namespace Interlude.Cuda.Interop;

/// <summary>Turns the three libraries' status codes into <see cref="CudaException"/>, named.</summary>
internal static unsafe class CudaErrors
{
    /// <summary>Throws unless <paramref name="result"/> is CUDA_SUCCESS; the name and text come from the driver when it can say.</summary>
    internal static void Check(int result, string api)
    {
        if (result != CudaStatusNames.DriverSuccess)
        {
            throw Driver(result, api);
        }
    }

    internal static CudaException Driver(int result, string api)
    {
        string name = CudaStatusNames.Driver(result);
        string description = "";
        try
        {
            byte* text;
            if (Interop.Driver.cuGetErrorName(result, &text) == 0 && text is not null)
            {
                name = Marshal.PtrToStringUTF8((nint)text) ?? name;
            }

            if (Interop.Driver.cuGetErrorString(result, &text) == 0 && text is not null)
            {
                description = Marshal.PtrToStringUTF8((nint)text) ?? "";
            }
        }
        catch (DllNotFoundException)
        {
            // No driver to ask: the table's name will do.
        }
        catch (EntryPointNotFoundException)
        {
        }

        return new CudaException(api, result, name, description);
    }

    internal static void CheckNvrtc(int result, string api, string? log = null)
    {
        if (result != 0)
        {
            throw log is { Length: > 0 }
                ? new CudaException(api, result, CudaStatusNames.Nvrtc(result), "", log)
                : new CudaException(api, result, CudaStatusNames.Nvrtc(result), "");
        }
    }

    internal static void CheckCublas(int result, string api)
    {
        if (result != 0)
        {
            throw new CudaException(api, result, CudaStatusNames.Cublas(result), "");
        }
    }
}
