using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Interlude.Deployment.Tests.Infrastructure;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Interlude.Deployment.Tests;

/// <summary>
/// deploy/kubernetes, read as YAML and checked for what running pinned loops behind a load balancer needs:
/// exclusive cores, probes on the app's port and health path, a grace period that covers the drain, an autoscaler
/// on a metric the app exports, and settings that bind to real options. docs/deployment.md explains each.
/// </summary>
public sealed partial class ManifestTests
{
    private static readonly HashSet<(string ApiVersion, string Kind)> s_knownKinds =
    [
        ("v1", "ConfigMap"),
        ("v1", "Service"),
        ("apps/v1", "Deployment"),
        ("autoscaling/v2", "HorizontalPodAutoscaler"),
        ("policy/v1", "PodDisruptionBudget"),
    ];

    private readonly Manifests _manifests = Manifests.Load();

    [Fact]
    public void Every_document_is_a_known_kind_with_a_name()
    {
        Assert.NotEmpty(_manifests.All);
        foreach (Manifest manifest in _manifests.All)
        {
            Assert.True(
                s_knownKinds.Contains((manifest.ApiVersion ?? string.Empty, manifest.Kind ?? string.Empty)),
                $"{manifest.File}: apiVersion {manifest.ApiVersion}, kind {manifest.Kind} is not one of {string.Join(", ", s_knownKinds)}.");
            Assert.False(string.IsNullOrEmpty(manifest.Name), $"{manifest}: no metadata.name.");
        }

        Assert.All(s_knownKinds, known => Assert.Contains(_manifests.All, m => m.ApiVersion == known.ApiVersion && m.Kind == known.Kind));
        Assert.Equal(_manifests.All.Count, _manifests.All.Select(m => (m.Kind, m.Name)).Distinct().Count());
    }

    [Fact]
    public void Every_container_of_the_deployment_is_guaranteed_whole_cores()
    {
        Manifest deployment = _manifests.Single("Deployment");
        YamlNode[] containers = Containers(deployment).ToArray();
        Assert.NotEmpty(containers);
        foreach (YamlNode container in containers.Concat(deployment.Root.Get("spec", "template", "spec", "initContainers").Items()))
        {
            string name = container.Get("name").Text() ?? "?";
            YamlNode? requests = container.Get("resources", "requests");
            YamlNode? limits = container.Get("resources", "limits");
            foreach (string resource in new[] { "cpu", "memory" })
            {
                string? request = requests.Get(resource).Text();
                string? limit = limits.Get(resource).Text();
                Assert.True(request is not null && limit is not null, $"container {name}: {resource} needs both a request and a limit for Guaranteed QoS.");
                long requested = resource == "cpu" ? Quantities.Millicores(request) : Quantities.Bytes(request);
                long limited = resource == "cpu" ? Quantities.Millicores(limit) : Quantities.Bytes(limit);
                Assert.True(requested == limited, $"container {name}: {resource} request {request} differs from limit {limit}, so the pod is not Guaranteed.");
            }

            long millicores = Quantities.Millicores(requests.Get("cpu").Text()!);
            Assert.True(millicores > 0 && millicores % 1000 == 0, $"container {name}: {millicores}m CPU is not a whole number of cores, so the static CPU manager gives it no exclusive cores.");
        }

        // The loops fit in the container's cores (the rest are for device threads and the runtime).
        YamlNode app = containers[0];
        long cores = Quantities.Millicores(app.Get("resources", "requests", "cpu").Text()!) / 1000;
        Dictionary<string, string> environment = _manifests.EnvironmentOf(app);
        Assert.True(environment.TryGetValue("Interlude__LoopCount", out string? loops), "Interlude__LoopCount is not set: by default the loops follow the cpuset, which is the node's shared pool without the static CPU manager.");
        int loopCount = int.Parse(loops, CultureInfo.InvariantCulture);
        Assert.InRange(loopCount, 1, cores);
    }

