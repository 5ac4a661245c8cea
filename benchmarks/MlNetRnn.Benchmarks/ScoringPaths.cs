using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms;
using MlNetRnn.Transforms.Batching;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// One reference model and its rows, scored by each <see cref="ScoringPath"/> at each thread setting into a P(class 1) per
/// row, in row order. The benchmarks time exactly these methods, and <see cref="CheckAgreement"/> compares their results.
/// </summary>
/// <remarks>
/// Thread settings: the argument <c>threads</c> is the threads one call may use, 1 or <see cref="BenchmarkSettings.Threads"/>.
/// ONNX Runtime paths: intra-op threads of the session. TorchSharp: <c>torch.set_num_threads</c>. The MlNetRnn transformer
/// always uses the whole budget: <c>Threads / threads</c> concurrent batches of <c>threads</c> intra-op threads each.
/// </remarks>
internal sealed class ScoringPaths : IDisposable
{
    /// <summary>Largest |ΔP(class 1)| allowed between any path and the reference on any row.</summary>
    internal const double Tolerance = 1e-4;

    /// <summary>Every path is timed at each of these thread settings (the benchmark methods' <c>[Arguments]</c>).</summary>
    internal static readonly int[] ThreadSettings = [1, BenchmarkSettings.Threads];

    /// <summary>What every other path is compared with: the status quo, stock ML.NET on one thread.</summary>
    internal static readonly (ScoringPath Path, int Threads) Reference = (ScoringPath.StockApplyOnnxModel, 1);

    private readonly long[][] rows;
    private readonly RnnSequenceModel model;
    private readonly string onnxPath;
    private readonly IDataView data;
    private readonly Dictionary<int, OnnxTransformer> stock = [];
    private readonly Dictionary<int, InferenceSession> sessions = [];
    private readonly Dictionary<int, RnnScoringTransformer> transformers = [];

