using System.Security.Cryptography;
using System.Text;
using Interlude;

// Requests that pre-process on a loop, offload sealing to other cores and post-process on the same loop.
await using var loops = new LoopGroup(new LoopGroupOptions { WaitStrategy = WaitStrategy.Adaptive });
using var sealer = new CpuAccelerator();
using var device = new SimulatedAccelerator(new SimulatedAcceleratorOptions
{
    ServiceTime = ServiceTime.Fixed(TimeSpan.FromMicroseconds(10)),
});

byte[] key = RandomNumberGenerator.GetBytes(32);

// One request: the await suspends the coroutine; its loop runs other coroutines meanwhile and resumes this
// one, on the same thread, when the device completes.
int length = await loops.RunAsync(async () =>
{
    byte[] plaintext = Encoding.UTF8.GetBytes($"hello from loop {Loop.Current!.Index}");
    byte[] sealedMessage = await sealer.SubmitAsync(static request => Seal(request.key, request.plaintext), (key, plaintext));
    await device.SubmitAsync();
    return sealedMessage.Length;
});
Console.WriteLine($"sealed message: {length} bytes");

// Events of one key run one at a time, in order; keys interleave.
var done = new TaskCompletionSource();
int handled = 0;
var dispatcher = new KeyedDispatcher<int, string>(loops, async (connection, message) =>
{
    await device.SubmitAsync();
    if (Interlocked.Increment(ref handled) == 100)
    {
        done.SetResult();
    }
});
for (int i = 0; i < 100; i++)
{
    dispatcher.Dispatch(i % 10, $"message {i}");
}

await done.Task;
ShutdownReport report = await loops.StopAsync(TimeSpan.FromSeconds(5));
Console.WriteLine($"handled {handled} messages; drained: {report.Drained}");

static byte[] Seal(byte[] key, byte[] plaintext)
{
    using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
    byte[] nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
    byte[] output = new byte[nonce.Length + plaintext.Length + AesGcm.TagByteSizes.MaxSize];
    aes.Encrypt(nonce, plaintext, output.AsSpan(nonce.Length, plaintext.Length), output.AsSpan(nonce.Length + plaintext.Length));
    nonce.CopyTo(output, 0);
    return output;
}
