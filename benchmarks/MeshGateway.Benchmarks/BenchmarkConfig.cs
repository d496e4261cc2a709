using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Reports;

namespace MeshGateway.Benchmarks;

/// <summary>
/// The configuration every benchmark runs with: allocations measured, ratios to each class's own baseline shown
/// (no joined summary, so a ratio never compares rows of different classes), GitHub Markdown exported (the default
/// exporters already include it).
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(RankColumn.Arabic)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend))
            .WithOptions(ConfigOptions.DisableLogFile);
}
