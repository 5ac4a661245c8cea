using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms;

namespace MlNetRnn.Benchmarks;

/// <summary>Quick sweep of the transformer's batch size and concurrency on both reference models (best of 3 passes each).</summary>
internal static class ScoringTuning
{
    internal static void Run()
    {
        var rows = ScoringBenchmarks.Rows();
        long tokens = BenchmarkData.TokenCount(rows);
        var mlContext = new MLContext(seed: 0);
        var data = mlContext.Data.LoadFromEnumerable(rows.Select(r => new Row { Ids = r }));
        foreach (var kind in Enum.GetValues<ReferenceModelKind>())
        {
            using var model = ReferenceModel.Create(kind);
            byte[] onnx = ReferenceModel.Onnx(model);
            foreach (int batch in new[] { 32, 64, 128, 256 })
                foreach (int concurrency in new[] { 1, 2 })
                    foreach (int threads in new[] { 1, 2 })
                    {
                        if (concurrency * threads > 2)
                            continue;
                        var options = new RnnScoringOptions { ModelBytes = onnx, InputColumnName = "input_ids", BatchSize = batch, Concurrency = concurrency, IntraOpThreads = threads };
                        using var transformer = mlContext.Transforms.ScoreRnn(options).Fit(data);
                        double best = double.MaxValue;
                        var scores = new float[rows.Length];
                        for (int i = 0; i < 3; i++)
                        {
                            var sw = Stopwatch.StartNew();
                            ScoringPaths.Read(transformer.Transform(data), "Score", scores);
                            best = Math.Min(best, sw.Elapsed.TotalSeconds);
                        }
                        Console.WriteLine($"{kind} batch {batch} concurrency {concurrency} threads {threads}: {tokens / best:N0} tok/s");
                    }
        }
    }

    private sealed class Row
    {
        [ColumnName("input_ids")]
        public long[] Ids { get; set; } = [];
    }
}
