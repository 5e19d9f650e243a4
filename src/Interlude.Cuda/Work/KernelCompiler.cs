using System.Text;
using Interlude.Cuda.Interop;

namespace Interlude.Cuda.Work;

/// <summary>
/// Compiles CUDA C++ at run time with NVRTC for the GPU at hand: CUBIN for sm_{major}{minor}; if this NVRTC does
/// not know that architecture (it is older than the GPU), PTX for the newest virtual architecture it accepts,
/// which the driver then compiles itself.
/// </summary>
internal static unsafe class KernelCompiler
{
    /// <summary>The options of the first attempt: real architecture, CUBIN.</summary>
    internal static string[] CubinOptions((int Major, int Minor) capability) =>
        [$"--gpu-architecture=sm_{capability.Major}{capability.Minor}", "--std=c++17", "-default-device"];

    /// <summary>The options of the fallback: the same architecture as a virtual one, PTX.</summary>
    internal static string[] PtxOptions((int Major, int Minor) capability) =>
        [$"--gpu-architecture=compute_{capability.Major}{capability.Minor}", "--std=c++17", "-default-device"];

    /// <summary>Compiles <paramref name="source"/>; returns the image for cuModuleLoadData (CUBIN, or PTX ending in a zero byte) and which it is.</summary>
    /// <exception cref="CudaException">The compiler failed; the message carries its log.</exception>
    internal static (byte[] Image, string Kind) Compile(string source, string name, (int Major, int Minor) capability)
    {
        CudaLibraries.EnsureNvrtc();
        try
        {
            return (CompileOnce(source, name, CubinOptions(capability), cubin: true), "cubin");
        }
        catch (CudaException e) when (e.Name == "NVRTC_ERROR_INVALID_OPTION")
        {
            return (CompileOnce(source, name, PtxOptions(capability), cubin: false), "ptx");
        }
    }

    private static byte[] CompileOnce(string source, string name, string[] options, bool cubin)
    {
        byte[] sourceBytes = Zero(source);
        byte[] nameBytes = Zero(name);
        byte[][] optionBytes = options.Select(Zero).ToArray();
        nint program;
        fixed (byte* s = sourceBytes)
        fixed (byte* n = nameBytes)
        {
            CudaErrors.CheckNvrtc(Nvrtc.nvrtcCreateProgram(&program, s, n, 0, null, null), "nvrtcCreateProgram");
        }

        try
        {
            var pins = optionBytes.Select(o => System.Runtime.InteropServices.GCHandle.Alloc(o, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
            try
            {
                byte** pointers = stackalloc byte*[options.Length];
                for (int i = 0; i < options.Length; i++)
                {
                    pointers[i] = (byte*)pins[i].AddrOfPinnedObject();
                }

                int result = Nvrtc.nvrtcCompileProgram(program, options.Length, pointers);
                CudaErrors.CheckNvrtc(result, "nvrtcCompileProgram", result == 0 ? null : Log(program));
            }
            finally
            {
                foreach (var pin in pins)
                {
                    pin.Free();
                }
            }

            nuint size;
            if (cubin)
            {
                CudaErrors.CheckNvrtc(Nvrtc.nvrtcGetCUBINSize(program, &size), "nvrtcGetCUBINSize");
                byte[] image = new byte[(int)size];
                fixed (byte* i = image)
                {
                    CudaErrors.CheckNvrtc(Nvrtc.nvrtcGetCUBIN(program, i), "nvrtcGetCUBIN");
                }

                return image;
            }

            // The PTX size counts its terminating zero, which cuModuleLoadData needs.
            CudaErrors.CheckNvrtc(Nvrtc.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize");
            byte[] ptx = new byte[(int)size];
            fixed (byte* p = ptx)
            {
                CudaErrors.CheckNvrtc(Nvrtc.nvrtcGetPTX(program, p), "nvrtcGetPTX");
            }

            return ptx;
        }
        finally
        {
            _ = Nvrtc.nvrtcDestroyProgram(&program);
        }
    }

    private static string Log(nint program)
    {
        nuint size;
        if (Nvrtc.nvrtcGetProgramLogSize(program, &size) != 0 || size <= 1)
        {
            return "";
        }

        byte[] log = new byte[(int)size];
        fixed (byte* l = log)
        {
            _ = Nvrtc.nvrtcGetProgramLog(program, l);
        }

        return CudaDevice.ReadUtf8(log);
    }

    private static byte[] Zero(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
