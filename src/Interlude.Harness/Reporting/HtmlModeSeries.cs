using System.Globalization;
using Interlude.Harness.Measurement;

namespace Interlude.Harness.Reporting;

/// <summary>
/// Groups results into the report's series: one per mode and CPU work asked for, in the order they first appear,
/// so a mode keeps its colour, marker and label in every chart. N is not part of the key: a sweep raises N with L
/// to keep the cores busy, and that is still one line per mode.
/// </summary>
public sealed class HtmlModeSeries
{
    private readonly List<(string Mode, double CpuUs)> _keys = [];
    private readonly List<string> _titles = [];
    private readonly List<double> _configurations = [];
    private readonly IReadOnlyList<RunResult> _results;

    private HtmlModeSeries(IReadOnlyList<RunResult> results)
    {
        _results = results;
        foreach (RunResult result in results)
        {
            if (!_configurations.Contains(result.Workload.CpuUs))
            {
                _configurations.Add(result.Workload.CpuUs);
            }

            if (!_keys.Contains(KeyOf(result)))
            {
                _keys.Add(KeyOf(result));
                _titles.Add(result.Title);
            }
        }
    }

    /// <summary>The distinct amounts of CPU work asked for; a sweep over L alone has one.</summary>
    public IReadOnlyList<double> Configurations => _configurations;

    public static HtmlModeSeries From(IReadOnlyList<RunResult> results) => new(results);

    /// <summary>Says which configuration a label belongs to, only where there is more than one to tell apart.</summary>
    public string ConfigurationSuffix(double cpuUs)
        => _configurations.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $" (c = {cpuUs:G} us)") : string.Empty;

    public int IndexOf(RunResult result) => _keys.IndexOf(KeyOf(result));

    public string LabelOf(RunResult result)
    {
        int index = IndexOf(result);
        string title = index >= 0 ? _titles[index] : result.Title;
        return title + ConfigurationSuffix(result.Workload.CpuUs);
    }

    /// <summary>One line per series of <paramref name="value"/> against the offload latency, leaving out results without it.</summary>
    public List<SvgSeries> Lines(Func<RunResult, double?> value)
    {
        var lines = new List<SvgSeries>(_keys.Count);
        for (int i = 0; i < _keys.Count; i++)
        {
            (string Mode, double CpuUs) key = _keys[i];
            List<(double X, double Y)> points = _results
                .Where(r => KeyOf(r) == key)
                .Select(r => (X: r.Workload.OffloadUs, Y: value(r)))
                .Where(p => p.Y is not null)
                .Select(p => (p.X, p.Y!.Value))
                .OrderBy(p => p.X)
                .ToList();
            lines.Add(new SvgSeries(_titles[i] + ConfigurationSuffix(key.CpuUs), SvgPalette.Color(i), points, SvgPalette.Marker(i)));
        }

        return lines;
    }

    private static (string Mode, double CpuUs) KeyOf(RunResult result) => (result.Mode, result.Workload.CpuUs);
}
