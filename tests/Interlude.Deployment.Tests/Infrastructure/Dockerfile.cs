namespace Interlude.Deployment.Tests.Infrastructure;

/// <summary>
/// The instructions of deploy/Dockerfile that the manifests must agree with, per build stage: the base images,
/// ENV, EXPOSE and USER. Comment lines and line continuations are handled as Docker handles them.
/// </summary>
internal sealed class Dockerfile
{
    public const string PathInRepository = "deploy/Dockerfile";

    private Dockerfile(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The stage the image runs: the last one.</summary>
    public Stage Runtime => Stages[^1];

    public static Dockerfile Load()
    {
        var stages = new List<Stage>();
        foreach (string instruction in Instructions(Repository.Read(PathInRepository)))
        {
            string[] parts = instruction.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string keyword = parts[0].ToUpperInvariant();
            string arguments = parts.Length > 1 ? parts[1] : string.Empty;
            if (keyword == "FROM")
            {
                stages.Add(new Stage(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]));
                continue;
            }

            if (stages.Count == 0)
            {
                continue; // ARG before the first FROM
            }

            Stage stage = stages[^1];
            switch (keyword)
            {
                case "ENV":
                    foreach (string assignment in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        int equals = assignment.IndexOf('=', StringComparison.Ordinal);
                        if (equals <= 0)
                        {
                            throw new InvalidOperationException($"{PathInRepository}: ENV {arguments} is not in the KEY=VALUE form.");
                        }

                        stage.Environment[assignment[..equals]] = assignment[(equals + 1)..].Trim('"');
                    }

                    break;
                case "EXPOSE":
                    foreach (string port in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        stage.ExposedPorts.Add(int.Parse(port.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture));
                    }

                    break;
                case "USER":
                    stage.User = arguments;
                    break;
                case "ENTRYPOINT":
                    stage.Entrypoint = arguments;
                    break;
            }
        }

        return new Dockerfile(stages);
    }

    /// <summary>Whole instructions: comment lines dropped, continued lines joined.</summary>
    private static IEnumerable<string> Instructions(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && current.Length == 0))
            {
                continue;
            }

            bool continues = line.EndsWith('\\');
            current.Append(continues ? line[..^1] : line).Append(' ');
            if (!continues)
            {
                yield return current.ToString().Trim();
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            yield return current.ToString().Trim();
        }
    }

    internal sealed class Stage(string image)
    {
        public string Image { get; } = image;

        public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

        public List<int> ExposedPorts { get; } = [];

        public string? User { get; set; }

        public string? Entrypoint { get; set; }
    }
}
