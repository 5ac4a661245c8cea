namespace MlNetRnn.Benchmarks;

/// <summary>Process-wide settings of a benchmark run (BenchmarkDotNet runs in process, so statics reach every benchmark).</summary>
internal static class BenchmarkSettings
{
    /// <summary>Threads every engine may use (TorchSharp, ONNX Runtime): the machine's two cores.</summary>
    internal static int Threads { get; set; } = 2;

    /// <summary>Dry mode: tiny sizes and one iteration, so a test can run every benchmark quickly and keep them from rotting.</summary>
    internal static bool Dry { get; set; }
}
