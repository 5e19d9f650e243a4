using System.Runtime.InteropServices;

namespace Interlude.Cuda.Interop;

/// <summary>
/// The CUDA driver API entry points the device uses (cuda.h), with the <c>_v2</c> names where they exist. Handles
/// (CUcontext, CUstream, CUevent, CUmodule, CUfunction) are pointers; CUdevice is an int; CUdeviceptr is a
/// 64-bit integer. Every call returns a CUresult; <see cref="CudaErrors.Check(int, string)"/> turns failures into
/// <see cref="CudaException"/>. Call <see cref="CudaLibraries.EnsureDriver"/> before the first one.
/// </summary>
internal static unsafe partial class Driver
{
    internal const uint CtxSchedAuto = 0;
    internal const uint CtxSchedSpin = 1;
    internal const uint CtxSchedYield = 2;
    internal const uint CtxSchedBlockingSync = 4;
    internal const uint CtxMapHost = 8;
    internal const uint StreamNonBlocking = 1;
    internal const uint MemHostAllocPortable = 1;
    internal const uint MemHostAllocDeviceMap = 2;
    internal const uint EventBlockingSync = 1;
    internal const uint EventDisableTiming = 2;
    internal const uint StreamWriteValueDefault = 0;
    internal const int AttributeComputeCapabilityMajor = 75;
    internal const int AttributeComputeCapabilityMinor = 76;
    internal const int AttributeCanMapHostMemory = 19;

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuInit(uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDriverGetVersion(int* version);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDeviceGetCount(int* count);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDeviceGet(int* device, int ordinal);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDeviceGetName(byte* name, int length, int device);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDeviceGetAttribute(int* value, int attribute, int device);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDevicePrimaryCtxRetain(nint* context, int device);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDevicePrimaryCtxRelease_v2(int device);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuDevicePrimaryCtxSetFlags_v2(int device, uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuCtxSetCurrent(nint context);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuStreamCreate(nint* stream, uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuStreamDestroy_v2(nint stream);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuStreamSynchronize(nint stream);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemHostAlloc(void** pointer, nuint bytes, uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemFreeHost(void* pointer);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemHostGetDevicePointer_v2(ulong* devicePointer, void* hostPointer, uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemAlloc_v2(ulong* devicePointer, nuint bytes);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemFree_v2(ulong devicePointer);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemcpyHtoD_v2(ulong destination, void* source, nuint bytes);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemcpyHtoDAsync_v2(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuMemcpyDtoHAsync_v2(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuStreamWriteValue32_v2(nint stream, ulong address, uint value, uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuEventCreate(nint* @event, uint flags);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuEventDestroy_v2(nint @event);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuEventRecord(nint @event, nint stream);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuEventQuery(nint @event);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuEventSynchronize(nint @event);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuLaunchHostFunc(nint stream, delegate* unmanaged<void*, void> function, void* userData);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuModuleLoadData(nint* module, void* image);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuModuleUnload(nint module);

    [LibraryImport(CudaLibraryNames.Driver, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int cuModuleGetFunction(nint* function, nint module, string name);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuLaunchKernel(
        nint function,
        uint gridX,
        uint gridY,
        uint gridZ,
        uint blockX,
        uint blockY,
        uint blockZ,
        uint sharedMemoryBytes,
        nint stream,
        void** kernelParameters,
        void** extra);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuGetErrorName(int error, byte** name);

    [LibraryImport(CudaLibraryNames.Driver)]
    internal static partial int cuGetErrorString(int error, byte** description);

    /// <summary>
    /// Sets the current context's scheduling flags (cuCtxSetFlags, CUDA 12.1 and later); on older drivers the
    /// primary context's flags instead, which take effect for the context's next activation. Returns which it used.
    /// </summary>
    internal static string SetSchedulingFlags(int device, uint flags)
    {
        nint setFlags = CudaLibraries.DriverExport("cuCtxSetFlags");
        if (setFlags != 0)
        {
            CudaErrors.Check(((delegate* unmanaged<uint, int>)setFlags)(flags), "cuCtxSetFlags");
            return "cuCtxSetFlags";
        }

        CudaErrors.Check(cuDevicePrimaryCtxSetFlags_v2(device, flags), "cuDevicePrimaryCtxSetFlags_v2");
        return "cuDevicePrimaryCtxSetFlags_v2";
    }
}
