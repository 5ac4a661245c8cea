using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// Scores the same rows (4096, lengths uniform in 5..100, seeded) four ways; one benchmark operation is one full pass.
/// </summary>
public class ScoringBenchmarks
{
    private long[][] rows = null!;
    private RnnSequenceModel model = null!;
    private byte[] onnx = null!;
    private MLContext mlContext = null!;
    private IDataView data = null!;
    private ITransformer stockTransformer = null!;
    private ITransformer rnnTransformer = null!;
    private InferenceSession session = null!;
    private string onnxPath = null!;

    /// <summary>Which reference model to score.</summary>
    [ParamsAllValues]
    public ReferenceModelKind Model { get; set; }

    /// <summary>Rows per pass.</summary>
    public static int RowCount => BenchmarkSettings.Dry ? 64 : 4096;

    internal long Tokens => BenchmarkData.TokenCount(rows);

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkSettings.Threads);
        rows = BenchmarkData.Rows(RowCount, ReferenceModel.VocabSize, 5, 100, seed: 7);
        model = ReferenceModel.Create(Model);
        onnx = ReferenceModel.Onnx(model);

        mlContext = new MLContext(seed: 0);
        data = mlContext.Data.LoadFromEnumerable(rows.Select(r => new TokenRow { Ids = r, Lengths = [r.Length] }));

        // Stock ML.NET: ApplyOnnxModel feeds one row per ONNX Runtime call.
        onnxPath = Path.Combine(Path.GetTempPath(), $"mlnetrnn-bench-{Model}-{Environment.ProcessId}.onnx");
        File.WriteAllBytes(onnxPath, onnx);
        stockTransformer = mlContext.Transforms.ApplyOnnxModel(
                outputColumnNames: ["probabilities"], inputColumnNames: ["input_ids", "lengths"], modelFile: onnxPath,
                shapeDictionary: null, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100)
            .Fit(data);

        rnnTransformer = CreateRnnTransformer(mlContext, onnx, data);

        // Every path must compute the same thing, or the timings compare nothing.
        var stock = Column(stockTransformer.Transform(data), "probabilities");
        var ours = Column(rnnTransformer.Transform(data), "Score");
        double worst = stock.Zip(ours, (a, b) => Math.Abs(a - b)).Max();
        if (worst > 1e-4)
            throw new InvalidOperationException($"Stock ApplyOnnxModel and the MlNetRnn transformer disagree by {worst} on P(class 1).");

        using var options = new SessionOptions { IntraOpNumThreads = BenchmarkSettings.Threads, InterOpNumThreads = 1 };
        session = new InferenceSession(onnx, options);
    }

    [Benchmark(Baseline = true, Description = "stock ApplyOnnxModel (row per call)")]
    public float StockApplyOnnxModel() => Drain(stockTransformer.Transform(data), "probabilities");

    [Benchmark(Description = "ONNX Runtime direct, one sequence per call")]
    public float OrtOneSequenceAtATime()
    {
        float sum = 0;
        var lengths = new long[1];
        using var runOptions = new RunOptions();
        string[] inputNames = ["input_ids", "lengths"], outputNames = ["probabilities"];
        foreach (var row in rows)
        {
            lengths[0] = row.Length;
            using var ids = OrtValue.CreateTensorValueFromMemory(row, [1, row.Length]);
            using var len = OrtValue.CreateTensorValueFromMemory(lengths, [1]);
            using var results = session.Run(runOptions, inputNames, [ids, len], outputNames);
            sum += results[0].GetTensorDataAsSpan<float>()[1];
        }
        return sum;
    }

    [Benchmark(Description = "TorchSharp eager, packed batches of 64")]
    public float TorchSharpEagerPacked64()
    {
        float sum = 0;
        using var noGrad = torch.no_grad();
        for (int start = 0; start < rows.Length; start += 64)
        {
            using var scope = torch.NewDisposeScope();
            var batch = rows.AsSpan(start, Math.Min(64, rows.Length - start)).ToArray();
            int T = batch.Max(r => r.Length);
            var ids = new long[T * batch.Length];
            for (int b = 0; b < batch.Length; b++)
                for (int t = 0; t < batch[b].Length; t++)
                    ids[t * batch.Length + b] = batch[b][t];
            var output = model.forward(torch.tensor(ids, [T, batch.Length]), torch.tensor(batch.Select(r => (long)r.Length).ToArray()));
            sum += output.Logits.softmax(-1)[.., 1].sum().item<float>();
        }
        return sum;
    }

    [Benchmark(Description = "MlNetRnn transformer (IDataView pass)")]
    public float MlNetRnnTransformer() => Drain(rnnTransformer.Transform(data), "Score");

    /// <summary>The transformer under test, with its defaults (batch 64, one intra-op thread per concurrent batch).</summary>
    internal static ITransformer CreateRnnTransformer(MLContext mlContext, byte[] onnx, IDataView data) =>
        mlContext.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = onnx, InputColumnName = "input_ids" }).Fit(data);

    [GlobalCleanup]
    public void Cleanup()
    {
        session.Dispose();
        (rnnTransformer as IDisposable)?.Dispose();
        (stockTransformer as IDisposable)?.Dispose();
        model.Dispose();
        File.Delete(onnxPath);
    }

    private static List<float> Column(IDataView output, string column)
    {
        var col = output.Schema[column];
        using var cursor = output.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        var result = new List<float>();
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.GetValues()[1]);
        }
        return result;
    }

    internal static float Drain(IDataView output, string column)
    {
        var col = output.Schema[column];
        using var cursor = output.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        float sum = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            sum += value.GetValues()[1];
        }
        return sum;
    }

    private sealed class TokenRow
    {
        [ColumnName("input_ids")]
        public long[] Ids { get; set; } = [];

        [ColumnName("lengths"), VectorType(1)]
        public long[] Lengths { get; set; } = [];
    }
}
