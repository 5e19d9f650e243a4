namespace Interlude.Cuda.Work;

/// <summary>
/// An <see cref="MlpModel"/> on the GPU for a fixed batch: weights uploaded once, an input and an output buffer in
/// pinned memory, activations on the device. One instance serves one request at a time (one per coroutine).
/// </summary>
internal sealed class CudaMlp : IDisposable
{
    private readonly CudaDevice _device;
    private readonly List<(DeviceBuffer<float> Weights, DeviceBuffer<float> Bias)> _layers = [];
    private readonly List<DeviceBuffer<float>> _activations = [];

    internal CudaMlp(CudaDevice device, MlpModel model, int batch)
    {
        _device = device;
        Model = model;
        Batch = batch;
        Input = new PinnedBuffer<float>(device, batch * model.Inputs);
        Output = new PinnedBuffer<float>(device, batch * model.Outputs);
        _activations.Add(new DeviceBuffer<float>(device, batch * model.Inputs));
        foreach (MlpLayer layer in model.Layers)
        {
            var weights = new DeviceBuffer<float>(device, layer.Weights.Length);
            var bias = new DeviceBuffer<float>(device, layer.Bias.Length);
            Upload(layer.Weights, weights);
            Upload(layer.Bias, bias);
            _layers.Add((weights, bias));
            _activations.Add(new DeviceBuffer<float>(device, batch * layer.Outputs));
        }
    }

    internal MlpModel Model { get; }

    internal int Batch { get; }

    /// <summary>Write the batch's inputs here before <see cref="Enqueue"/>.</summary>
    internal PinnedBuffer<float> Input { get; }

    /// <summary>The outputs, once the submission has completed.</summary>
    internal PinnedBuffer<float> Output { get; }

    /// <summary>Loop thread, inside a submission: input up, each layer's GEMM and bias/activation, output down.</summary>
    internal void Enqueue(CudaStream stream)
    {
        BuiltInKernels kernels = _device.Kernels;
        stream.CopyToDevice(Input, _activations[0]);
        for (int l = 0; l < _layers.Count; l++)
        {
            MlpLayer layer = Model.Layers[l];
            stream.Sgemm(_activations[l], _layers[l].Weights, _activations[l + 1], Batch, layer.Outputs, layer.Inputs);
            stream.BiasActivation(kernels, _activations[l + 1], _layers[l].Bias, Batch, layer.Outputs, relu: l < _layers.Count - 1);
        }

        stream.CopyToHost(_activations[^1], Output);
    }

    public void Dispose()
    {
        foreach ((DeviceBuffer<float> weights, DeviceBuffer<float> bias) in _layers)
        {
            weights.Dispose();
            bias.Dispose();
        }

        foreach (DeviceBuffer<float> activation in _activations)
        {
            activation.Dispose();
        }

        Input.Dispose();
        Output.Dispose();
    }

    private unsafe void Upload(float[] values, DeviceBuffer<float> destination)
    {
        _device.MakeCurrent();
        fixed (float* source = values)
        {
            Interop.CudaErrors.Check(Interop.Driver.cuMemcpyHtoD_v2(destination.Pointer, source, (nuint)values.Length * sizeof(float)), "cuMemcpyHtoD_v2");
        }
    }
}
