using System.Globalization;
using System.Text;
using BenchmarkDotNet.Reports;

namespace MlNetRnn.Benchmarks;

/// <summary>Turns BenchmarkDotNet's times into the figures the README quotes: tokens/s, ratios and GFLOP/s, all from one run.</summary>
internal sealed class ResultsReport
{
    public Summary? Sgemm { get; set; }
    public Summary? Scoring { get; set; }
    public Summary? Training { get; set; }
    public ScoringMemory.Result? Memory { get; set; }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.AppendLine();
        sb.AppendLine(inv, $"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; {BenchmarkSettings.Threads} threads per engine{(BenchmarkSettings.Dry ? " — DRY RUN, numbers meaningless" : "")}.");
        sb.AppendLine();

        double sgemmGflops = double.NaN;
        if (Sgemm is not null && MeanSeconds(Sgemm, nameof(SgemmBenchmark.Sgemm), null) is double s)
        {
            int n = BenchmarkSettings.Dry ? 256 : 2048;
            sgemmGflops = SgemmBenchmark.Flops(n) / s / 1e9;
            sb.AppendLine(inv, $"SGEMM {n}³ through TorchSharp: **{sgemmGflops:F1} GFLOP/s** (the machine's fp32 ceiling).");
            sb.AppendLine();
        }

        if (Scoring is not null)
        {
            long tokens = BenchmarkData.TokenCount(BenchmarkData.Rows(ScoringBenchmarks.RowCount, ReferenceModel.VocabSize, 5, 100, seed: 7));
            sb.AppendLine(inv, $"Scoring {ScoringBenchmarks.RowCount} rows ({tokens} tokens, lengths uniform 5..100):");
            sb.AppendLine();
            sb.AppendLine("| model | method | tokens/s | × stock | × TorchSharp eager | useful GFLOP/s | % of SGEMM |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|");
            foreach (var kind in Enum.GetValues<ReferenceModelKind>())
            {
                string model = kind.ToString();
                double? Tps(string method) => MeanSeconds(Scoring, method, model) is double sec ? tokens / sec : null;
                double? stock = Tps(nameof(ScoringBenchmarks.StockApplyOnnxModel));
                double? eager = Tps(nameof(ScoringBenchmarks.TorchSharpEagerPacked64));
                foreach (var method in new[] { nameof(ScoringBenchmarks.StockApplyOnnxModel), nameof(ScoringBenchmarks.OrtOneSequenceAtATime), nameof(ScoringBenchmarks.TorchSharpEagerPacked64), nameof(ScoringBenchmarks.MlNetRnnTransformer) })
                {
                    if (Tps(method) is not double tps)
                        continue;
                    double gflops = tps * ReferenceModel.FlopsPerToken(kind) / 1e9;
                    sb.AppendLine(inv, $"| {model} | {method} | {tps:N0} | {Ratio(tps, stock)} | {Ratio(tps, eager)} | {gflops:F1} | {100 * gflops / sgemmGflops:F0} % |");
                }
            }
            sb.AppendLine();
        }

        if (Training is not null)
        {
            long tokens = LmTrainingBenchmarks.TokensPerOperation;
            double? bare = MeanSeconds(Training, nameof(LmTrainingBenchmarks.BareTorchSharpLoop), null) is double b ? tokens / b : null;
            double? ours = MeanSeconds(Training, nameof(LmTrainingBenchmarks.MlNetRnnTrainer), null) is double o ? tokens / o : null;
            sb.AppendLine(inv, $"Character LM training (2 LSTM layers × 256, batch 64 × {LmTrainingBenchmarks.ChunkLength} steps, Adam, clip 5):");
            sb.AppendLine();
            sb.AppendLine("| loop | tokens/s | × bare loop |");
            sb.AppendLine("|---|---:|---:|");
            if (bare is double bt)
                sb.AppendLine(inv, $"| bare TorchSharp forward/backward/step | {bt:N0} | 1.00 |");
            if (ours is double ot)
                sb.AppendLine(inv, $"| MlNetRnn LanguageModelTrainer | {ot:N0} | {Ratio(ot, bare)} |");
            sb.AppendLine();
        }

        if (Memory is { } m)
        {
            sb.AppendLine(inv, $"Peak working set while scoring (MlNetRnn transformer, Lstm256): {m.Rows1:N0} rows → {m.Peak1 / 1e6:F0} MB, {m.Rows10:N0} rows → {m.Peak10 / 1e6:F0} MB (baseline before scoring {m.Baseline / 1e6:F0} MB).");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static string Ratio(double value, double? reference) =>
        reference is double r && r > 0 ? (value / r).ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static double? MeanSeconds(Summary summary, string method, string? model)
    {
        foreach (var report in summary.Reports)
        {
            var bc = report.BenchmarkCase;
            if (bc.Descriptor.WorkloadMethod.Name != method)
                continue;
            if (model is not null && bc.Parameters["Model"]?.ToString() != model)
                continue;
            if (report.ResultStatistics is { } stats)
                return stats.Mean / 1e9;
        }
        return null;
    }
}
