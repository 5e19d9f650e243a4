using Xunit;
using YamlDotNet.RepresentationModel;

namespace Interlude.Deployment.Tests.Infrastructure;

/// <summary>One YAML document of deploy/kubernetes: a Kubernetes object.</summary>
internal sealed record Manifest(string File, YamlMappingNode Root)
{
    public string? ApiVersion => Root.Get("apiVersion").Text();

    public string? Kind => Root.Get("kind").Text();

    public string? Name => Root.Get("metadata", "name").Text();

    public override string ToString() => $"{Kind} {Name} ({File})";
}

/// <summary>Every YAML document in deploy/kubernetes, and lookups over them.</summary>
internal sealed class Manifests
{
    public const string Folder = "deploy/kubernetes";

    private Manifests(IReadOnlyList<Manifest> all) => All = all;

    public IReadOnlyList<Manifest> All { get; }

    public static Manifests Load()
    {
        var all = new List<Manifest>();
        string folder = Repository.PathOf(Folder);
        foreach (string path in Directory.EnumerateFiles(folder).Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(path))
            {
                stream.Load(reader);
            }

            string file = Path.GetRelativePath(Repository.Root, path);
            foreach (YamlDocument document in stream.Documents)
            {
                if (document.RootNode is YamlMappingNode root)
                {
                    all.Add(new Manifest(file, root));
                }
                else if (document.RootNode is not YamlScalarNode { Value: null or "" })
                {
                    throw new InvalidOperationException($"{file}: a document that is not a mapping ({document.RootNode.NodeType}).");
                }
            }
        }

        return new Manifests(all);
    }

    public IEnumerable<Manifest> OfKind(string kind) => All.Where(m => m.Kind == kind);

    public Manifest Single(string kind) => Assert.Single(OfKind(kind));

    /// <summary>
    /// The environment a container starts with, as the kubelet builds it: the ConfigMaps named in envFrom first,
    /// then env, which wins over them.
    /// </summary>
    public Dictionary<string, string> EnvironmentOf(YamlNode container)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (YamlNode source in container.Get("envFrom").Items())
        {
            string? mapName = source.Get("configMapRef", "name").Text();
            Assert.NotNull(mapName);
            Manifest map = Assert.Single(OfKind("ConfigMap"), m => m.Name == mapName);
            foreach ((string key, YamlNode value) in map.Root.Get("data").Entries())
            {
                environment[key] = value.Text() ?? string.Empty;
            }
        }

        foreach (YamlNode variable in container.Get("env").Items())
        {
            string? name = variable.Get("name").Text();
            Assert.NotNull(name);
            environment[name] = variable.Get("value").Text() ?? string.Empty;
        }

        return environment;
    }
}

/// <summary>Navigation over YamlDotNet's representation model.</summary>
internal static class Yaml
{
    /// <summary>The node at <paramref name="path"/> (mapping keys), or null where a step is missing.</summary>
    public static YamlNode? Get(this YamlNode? node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not YamlMappingNode mapping)
            {
                return null;
            }

            node = mapping.Children.FirstOrDefault(entry => entry.Key is YamlScalarNode scalar && scalar.Value == key).Value;
        }

        return node;
    }

    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node)
        => node is YamlMappingNode mapping
            ? mapping.Children.Select(entry => (((YamlScalarNode)entry.Key).Value ?? string.Empty, entry.Value))
            : [];
}
