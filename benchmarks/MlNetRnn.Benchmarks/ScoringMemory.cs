using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// Peak working set while the transformer scores N rows and then 10 N rows, streamed from a generator so only the scorer's
/// own memory can grow. The process peak only rises, so a flat scorer shows the same peak after the 10× pass.
/// </summary>
internal static class ScoringMemory
{
    internal sealed record Result(long Baseline, int Rows1, long Peak1, int Rows10, long Peak10);

    internal static Result Measure()
    {
        int rows1 = BenchmarkSettings.Dry ? 64 : 4096;
        var mlContext = new MLContext(seed: 0);
        using var model = ReferenceModel.Create(ReferenceModelKind.Lstm256);
        byte[] onnx = ReferenceModel.Onnx(model);

        var schemaSample = mlContext.Data.LoadFromEnumerable(Stream(1));
        var transformer = ScoringBenchmarks.CreateRnnTransformer(mlContext, onnx, schemaSample);
        try
        {
            long baseline = PeakWorkingSet();
            Drain(transformer.Transform(mlContext.Data.LoadFromEnumerable(Stream(rows1))));
            long peak1 = PeakWorkingSet();
            Drain(transformer.Transform(mlContext.Data.LoadFromEnumerable(Stream(10 * rows1))));
            long peak10 = PeakWorkingSet();
            return new Result(baseline, rows1, peak1, 10 * rows1, peak10);
        }
        finally
        {
            (transformer as IDisposable)?.Dispose();
        }
    }

    private static IEnumerable<Row> Stream(int count)
    {
        var random = new Random(11);
        for (int i = 0; i < count; i++)
        {
            var ids = new long[random.Next(5, 101)];
            for (int t = 0; t < ids.Length; t++)
                ids[t] = random.Next(2, ReferenceModel.VocabSize);
            yield return new Row { Ids = ids };
        }
    }

    private static void Drain(IDataView output) => ScoringBenchmarks.Drain(output, "Score");

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    private sealed class Row
    {
        [ColumnName("input_ids")]
        public long[] Ids { get; set; } = [];
    }
}