    [Fact]
    public void The_probes_ask_for_health_on_the_port_the_app_listens_on()
    {
        Manifest deployment = _manifests.Single("Deployment");
        YamlNode container = Containers(deployment).First();
        int containerPort = ContainerPort(container);

        foreach (string probe in new[] { "readinessProbe", "livenessProbe" })
        {
            YamlNode? httpGet = container.Get(probe, "httpGet");
            Assert.True(httpGet is not null, $"{probe}: not an httpGet probe.");
            Assert.Equal("/health", httpGet.Get("path").Text());
            Assert.Equal(containerPort, ResolvePort(container, httpGet.Get("port").Text()));
        }

        // The liveness probe must be the more patient one: a stall takes the pod out of rotation long before it
        // restarts the container.
        Assert.True(
            ProbeWindowSeconds(container.Get("livenessProbe")) > ProbeWindowSeconds(container.Get("readinessProbe")),
            "The liveness probe gives up no later than the readiness probe.");

        // Prometheus scrapes the same port.
        string? scrapePort = deployment.Root.Get("spec", "template", "metadata", "annotations", "prometheus.io/port").Text();
        Assert.Equal(containerPort.ToString(CultureInfo.InvariantCulture), scrapePort);
    }

    [Fact]
    public void The_service_the_container_and_the_image_agree_on_the_port()
    {
        Manifest deployment = _manifests.Single("Deployment");
        Manifest service = _manifests.Single("Service");
        YamlNode container = Containers(deployment).First();
        int containerPort = ContainerPort(container);

        // The Service selects the Deployment's pods and sends to the container's port.
        Assert.True(Selects(service.Root.Get("spec", "selector"), deployment), "The Service's selector does not match the pod template's labels.");
        YamlNode servicePort = Assert.Single(service.Root.Get("spec", "ports").Items());
        Assert.Equal(containerPort, ResolvePort(container, servicePort.Get("targetPort").Text()));

        // The image exposes that port and Kestrel binds it.
        Dockerfile dockerfile = Dockerfile.Load();
        Assert.Contains(containerPort, dockerfile.Runtime.ExposedPorts);
        Assert.True(dockerfile.Runtime.Environment.TryGetValue("ASPNETCORE_URLS", out string? urls), "The runtime stage sets no ASPNETCORE_URLS.");
        Assert.All(urls.Split(';'), url => Assert.Equal(containerPort, int.Parse(url[(url.LastIndexOf(':') + 1)..].TrimEnd('/'), CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_image_is_built_on_the_sdk_and_runs_on_aspnet_as_a_user_that_is_not_root()
    {
        Dockerfile dockerfile = Dockerfile.Load();
        Assert.True(dockerfile.Stages.Count >= 2, "deploy/Dockerfile is not multi-stage.");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", dockerfile.Stages[0].Image);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile.Runtime.Image);
        Assert.False(string.IsNullOrEmpty(dockerfile.Runtime.User), "The runtime stage runs as root.");
        Assert.DoesNotContain(dockerfile.Runtime.User, new[] { "root", "0", "0:0" });
        Assert.Contains("Telemetry.dll", dockerfile.Runtime.Entrypoint, StringComparison.Ordinal);

        // The pod insists on it: a non-root, numeric user (the aspnet image's APP_UID).
        Manifest deployment = _manifests.Single("Deployment");
        YamlNode? security = deployment.Root.Get("spec", "template", "spec", "securityContext");
        Assert.Equal("true", security.Get("runAsNonRoot").Text());
        Assert.True(int.TryParse(security.Get("runAsUser").Text(), CultureInfo.InvariantCulture, out int uid) && uid > 0, "runAsUser is not a non-zero number.");
    }

    [Fact]
    public void The_grace_period_covers_the_prestop_sleep_and_the_whole_drain()
    {
        Manifest deployment = _manifests.Single("Deployment");
        YamlNode container = Containers(deployment).First();
        int grace = int.Parse(deployment.Root.Get("spec", "template", "spec", "terminationGracePeriodSeconds").Text() ?? "30", CultureInfo.InvariantCulture);

        Dictionary<string, string> environment = _manifests.EnvironmentOf(container);
        Assert.True(environment.TryGetValue("DOTNET_SHUTDOWNTIMEOUTSECONDS", out string? shutdown), "DOTNET_SHUTDOWNTIMEOUTSECONDS is not set: the host's default applies, unstated.");
        int shutdownSeconds = int.Parse(shutdown, CultureInfo.InvariantCulture);

        YamlNode? preStop = container.Get("lifecycle", "preStop");
        Assert.True(preStop is not null, "No preStop hook: the pod may get SIGTERM while the Service still sends it connections.");
        int sleepSeconds = PreStopSleepSeconds(preStop);
        Assert.True(sleepSeconds > 0, "The preStop hook does not sleep.");

        double needed = sleepSeconds + shutdownSeconds + LoopGroup.StopGrace.TotalSeconds;
        Assert.True(grace > needed, $"terminationGracePeriodSeconds {grace} does not exceed preStop {sleepSeconds} s + shutdown timeout {shutdownSeconds} s + loop stop grace {LoopGroup.StopGrace.TotalSeconds} s.");
    }

    [Fact]
    public void The_autoscaler_scales_the_deployment_on_a_gauge_the_app_exports()
    {
        Manifest deployment = _manifests.Single("Deployment");
        Manifest autoscaler = _manifests.Single("HorizontalPodAutoscaler");
        YamlNode? target = autoscaler.Root.Get("spec", "scaleTargetRef");
        Assert.Equal("apps/v1", target.Get("apiVersion").Text());
        Assert.Equal("Deployment", target.Get("kind").Text());
        Assert.Equal(deployment.Name, target.Get("name").Text());

        int min = int.Parse(autoscaler.Root.Get("spec", "minReplicas").Text() ?? "1", CultureInfo.InvariantCulture);
        int max = int.Parse(autoscaler.Root.Get("spec", "maxReplicas").Text()!, CultureInfo.InvariantCulture);
        Assert.InRange(min, 1, max);

        Dictionary<string, string> gauges = TelemetryInstruments().Where(i => i.Value == "gauge").ToDictionary(i => PrometheusName(i.Key), i => i.Key);
        YamlNode[] metrics = autoscaler.Root.Get("spec", "metrics").Items().ToArray();
        Assert.NotEmpty(metrics);
        foreach (YamlNode metric in metrics)
        {
            Assert.Equal("Pods", metric.Get("type").Text());
            string? name = metric.Get("pods", "metric", "name").Text();
            Assert.True(name is not null && gauges.ContainsKey(name), $"The autoscaler's metric {name} is none of docs/telemetry.md's gauges in Prometheus form: {string.Join(", ", gauges.Keys)}.");
            Assert.Equal("AverageValue", metric.Get("pods", "target", "type").Text());
            long averageMillis = Quantities.Millicores(metric.Get("pods", "target", "averageValue").Text()!);
            Assert.InRange(averageMillis, 1, 999); // a utilization, between 0 and 1
        }
    }

    [Fact]
    public void The_disruption_budget_covers_the_deployment_and_leaves_pods_serving()
    {
        Manifest deployment = _manifests.Single("Deployment");
        Manifest budget = _manifests.Single("PodDisruptionBudget");
        Assert.True(Selects(budget.Root.Get("spec", "selector", "matchLabels"), deployment), "The budget's selector does not match the pod template's labels.");
        int replicas = int.Parse(deployment.Root.Get("spec", "replicas").Text() ?? "1", CultureInfo.InvariantCulture);
        int minReplicas = int.Parse(_manifests.Single("HorizontalPodAutoscaler").Root.Get("spec", "minReplicas").Text() ?? "1", CultureInfo.InvariantCulture);
        int maxUnavailable = int.Parse(budget.Root.Get("spec", "maxUnavailable").Text() ?? "0", CultureInfo.InvariantCulture);
        Assert.InRange(maxUnavailable, 1, Math.Min(replicas, minReplicas) - 1);
    }

    [Fact]
    public void Every_interlude_setting_in_the_environment_names_a_loop_group_option()
    {
        YamlNode container = Containers(_manifests.Single("Deployment")).First();
        string[] keys = _manifests.EnvironmentOf(container).Keys.Where(k => k.StartsWith("Interlude__", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(keys);
        foreach (string key in keys)
        {
            Type type = typeof(LoopGroupOptions);
            foreach (string segment in key.Split("__")[1..])
            {
                if (int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _) && type.IsGenericType)
                {
                    type = type.GetGenericArguments()[0]; // an index into a list, such as Interlude__Cores__0
                    continue;
                }

                PropertyInfo? property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                Assert.True(property is { CanWrite: true }, $"{key}: {type.Name} has no settable property {segment}.");
                type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            }

            Assert.True(type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan) || type == typeof(string) || type.IsGenericType, $"{key} names {type.Name}, a section rather than a value.");
        }
    }

    internal static IEnumerable<YamlNode> Containers(Manifest deployment) => deployment.Root.Get("spec", "template", "spec", "containers").Items();

    internal static int ContainerPort(YamlNode container)
    {
        YamlNode port = Assert.Single(container.Get("ports").Items());
        return int.Parse(port.Get("containerPort").Text()!, CultureInfo.InvariantCulture);
    }

    /// <summary>A probe's or Service's port: a number, or the name of one of the container's ports.</summary>
    internal static int ResolvePort(YamlNode container, string? port)
    {
        Assert.NotNull(port);
        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        YamlNode named = Assert.Single(container.Get("ports").Items(), p => p.Get("name").Text() == port);
        return int.Parse(named.Get("containerPort").Text()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The seconds of the preStop hook's sleep: the sleep action, or an exec of sleep N.</summary>
    internal static int PreStopSleepSeconds(YamlNode? preStop)
    {
        if (preStop.Get("sleep", "seconds").Text() is string seconds)
        {
            return int.Parse(seconds, CultureInfo.InvariantCulture);
        }

        string[] command = preStop.Get("exec", "command").Items().Select(n => n.Text() ?? string.Empty).ToArray();
        Match match = SleepCommand().Match(string.Join(' ', command));
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>docs/telemetry.md's instrument table: name to kind.</summary>
    internal static Dictionary<string, string> TelemetryInstruments()
    {
        var instruments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in InstrumentRow().Matches(Repository.Read("docs/telemetry.md")))
        {
            instruments[row.Groups[1].Value] = row.Groups[2].Value;
        }

        Assert.NotEmpty(instruments);
        return instruments;
    }

    /// <summary>An instrument's name as OpenTelemetry's Prometheus exporter writes a gauge's: dots become underscores.</summary>
    internal static string PrometheusName(string instrument) => instrument.Replace('.', '_');

    private static bool Selects(YamlNode? selector, Manifest deployment)
    {
        YamlNode? labels = deployment.Root.Get("spec", "template", "metadata", "labels");
        (string Key, YamlNode Value)[] wanted = selector.Entries().ToArray();
        return wanted.Length > 0 && wanted.All(entry => labels.Get(entry.Key).Text() == entry.Value.Text());
    }

    private static int ProbeWindowSeconds(YamlNode? probe)
        => int.Parse(probe.Get("periodSeconds").Text() ?? "10", CultureInfo.InvariantCulture)
            * int.Parse(probe.Get("failureThreshold").Text() ?? "3", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\| `(interlude\.[a-z0-9_.]+)` \| ([a-z -]+?) \|", RegexOptions.Multiline)]
    private static partial Regex InstrumentRow();

    [GeneratedRegex(@"\bsleep\s+(\d+)")]
    private static partial Regex SleepCommand();
}
