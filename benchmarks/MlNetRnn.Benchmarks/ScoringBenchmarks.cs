using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// Scores the same rows (4096, lengths uniform in 5..100, seeded) four ways, each at 1 and
/// <see cref="BenchmarkSettings.Threads"/> threads per call; one benchmark operation is one full pass. Before anything is
/// timed, every path is checked against the others (<see cref="ScoringPaths.CheckAgreement"/>); a disagreement fails the
/// setup and so the run.
/// </summary>
/// <remarks>
/// BenchmarkDotNet runs a global setup for each of the 16 cases; the paths of a model are built and checked once, by the
/// first, and that same checked instance is timed by every case. <see cref="DisposeShared"/> releases them after the run.
/// </remarks>
public class ScoringBenchmarks
{
    // Lazy caches a failed build too: after a failed check the remaining cases of that model fail at once.
    private static readonly ConcurrentDictionary<ReferenceModelKind, Lazy<ScoringPaths>> Shared = new();
    private ScoringPaths paths = null!;
    private float[] scores = null!;

    /// <summary>Worst |ΔP| of each path and thread setting against the reference, per model, from the setup's check.</summary>
    internal static ConcurrentDictionary<ReferenceModelKind, Dictionary<(ScoringPath Path, int Threads), double>> Agreement { get; } = new();

    /// <summary>Why a model's paths could not be built or checked (the check's message), per model.</summary>
    internal static ConcurrentDictionary<ReferenceModelKind, string> SetupErrors { get; } = new();

    /// <summary>Which reference model to score.</summary>
    [ParamsAllValues]
    public ReferenceModelKind Model { get; set; }

    /// <summary>Rows per pass.</summary>
    public static int RowCount => BenchmarkSettings.Dry ? 64 : 4096;

    internal static long[][] Rows() => BenchmarkData.Rows(RowCount, ReferenceModel.VocabSize, 5, 100, seed: 7);

    [GlobalSetup]
    public void Setup()
    {
        paths = Shared.GetOrAdd(Model, kind => new Lazy<ScoringPaths>(() => BuildAndCheck(kind))).Value;
        scores = new float[paths.RowCount];
    }

    [Benchmark(Description = "stock ApplyOnnxModel (row per call)")]
    [Arguments(1)]
    [Arguments(BenchmarkSettings.Threads)]
    public float StockApplyOnnxModel(int threads) => Score(ScoringPath.StockApplyOnnxModel, threads);

    [Benchmark(Description = "ONNX Runtime direct, one sequence per call")]
    [Arguments(1)]
    [Arguments(BenchmarkSettings.Threads)]
    public float OrtOneSequencePerCall(int threads) => Score(ScoringPath.OrtOneSequencePerCall, threads);

    [Benchmark(Description = "TorchSharp eager, packed, length-sorted batches")]
    [Arguments(1)]
    [Arguments(BenchmarkSettings.Threads)]
    public float TorchSharpSortedBatches(int threads) => Score(ScoringPath.TorchSharpSortedBatches, threads);

    [Benchmark(Description = "MlNetRnn transformer (IDataView pass)")]
    [Arguments(1)]
    [Arguments(BenchmarkSettings.Threads)]
    public float MlNetRnnTransformer(int threads) => Score(ScoringPath.MlNetRnnTransformer, threads);

    private static ScoringPaths BuildAndCheck(ReferenceModelKind kind)
    {
        var created = new ScoringPaths(kind, Rows());
        try
        {
            Agreement[kind] = created.CheckAgreement();
            return created;
        }
        catch (Exception e)
        {
            SetupErrors[kind] = e.Message;
            created.Dispose();
            throw;
        }
    }

    private float Score(ScoringPath path, int threads)
    {
        paths.Score(path, threads, scores);
        return scores[^1];
    }

    /// <summary>Disposes the paths built by the setups (native sessions, the TorchSharp model, the temp ONNX file).</summary>
    internal static void DisposeShared()
    {
        foreach (var kind in Shared.Keys)
            if (Shared.TryRemove(kind, out var lazy) && lazy.IsValueCreated)
                lazy.Value.Dispose();
    }
}
