using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace MlNetRnn.Benchmarks;

/// <summary>Turns BenchmarkDotNet's times into the figures the README quotes: tokens/s, ratios and GFLOP/s, all from one run.</summary>
internal sealed class ResultsReport
{
    public Summary? MatMul { get; set; }
    public Summary? Scoring { get; set; }
    public Summary? Training { get; set; }
    public ScoringMemory.Result[]? Memory { get; set; }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        if (Scoring is not null)
            AppendScoring(sb, Scoring);
        if (Training is not null)
            AppendTraining(sb, Training);
        if (Memory is { } memory)
            AppendMemory(sb, memory);
        return sb.ToString();
    }

    private void AppendScoring(StringBuilder sb, Summary scoring)
    {
        string ceilingLabel = $"% of ORT MatMul {OrtMatMulBenchmark.Size}³, {BenchmarkSettings.Threads} threads";
        double ceiling = MatMul is not null && MeanSeconds(MatMul, nameof(OrtMatMulBenchmark.MatMul)) is double s
            ? OrtMatMulBenchmark.FlopsPerOperation / s / 1e9
            : double.NaN;
        sb.AppendLine(MachineInfo.Header($"thread budget {BenchmarkSettings.Threads} per engine, every path timed at 1 and {BenchmarkSettings.Threads} threads per call"));
        sb.AppendLine();
        sb.AppendLine(Inv, $"ONNX Runtime MatMul {OrtMatMulBenchmark.Size}³ (fp32, intra-op {BenchmarkSettings.Threads}), measured in this run: **{ceiling:F1} GFLOP/s** — the reference of the \"{ceilingLabel}\" column.");
        sb.AppendLine(MachineInfo.PeakFormula());
        sb.AppendLine();

        var rows = ScoringBenchmarks.Rows();
        sb.AppendLine(Inv, $"Scoring {rows.Length} rows ({BenchmarkData.TokenCount(rows)} tokens, lengths uniform 5..100). Before timing, every path at every thread setting scored all rows and was compared with {ScoringPaths.Reference.Path} ({ScoringPaths.ThreadsLabel(ScoringPaths.Reference.Path, ScoringPaths.Reference.Threads)}); the run stops if any P(class 1) differs by more than {ScoringPaths.Tolerance:G}.");
        sb.AppendLine();
        sb.AppendLine($"| model | method | threads | tokens/s | × stock (best) | × TorchSharp (best) | useful GFLOP/s | {ceilingLabel} | max \\|ΔP\\| vs stock |");
        sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        long tokens = BenchmarkData.TokenCount(rows);
        foreach (var kind in Enum.GetValues<ReferenceModelKind>())
        {
            double? Tps(ScoringPath path, int threads) =>
                MeanSeconds(scoring, path.ToString(), ("Model", kind.ToString()), ("threads", threads.ToString(Inv))) is double sec ? tokens / sec : null;
            double? Best(ScoringPath path) => ScoringPaths.ThreadSettings.Select(t => Tps(path, t)).Max();
            double? stock = Best(ScoringPath.StockApplyOnnxModel), eager = Best(ScoringPath.TorchSharpSortedBatches);
            ScoringBenchmarks.Agreement.TryGetValue(kind, out var agreement);
            foreach (var path in Enum.GetValues<ScoringPath>())
                foreach (int threads in ScoringPaths.ThreadSettings)
                {
                    if (Tps(path, threads) is not double tps)
                        continue;
                    double gflops = tps * ReferenceModel.FlopsPerToken(kind) / 1e9;
                    string delta = agreement?.TryGetValue((path, threads), out double d) == true ? d.ToString("0.0E+0", Inv) : "–";
                    sb.AppendLine(Inv, $"| {kind} | {path} | {ScoringPaths.ThreadsLabel(path, threads)} | {tps:N0} | {Ratio(tps, stock)} | {Ratio(tps, eager)} | {gflops:F1} | {100 * gflops / ceiling:F0} % | {delta} |");
                }
        }
        sb.AppendLine();
    }

    private static void AppendTraining(StringBuilder sb, Summary training)
    {
        long tokens = LmTrainingBenchmarks.TokensPerOperation;
        double? bare = MeanSeconds(training, nameof(LmTrainingBenchmarks.BareTorchSharpLoop)) is double b ? tokens / b : null;
        double? ours = MeanSeconds(training, nameof(LmTrainingBenchmarks.MlNetRnnTrainer)) is double o ? tokens / o : null;
        sb.AppendLine(MachineInfo.Header($"torch {BenchmarkSettings.Threads} threads for both loops"));
        sb.AppendLine();
        sb.AppendLine(Inv, $"Character LM training (2 LSTM layers × 256, batch 64 × {LmTrainingBenchmarks.ChunkLength} steps, Adam, clip 5):");
        sb.AppendLine();
        sb.AppendLine("| loop | threads | tokens/s | × bare loop |");
        sb.AppendLine("|---|---|---:|---:|");
        if (bare is double bt)
            sb.AppendLine(Inv, $"| bare TorchSharp forward/backward/step | torch {BenchmarkSettings.Threads} threads | {bt:N0} | 1.00 |");
        if (ours is double ot)
            sb.AppendLine(Inv, $"| MlNetRnn LanguageModelTrainer | torch {BenchmarkSettings.Threads} threads | {ot:N0} | {Ratio(ot, bare)} |");
        sb.AppendLine();
    }

    private static void AppendMemory(StringBuilder sb, ScoringMemory.Result[] memory)
    {
        sb.AppendLine(MachineInfo.Header("MlNetRnn transformer defaults, one child process per figure"));
        sb.AppendLine();
        sb.AppendLine("Peak working set while the MlNetRnn transformer scores the Lstm256 model (rows streamed; each line from its own process that only loads the model and scores):");
        sb.AppendLine();
        sb.AppendLine("| rows | working set, scorer ready | peak working set after scoring |");
        sb.AppendLine("|---:|---:|---:|");
        foreach (var m in memory)
            sb.AppendLine(Inv, $"| {m.Rows:N0} | {m.Ready / 1e6:F0} MB | {m.Peak / 1e6:F0} MB |");
        sb.AppendLine();
    }

    private static string Ratio(double value, double? reference) =>
        reference is double r && r > 0 ? (value / r).ToString("F2", Inv) : "–";

    /// <summary>Mean time in seconds of <paramref name="method"/> with the given parameter and argument values.</summary>
    private static double? MeanSeconds(Summary summary, string method, params (string Name, string Value)[] parameters)
    {
        foreach (var report in summary.Reports)
        {
            var bc = report.BenchmarkCase;
            if (bc.Descriptor.WorkloadMethod.Name != method)
                continue;
            if (parameters.Any(p => bc.Parameters[p.Name]?.ToString() != p.Value))
                continue;
            if (report.ResultStatistics is { } stats)
                return stats.Mean / 1e9;
        }
        return null;
    }
}
