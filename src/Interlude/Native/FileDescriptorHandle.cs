using Microsoft.Win32.SafeHandles;

namespace Interlude.Native;

/// <summary>
/// A file descriptor that other threads may use while its owner closes it (a loop's eventfd, written by
/// wakers): the handle's reference count defers the close until no call is using the descriptor, so a late
/// write never reaches a reused descriptor number.
/// </summary>
internal sealed class FileDescriptorHandle : SafeHandleMinusOneIsInvalid
{
    public FileDescriptorHandle()
        : base(ownsHandle: true)
    {
    }

    internal FileDescriptorHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    protected override bool ReleaseHandle() => LinuxSockets.close((int)handle) == 0;
}
