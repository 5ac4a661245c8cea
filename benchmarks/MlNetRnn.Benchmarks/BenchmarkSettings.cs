namespace MlNetRnn.Benchmarks;

/// <summary>Process-wide settings of a benchmark run (BenchmarkDotNet runs in process, so statics reach every benchmark).</summary>
internal static class BenchmarkSettings
{
    /// <summary>The thread budget of every engine (TorchSharp, ONNX Runtime): the development machine's two cores.</summary>
    internal const int Threads = 2;

    /// <summary>Dry mode: tiny sizes and one iteration, so a test can run every benchmark quickly and keep them from rotting.</summary>
    internal static bool Dry { get; set; }
}
