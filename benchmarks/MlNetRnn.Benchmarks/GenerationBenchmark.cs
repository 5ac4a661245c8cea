using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Generation;
using TorchSharp;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// The <c>generate</c> suite: rows/s of the batched generation transformer (<c>BatchSize</c> rows decoded together, all their
/// beams in one decoder-step call per time step) against decoding one row at a time through ONNX Runtime (the same
/// transformer with <c>BatchSize</c> 1: one row's beams per call), on the same package, rows and beam size. Both must give
/// identical texts and log-probabilities before anything is timed. Best of 3 passes after a warm-up pass.
/// </summary>
/// <remarks>
/// Without <c>--package PATH</c> two packages are exported from untrained encoder–decoders, one G2P-sized and one small
/// (random weights: the decoded sequences are meaningless, but the work per step is that of a real model of that size;
/// generated lengths are printed).
/// </remarks>
internal static class GenerationBenchmark
{
    private const int BeamSize = 4;
    private const int MaxLength = 20;
    private const double LogProbabilityTolerance = 1e-3;

    internal static string Run(string[] args)
    {
        int at = Array.IndexOf(args, "--package");
        if (at >= 0 && at + 1 < args.Length)
            return Run(File.ReadAllBytes(args[at + 1]), $"package {args[at + 1]}");
        string small = Run(RandomPackage(embedding: 16, hidden: 32, layers: 1), "untrained small package (random weights; LSTM, embedding 16, hidden 32, 1+1 layer, bidirectional encoder, attention)");
        return Run(RandomPackage(embedding: 64, hidden: 256, layers: 2), "untrained G2P-sized package (random weights; LSTM, embedding 64, hidden 256, 2+2 layers, bidirectional encoder, attention)")
            + Environment.NewLine + small;
    }

    private static string Run(byte[] package, string source)
    {
        var words = Words(BenchmarkSettings.Dry ? 8 : 512);
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(words.Select(w => new WordRow { Text = w }).ToList());

        var results = new List<(string Path, int Threads, double RowsPerSecond, double CpuMsPerRow)>();
        (string[] Texts, float[] LogProbabilities)? reference = null;
        double generatedTokens = 0;
        int two = BenchmarkSettings.Threads;
        (string Path, int BatchSize, int Concurrency, int Threads)[] paths =
        [
            ("one row at a time", 1, 1, 1), ("one row at a time", 1, 1, two),
            ("batched, 64 rows", 64, 1, 1), ("batched, 64 rows", 64, 1, two),
            ($"batched, 64 rows, {two} batches at a time", 64, two, 1), ($"batched, 16 rows, {two} batches at a time", 16, two, 1),
        ];
        foreach (var (path, batchSize, concurrency, threads) in paths)
        {
            using var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions
            {
                PackageBytes = package, BeamSize = BeamSize, MaxLength = MaxLength, BatchSize = batchSize, WindowSize = Math.Max(batchSize, 256), Concurrency = concurrency, IntraOpThreads = threads,
            }).Fit(data);
            var outputs = Generate(transformer, data);
            if (reference is null)
            {
                reference = outputs;
                generatedTokens = outputs.Texts.Average(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
            }
            else
            {
                // ONNX Runtime's kernels may round differently at other batch sizes, so log-probabilities are compared with a tolerance.
                int differentTexts = outputs.Texts.Zip(reference.Value.Texts).Count(p => p.First != p.Second);
                double maxDelta = outputs.LogProbabilities.Zip(reference.Value.LogProbabilities).Max(p => Math.Abs(p.First - p.Second));
                if (differentTexts > 0 || maxDelta > LogProbabilityTolerance)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"Generation benchmark: '{path}' with {threads} threads generates differently from '{paths[0].Path}': {differentTexts} of {words.Length} texts differ, largest |Δ log-probability| {maxDelta:G3}; nothing would be comparable."));
                }
            }

            double best = double.MaxValue, bestCpu = double.MaxValue;
            for (int pass = 0; pass < (BenchmarkSettings.Dry ? 1 : 3); pass++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                Generate(transformer, data);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                bestCpu = Math.Min(bestCpu, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
            }

            results.Add((path, threads, words.Length / best, bestCpu / words.Length));
        }

        double baseline = results[0].RowsPerSecond;
        var table = new System.Text.StringBuilder();
        table.AppendLine(MachineInfo.Header($"beam {BeamSize}, max length {MaxLength}, {words.Length} words of 3–12 letters, {generatedTokens:F1} tokens generated per row on average"));
        table.AppendLine(CultureInfo.InvariantCulture, $"Generation ({source}); texts of every path checked identical and log-probabilities within {LogProbabilityTolerance:G} before timing.");
        table.AppendLine(CultureInfo.InvariantCulture, $"The transformer's defaults are BatchSize 64, Concurrency = processors ({Environment.ProcessorCount} here), IntraOpThreads 1. CPU ms/row: this process's CPU time per row (best pass; comparable on a shared machine, where rows/s are not).");
        table.AppendLine();
        table.AppendLine("| Path | ONNX Runtime intra-op threads per batch | rows/s | × one row at a time, 1 thread | CPU ms/row |");
        table.AppendLine("|---|---|---|---|---|");
        foreach (var (path, threads, rate, cpu) in results)
            table.AppendLine(CultureInfo.InvariantCulture, $"| {path} | {threads} | {rate:F1} | {rate / baseline:F2} | {cpu:F2} |");
        return table.ToString();
    }

    private static (string[] Texts, float[] LogProbabilities) Generate(ITransformer transformer, IDataView data)
    {
        var scored = transformer.Transform(data);
        return (scored.GetColumn<string>("GeneratedText").ToArray(), scored.GetColumn<float>("GeneratedLogProbability").ToArray());
    }

    private static string[] Words(int count)
    {
        var random = new Random(17);
        return Enumerable.Range(0, count)
            .Select(_ => new string(Enumerable.Range(0, random.Next(3, 13)).Select(_ => (char)('a' + random.Next(26))).ToArray()))
            .ToArray();
    }

    private static byte[] RandomPackage(int embedding, int hidden, int layers)
    {
        var source = Vocabulary.FromTokens([Vocabulary.PadToken, Vocabulary.UnkToken, .. "abcdefghijklmnopqrstuvwxyz'".Select(c => c.ToString())],
            new TokenizationSettings(TokenizationLevel.Character, lowercase: true));
        var target = TargetVocabulary.FromTokens(Enumerable.Range(0, 39).Select(i => $"P{i}"), " ");
        bool dry = BenchmarkSettings.Dry;
        torch.manual_seed(1);
        using var model = new EncoderDecoderModel(new EncoderDecoderConfig(RnnCellType.Lstm, source.Count, target.Count,
            dry ? 8 : embedding, dry ? 16 : hidden, EncoderLayers: layers, DecoderLayers: layers, Bidirectional: true, Attention: true));
        model.eval();
        return GeneratorExporter.Export(model, source, target, new GeneratorExportOptions { MaxSourceLength = 12, MaxTargetLength = MaxLength });
    }

    private sealed class WordRow
    {
        public string Text { get; set; } = "";
    }
}