    public ScoringPaths(ReferenceModelKind kind, long[][] rows)
    {
        this.rows = rows;
        Kind = kind;
        model = ReferenceModel.Create(kind);
        byte[] onnx = ReferenceModel.Onnx(model);
        var mlContext = new MLContext(seed: 0);
        data = mlContext.Data.LoadFromEnumerable(rows.Select(r => new TokenRow { Ids = r, Lengths = [r.Length] }));

        // Stock ApplyOnnxModel reads the model from a file only.
        onnxPath = Path.Combine(Path.GetTempPath(), $"mlnetrnn-bench-{kind}-{Environment.ProcessId}.onnx");
        File.WriteAllBytes(onnxPath, onnx);
        foreach (int threads in ThreadSettings)
        {
            stock[threads] = mlContext.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = onnxPath,
                InputColumns = ["input_ids", "lengths"],
                OutputColumns = ["probabilities"],
                IntraOpNumThreads = threads,
                InterOpNumThreads = 1,
                RecursionLimit = 100,
            }).Fit(data);
            using (var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 })
                sessions[threads] = new InferenceSession(onnx, options);
            transformers[threads] = mlContext.Transforms.ScoreRnn(new RnnScoringOptions
            {
                ModelBytes = onnx,
                InputColumnName = "input_ids",
                IntraOpThreads = threads,
                Concurrency = Math.Max(1, BenchmarkSettings.Threads / threads),
            }).Fit(data);
        }
    }

    public ReferenceModelKind Kind { get; }

    public int RowCount => rows.Length;

    /// <summary>How the <c>threads</c> argument is applied by <paramref name="path"/>, as the table prints it.</summary>
    internal static string ThreadsLabel(ScoringPath path, int threads) => path switch
    {
        ScoringPath.TorchSharpSortedBatches => threads == 1 ? "torch 1 thread" : $"torch {threads} threads",
        ScoringPath.MlNetRnnTransformer => Batches(Math.Max(1, BenchmarkSettings.Threads / threads)) + $" × {threads} thread{(threads == 1 ? "" : "s")}",
        _ => $"intra-op {threads}",
    };

    private static string Batches(int n) => n == 1 ? "1 batch" : $"{n} batches";

    /// <summary>Scores every row with <paramref name="path"/>; <paramref name="into"/>[i] receives row i's P(class 1).</summary>
    public void Score(ScoringPath path, int threads, float[] into)
    {
        switch (path)
        {
            case ScoringPath.StockApplyOnnxModel:
                Read(stock[threads].Transform(data), "probabilities", into);
                break;
            case ScoringPath.OrtOneSequencePerCall:
                ScoreOneSequencePerCall(sessions[threads], into);
                break;
            case ScoringPath.TorchSharpSortedBatches:
                ScoreTorchSharp(threads, into);
                break;
            case ScoringPath.MlNetRnnTransformer:
                Read(transformers[threads].Transform(data), "Score", into);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(path), path, "Unknown scoring path.");
        }
    }

    /// <summary>
    /// Scores the rows with every path at every thread setting and compares each with <see cref="Reference"/>; returns the
    /// worst |ΔP(class 1)| of each.
    /// </summary>
    /// <exception cref="InvalidOperationException">A path differs from the reference by more than <see cref="Tolerance"/> on some row.</exception>
    public Dictionary<(ScoringPath Path, int Threads), double> CheckAgreement()
    {
        var expected = new float[rows.Length];
        Score(Reference.Path, Reference.Threads, expected);
        var worst = new Dictionary<(ScoringPath, int), double>();
        var failures = new List<string>();
        var actual = new float[rows.Length];
        foreach (var path in Enum.GetValues<ScoringPath>())
            foreach (int threads in ThreadSettings)
            {
                Array.Fill(actual, float.NaN);
                Score(path, threads, actual);
                var (diff, row) = WorstDifference(expected, actual);
                worst[(path, threads)] = diff;
                if (!(diff <= Tolerance))
                    failures.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{path} ({ThreadsLabel(path, threads)}): row {row}, P(class 1) {actual[row]} vs {expected[row]}, |Δ| {diff:G3}"));
            }

        if (failures.Count > 0)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"Model {Kind}: scoring paths disagree with {Reference.Path} ({ThreadsLabel(Reference.Path, Reference.Threads)}) by more than {Tolerance:G} on {rows.Length} rows, so their timings would compare different computations: {string.Join("; ", failures)}."));
        return worst;
    }

    /// <summary>The largest |a − b| and its row; NaN (a row not written, or a NaN score) counts as infinitely far.</summary>
    internal static (double Difference, int Row) WorstDifference(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
            throw new ArgumentException($"Expected {expected.Length} scores, got {actual.Length}.", nameof(actual));
        double worst = 0;
        int worstRow = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs((double)expected[i] - actual[i]);
            if (double.IsNaN(diff))
                diff = double.PositiveInfinity;
            if (diff > worst)
                (worst, worstRow) = (diff, i);
        }
        return (worst, worstRow);
    }

    private void ScoreOneSequencePerCall(InferenceSession session, float[] into)
    {
        var lengths = new long[1];
        using var runOptions = new RunOptions();
        string[] inputNames = ["input_ids", "lengths"], outputNames = ["probabilities"];
        for (int i = 0; i < rows.Length; i++)
        {
            lengths[0] = rows[i].Length;
            using var ids = OrtValue.CreateTensorValueFromMemory(rows[i], [1, rows[i].Length]);
            using var len = OrtValue.CreateTensorValueFromMemory(lengths, [1]);
            using var results = session.Run(runOptions, inputNames, [ids, len], outputNames);
            into[i] = results[0].GetTensorDataAsSpan<float>()[1];
        }
    }

    /// <summary>
    /// Packed TorchSharp batches cut by the transformer's own planner with its default window, batch and token budget, so
    /// the torch baseline pads exactly as little as the transformer and the ratio measures the engine, not the sorting.
    /// </summary>
    private void ScoreTorchSharp(int threads, float[] into)
    {
        torch.set_num_threads(threads);
        using var noGrad = torch.no_grad();
        var defaults = new RnnScoringOptions();
        var limits = new BatchLimits(defaults.BatchSize, defaults.MaxTokensPerBatch, EqualLengthsOnly: false, SkipEmpty: false);
        var planner = new BatchPlanner();
        var lengths = new int[defaults.WindowSize];
        for (int first = 0; first < rows.Length; first += defaults.WindowSize)
        {
            int count = Math.Min(defaults.WindowSize, rows.Length - first);
            for (int i = 0; i < count; i++)
                lengths[i] = rows[first + i].Length;
            planner.Plan(lengths.AsSpan(0, count), limits);
            foreach (var batch in planner.Batches)
            {
                using var scope = torch.NewDisposeScope();
                int B = batch.Count, T = batch.PaddedLength;
                var ids = new long[T * B];                                         // (T, B), padded with id 0
                var batchLengths = new long[B];
                for (int b = 0; b < B; b++)
                {
                    var row = rows[first + planner.Order[batch.Start + b]];
                    batchLengths[b] = row.Length;
                    for (int t = 0; t < row.Length; t++)
                        ids[t * B + b] = row[t];
                }

                var output = model.forward(torch.tensor(ids, [T, B]), torch.tensor(batchLengths));
                var p1 = output.Logits.softmax(-1)[.., 1].contiguous().data<float>();  // (B)
                for (int b = 0; b < B; b++)
                    into[first + planner.Order[batch.Start + b]] = p1[b];
            }
        }
    }

    /// <summary>Reads P(class 1) of every row of <paramref name="output"/>, in row order.</summary>
    internal static void Read(IDataView output, string column, float[] into)
    {
        var col = output.Schema[column];
        using var cursor = output.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> value = default;
        int i = 0;
        while (cursor.MoveNext())
        {
            if (i == into.Length)
                throw new InvalidOperationException($"Column '{column}' has more rows than the {into.Length} scored.");
            getter(ref value);
            into[i++] = value.GetValues()[1];
        }
        if (i != into.Length)
            throw new InvalidOperationException($"Column '{column}' has {i} rows, expected {into.Length}.");
    }

    public void Dispose()
    {
        foreach (var t in transformers.Values)
            t.Dispose();
        foreach (var s in sessions.Values)
            s.Dispose();
        foreach (var t in stock.Values)
            t.Dispose();
        model.Dispose();
        File.Delete(onnxPath);
    }

    private sealed class TokenRow
    {
        [ColumnName("input_ids")]
        public long[] Ids { get; set; } = [];

        [ColumnName("lengths"), VectorType(1)]
        public long[] Lengths { get; set; } = [];
    }
}
