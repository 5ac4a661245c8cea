using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetRnn.Benchmarks;

/// <summary>The machine's fp32 matrix-multiply ceiling: one N×N×N SGEMM through TorchSharp (MKL/oneDNN) with 2 threads.</summary>
public class SgemmBenchmark
{
    private Tensor a = null!, b = null!;

    /// <summary>Matrix size; 2 N³ FLOPs per call.</summary>
    [Params(2048)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.set_num_threads(BenchmarkSettings.Threads);
        torch.manual_seed(0);
        int n = BenchmarkSettings.Dry ? 256 : N;
        a = torch.randn(n, n);
        b = torch.randn(n, n);
    }

    /// <summary>Multiplications per operation, so one operation is long enough to time well.</summary>
    internal const int Repeats = 8;

    [Benchmark]
    public void Sgemm()
    {
        for (int i = 0; i < Repeats; i++)
        {
            using var c = a.mm(b);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        a.Dispose();
        b.Dispose();
    }

    internal static double Flops(int n) => Repeats * 2.0 * n * n * n;
}
