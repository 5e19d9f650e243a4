namespace InferenceServer.Models;

/// <summary>The served models by name (names compared exactly, as the protocol's paths are).</summary>
public sealed class ModelRepository
{
    private readonly Dictionary<string, IServedModel> _models = new(StringComparer.Ordinal);

    public ModelRepository(IEnumerable<IServedModel> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        foreach (IServedModel model in models)
        {
            if (!_models.TryAdd(model.Name, model))
            {
                throw new ArgumentException($"Two models are named '{model.Name}'.", nameof(models));
            }
        }
    }

    public IReadOnlyCollection<IServedModel> Models => _models.Values;

    /// <summary>Whether every model is ready: the server's readiness.</summary>
    public bool AllReady => _models.Values.All(m => m.IsReady);

    public bool TryGet(string name, out IServedModel model) => _models.TryGetValue(name, out model!);
}
