using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using Xunit;
using Xunit.Abstractions;

namespace MlNetRnn.Training.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class GeneratorExportParityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private const int MaxLength = 9;

    /// <summary>rnn/lstm/gru × attention on/off × bidirectional encoder on/off.</summary>
    public static TheoryData<RnnCellType, bool, bool> Seq2SeqMatrix()
    {
        var data = new TheoryData<RnnCellType, bool, bool>();
        foreach (var cell in new[] { RnnCellType.RnnTanh, RnnCellType.Lstm, RnnCellType.Gru })
            foreach (bool attention in new[] { false, true })
                foreach (bool bidirectional in new[] { false, true })
                    data.Add(cell, attention, bidirectional);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seq2SeqMatrix))]
    public void Seq2Seq_OrtEncoderAndDecoderStep_MatchTorchSharp(RnnCellType cell, bool attention, bool bidirectional)
    {
        using var model = GeneratorFixtures.Seq2Seq(cell, attention, bidirectional);
        byte[] package = GeneratorExporter.Export(model, GeneratorFixtures.SourceVocabulary(), GeneratorFixtures.Targets());
        var sources = GeneratorFixtures.Sources(count: 6, maxLength: 7, seed: 3);

        var report = GeneratorParity.Verify(model, package, sources, MaxLength);

        output.WriteLine($"{cell} attention={attention} bi={bidirectional}: {report}");
        AssertParity(report, sources.Length);
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    [InlineData(RnnCellType.RnnRelu)]
    public void Seq2Seq_TwoLayers_MatchTorchSharp(RnnCellType cell)
    {
        using var model = GeneratorFixtures.Seq2Seq(cell, attention: true, bidirectional: true, layers: 2);
        byte[] package = GeneratorExporter.Export(model, GeneratorFixtures.SourceVocabulary(), GeneratorFixtures.Targets());
        var sources = GeneratorFixtures.Sources(count: 5, maxLength: 6, seed: 4);

        var report = GeneratorParity.Verify(model, package, sources, MaxLength);

        output.WriteLine($"{cell} 2 layers: {report}");
        AssertParity(report, sources.Length);
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    public void Seq2Seq_TwoLayers_RunAsExported_WithoutOrtGraphOptimizations(RnnCellType cell)
    {
        // ORT's optimizer used to hide a Slice with scalar starts (invalid ONNX) by fusing it; unoptimized it must still run.
        using var model = GeneratorFixtures.Seq2Seq(cell, attention: true, bidirectional: true, layers: 2);
        byte[] package = GeneratorExporter.Export(model, GeneratorFixtures.SourceVocabulary(), GeneratorFixtures.Targets());
        var sources = GeneratorFixtures.Sources(count: 4, maxLength: 6, seed: 5);

        var report = GeneratorParity.Verify(model, package, sources, MaxLength, Microsoft.ML.OnnxRuntime.GraphOptimizationLevel.ORT_DISABLE_ALL);

        output.WriteLine($"{cell} 2 layers, no ORT optimizations: {report}");
        AssertParity(report, sources.Length);
    }

    [Theory]
    [InlineData(RnnCellType.Lstm, false, false)]
    [InlineData(RnnCellType.Lstm, true, false)]
    [InlineData(RnnCellType.Gru, true, true)]
    [InlineData(RnnCellType.RnnTanh, false, true)]
    [InlineData(RnnCellType.Gru, false, false)]
    [InlineData(RnnCellType.Lstm, true, true, 2)]
    public void Conditioned_OrtEncoderAndDecoderStep_MatchTorchSharp(RnnCellType cell, bool conditionAtFirstStep, bool classCondition, int layers = 1)
    {
        using var model = GeneratorFixtures.Conditioned(cell, conditionAtFirstStep, layers: layers);
        var options = classCondition ? new GeneratorExportOptions { ClassNames = ["x", "y", "z"] } : null;
        byte[] package = GeneratorExporter.Export(model, GeneratorFixtures.Targets(), options);
        var conditions = classCondition
            ? Enumerable.Range(0, 3).Select(c => ConditionedSequence.OneHot(c, GeneratorFixtures.ConditionSize)).ToArray()
            : GeneratorFixtures.Conditions(4, GeneratorFixtures.ConditionSize, seed: 5);

        var report = GeneratorParity.Verify(model, package, conditions, MaxLength);

        output.WriteLine($"{cell} firstStep={conditionAtFirstStep} class={classCondition} layers={layers}: {report}");
        AssertParity(report, conditions.Length);
    }

    [Fact]
    public void Verify_ReportsTheDifference_WhenThePackageHasOtherWeights()
    {
        using var model = GeneratorFixtures.Seq2Seq(RnnCellType.Gru, attention: true, bidirectional: false, seed: 1);
        using var other = GeneratorFixtures.Seq2Seq(RnnCellType.Gru, attention: true, bidirectional: false, seed: 2);
        byte[] package = GeneratorExporter.Export(other, GeneratorFixtures.SourceVocabulary(), GeneratorFixtures.Targets());

        var report = GeneratorParity.Verify(model, package, GeneratorFixtures.Sources(4, 5, seed: 6), MaxLength);

        Assert.True(report.MaxAbsDifference > 1e-3, report.ToString());
    }

    private static void AssertParity(ParityReport report, int rows)
    {
        Assert.True(report.MaxAbsDifference <= Tolerance, report.ToString());
        Assert.True(report.MaxAbsDifferenceAnyOutput <= Tolerance, report.ToString());
        Assert.Equal(0, report.LabelMismatches);
        Assert.Equal(rows, report.Sequences);
        Assert.True(report.Tokens >= rows, report.ToString());
    }
}
