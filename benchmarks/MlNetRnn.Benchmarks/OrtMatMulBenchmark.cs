using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Export.Onnx;
using DataType = MlNetRnn.Training.Export.Onnx.TensorProto.Types.DataType;

namespace MlNetRnn.Benchmarks;

/// <summary>
/// The reference the scoring table is compared with: ONNX Runtime's own fp32 MatMul, N×N×N, on
/// <see cref="BenchmarkSettings.Threads"/> intra-op threads — the same engine and kernels (MLAS) the ONNX paths use, at a size
/// where it runs near its best. A measured figure, not the CPU's theoretical peak (<see cref="MachineInfo.PeakFormula"/>).
/// </summary>
public class OrtMatMulBenchmark
{
    private InferenceSession session = null!;
    private RunOptions runOptions = null!;
    private OrtValue a = null!, b = null!, c = null!;

    /// <summary>Matrix size of a full run; 2 N³ FLOPs per multiplication.</summary>
    internal const int FullSize = 2048;

    internal static int Size => BenchmarkSettings.Dry ? 256 : FullSize;

    /// <summary>Multiplications per operation, so one operation is long enough to time well.</summary>
    internal const int Repeats = 8;

    internal static double FlopsPerOperation => Repeats * 2.0 * Size * Size * Size;

    [GlobalSetup]
    public void Setup()
    {
        int n = Size;
        using var options = new SessionOptions { IntraOpNumThreads = BenchmarkSettings.Threads, InterOpNumThreads = 1 };
        session = new InferenceSession(Model(n), options);
        runOptions = new RunOptions();
        var random = new Random(0);
        float[] Matrix() => Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        a = OrtValue.CreateTensorValueFromMemory(Matrix(), [n, n]);
        b = OrtValue.CreateTensorValueFromMemory(Matrix(), [n, n]);
        c = OrtValue.CreateTensorValueFromMemory(new float[n * n], [n, n]);
    }

    [Benchmark(Description = "ONNX Runtime MatMul N³")]
    public void MatMul()
    {
        for (int i = 0; i < Repeats; i++)
            session.Run(runOptions, ["A", "B"], [a, b], ["C"], [c]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        a.Dispose();
        b.Dispose();
        c.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }

    /// <summary>C = A · B with A, B graph inputs of shape [n, n].</summary>
    private static byte[] Model(int n)
    {
        var graph = new OnnxGraphBuilder("matmul");
        graph.AddInput("A", DataType.Float, n, n);
        graph.AddInput("B", DataType.Float, n, n);
        graph.Add("MatMul", ["A", "B"], "C");
        graph.AddOutput("C", DataType.Float, n, n);
        var model = new ModelProto { IrVersion = OnnxNames.IrVersion, Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxNames.OpsetVersion });
        return Google.Protobuf.MessageExtensions.ToByteArray(model);
    }
}
