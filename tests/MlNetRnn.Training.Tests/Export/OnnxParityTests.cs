using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using Xunit;
using Xunit.Abstractions;

namespace MlNetRnn.Training.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class OnnxParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    /// <summary>Every cell × {1, 2} layers × {uni, bi} × head (language models are never bidirectional).</summary>
    public static TheoryData<RnnTask, RnnCellType, int, bool> Matrix() => Models.RnnSequenceModelTests.AllShapes();

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Verify_OrtMatchesTorchSharp_OnRandomUnsortedBatches(RnnTask task, RnnCellType cell, int layers, bool bidirectional)
    {
        using var model = ExportFixtures.Model(task, cell, layers, bidirectional);
        byte[] onnx = OnnxExporter.Export(model);
        var sequences = ExportFixtures.Sequences(count: 7, maxLength: 13, seed: layers * 10 + (bidirectional ? 1 : 0));

        var report = OnnxParity.Verify(model, onnx, sequences);

        output.WriteLine($"{task} {cell} layers={layers} bi={bidirectional}: {report}");
        Assert.True(report.MaxAbsDifference <= Tolerance, report.ToString());
        Assert.True(report.MaxAbsDifferenceAnyOutput <= Tolerance, report.ToString());
        Assert.Equal(0, report.LabelMismatches);
        Assert.Equal(sequences.Sum(s => s.Length), report.Tokens);
    }

    [Fact]
    [Trait(TestCategory.Name, TestCategory.Slow)]
    public void ParityMatrix_WorstDifferenceOverAllModels_IsWithinTolerance()
    {
        double worst = 0, worstAny = 0;
        string worstCase = "", worstAnyCase = "";
        foreach (var row in Matrix())
        {
            var (task, cell, layers, bidirectional) = ((RnnTask)row[0], (RnnCellType)row[1], (int)row[2], (bool)row[3]);
            using var model = ExportFixtures.Model(task, cell, layers, bidirectional);
            var report = OnnxParity.Verify(model, OnnxExporter.Export(model), ExportFixtures.Sequences(7, 13, seed: 99));
            string name = $"{task} {cell} layers={layers} bi={bidirectional}";
            if (report.MaxAbsDifferenceAnyOutput >= worstAny)
                (worstAny, worstAnyCase) = (report.MaxAbsDifferenceAnyOutput, name);
            if (report.MaxAbsDifference >= worst)
                (worst, worstCase) = (report.MaxAbsDifference, name);
        }

        output.WriteLine($"Parity matrix ({Matrix().Count()} models): worst max |Δ| on probabilities/log-probs = {worst:E2} ({worstCase}); worst on any output = {worstAny:E2} ({worstAnyCase})");
        Assert.True(worst <= Tolerance, $"{worst:E2} at {worstCase}");
        Assert.True(worstAny <= Tolerance, $"worst difference on any output {worstAny:E2} at {worstAnyCase}");
    }

    [Fact]
    public void Verify_ReportsTheDifference_WhenTheOnnxModelHasOtherWeights()
    {
        using var model = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false, seed: 1);
        using var other = ExportFixtures.Model(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false, seed: 2);

        var report = OnnxParity.Verify(model, OnnxExporter.Export(other), ExportFixtures.Sequences(5, 9, seed: 3));

        Assert.True(report.MaxAbsDifference > 1e-3, report.ToString());
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    [InlineData(RnnCellType.RnnTanh)]
    public void LanguageModel_StepByStepWithCarriedState_MatchesTheFullSequence(RnnCellType cell)
    {
        using var model = ExportFixtures.Model(RnnTask.LanguageModel, cell, layers: 2, bidirectional: false);
        using var session = new InferenceSession(OnnxExporter.Export(model));
        long[] text = [.. ExportFixtures.Sequences(2, 11, seed: 5)[1].Select(id => (long)id)];
        int L = 2, H = ExportFixtures.HiddenSize, V = ExportFixtures.VocabSize;

        // Full sequence at once (zero start state).
        float[] full = Run(session, cell, text, new float[L * H], new float[L * H]).LogProbs;

        // One token at a time, the state carried through final_h/final_c → initial_h/initial_c.
        float[] h = new float[L * H], c = new float[L * H];
        double worst = 0;
        for (int t = 0; t < text.Length; t++)
        {
            var step = Run(session, cell, [text[t]], h, c);
            for (int v = 0; v < V; v++)
                worst = Math.Max(worst, Math.Abs(step.LogProbs[v] - full[t * V + v]));
            (h, c) = (step.H, step.C ?? c);
        }

        Assert.True(worst <= Tolerance, $"worst step-vs-full difference {worst:E2}");
    }

    private static (float[] LogProbs, float[] H, float[]? C) Run(InferenceSession session, RnnCellType cell, long[] ids, float[] h, float[] c)
    {
        int L = 2, H = ExportFixtures.HiddenSize;
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [1, ids.Length]);
        using var lengths = OrtValue.CreateTensorValueFromMemory(new long[] { ids.Length }, [1]);
        using var hValue = OrtValue.CreateTensorValueFromMemory(h, [L, 1, H]);
        using var cValue = OrtValue.CreateTensorValueFromMemory(c, [L, 1, H]);
        bool lstm = cell == RnnCellType.Lstm;
        string[] inputs = lstm ? ["input_ids", "lengths", "initial_h", "initial_c"] : ["input_ids", "lengths", "initial_h"];
        OrtValue[] values = lstm ? [idsValue, lengths, hValue, cValue] : [idsValue, lengths, hValue];
        string[] outputs = lstm ? ["log_probs", "final_h", "final_c"] : ["log_probs", "final_h"];
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, inputs, values, outputs);
        return (results[0].GetTensorDataAsSpan<float>().ToArray(), results[1].GetTensorDataAsSpan<float>().ToArray(),
            lstm ? results[2].GetTensorDataAsSpan<float>().ToArray() : null);
    }
}
