namespace Interlude.Harness.Modes;

/// <summary>
/// Which cores run the simulated device and which run the application: the device gets the last allowed core
/// to itself (it spins like hardware), the application the others.
/// </summary>
/// <param name="AllowedCores">Cores this process may run on.</param>
/// <param name="ApplicationCores">Cores for the application's loops or threads.</param>
/// <param name="DeviceCore">The core the device thread is pinned to.</param>
public sealed record CorePlacement(IReadOnlyList<int> AllowedCores, IReadOnlyList<int> ApplicationCores, int DeviceCore)
{
    /// <summary>With a single core the device and the application share it, and the figures mean little.</summary>
    public bool DeviceSharesCore => ApplicationCores.Contains(DeviceCore);

    public static CorePlacement For(IReadOnlyList<int> allowedCores)
    {
        if (allowedCores.Count == 0)
        {
            throw new ArgumentException("At least one core is needed.", nameof(allowedCores));
        }

        int device = allowedCores[^1];
        IReadOnlyList<int> application = allowedCores.Count == 1 ? [device] : allowedCores.Take(allowedCores.Count - 1).ToArray();
        return new CorePlacement(allowedCores, application, device);
    }
}
