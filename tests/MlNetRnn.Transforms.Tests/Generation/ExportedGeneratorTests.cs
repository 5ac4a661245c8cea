using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Generation;
using TorchSharp;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

/// <summary>
/// Packages written by MlNetRnn.Training's <c>GeneratorExporter</c> from tiny random models, decoded by the ML.NET transformer
/// (batched across rows) and by TorchSharp's <c>GeneratorSearch</c> (row by row): the same sequences.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ExportedGeneratorTests
{
    private const int MaxLength = 12;
    private static readonly string[] Words = ["abc", "jihgf", "d", "aaaaaaaaaaaa", "bead", "cafe", "hij", "gg", "fed", "ja"];

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class ConditionRow
    {
        [VectorType(3)]
        public float[] Condition { get; set; } = [];

        public int Seed { get; set; }
    }

    private static Vocabulary SourceVocabulary() =>
        Vocabulary.FromTokens([Vocabulary.PadToken, Vocabulary.UnkToken, .. "abcdefghij".Select(c => c.ToString())], new TokenizationSettings(TokenizationLevel.Character, lowercase: true));

    private static TargetVocabulary Targets() => TargetVocabulary.FromTokens("ABCDEFGH".Select(c => c.ToString()), "");

    [Fact]
    public void PackageExportedWithoutLengths_LoadsAndAsksForMaxLength()
    {
        var source = SourceVocabulary();
        var target = Targets();
        byte[] package;
        torch.manual_seed(5);
        using (var model = new EncoderDecoderModel(new EncoderDecoderConfig(RnnCellType.Gru, source.Count, target.Count, 4, 4)))
            package = GeneratorExporter.Export(model, source, target);   // no GeneratorExportOptions: lengths not recorded (0)

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Words.Select(w => new TextRow { Text = w }).ToList());
        var error = Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = package }).Fit(data).Dispose());
        Assert.Contains("MaxLength", error.Message);
        Assert.Contains("maxTargetLength", error.Message);

        using var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = package, MaxLength = 5 }).Fit(data);
        Assert.Equal(Words.Length, transformer.Transform(data).GetColumn<string>("GeneratedText").Count());
    }

    [Theory]
    [InlineData(RnnCellType.Lstm, false, false, 1)]
    [InlineData(RnnCellType.Lstm, true, true, 3)]
    [InlineData(RnnCellType.Gru, true, false, 3)]
    [InlineData(RnnCellType.RnnTanh, false, true, 2)]
    [InlineData(RnnCellType.Gru, false, false, 1)]
    public void GenerateSequence_DecodesWhatTorchSharpDecodes(RnnCellType cell, bool attention, bool bidirectional, int beam)
    {
        var source = SourceVocabulary();
        var target = Targets();
        byte[] package;
        GeneratedSequence[] expected;
        torch.manual_seed(11);
        using (var model = new EncoderDecoderModel(new EncoderDecoderConfig(cell, source.Count, target.Count, 6, 8, EncoderLayers: 2, DecoderLayers: 2, Bidirectional: bidirectional, Attention: attention)))
        {
            model.eval();
            Sharpen(model);
            package = GeneratorExporter.Export(model, source, target, new GeneratorExportOptions { MaxSourceLength = 12, MaxTargetLength = MaxLength });
            expected = Words.Select(w => GeneratorSearch.BeamSearch(model, source.Encode(w), beam, MaxLength, 0.7)[0]).ToArray();
        }

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Words.Select(w => new TextRow { Text = w }).ToList());
        using var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = package, BeamSize = beam, MaxLength = MaxLength, LengthPenalty = 0.7, BatchSize = 4 }).Fit(data);
        var scored = transformer.Transform(data);
        var texts = scored.GetColumn<string>("GeneratedText").ToArray();
        var logProbs = scored.GetColumn<float>("GeneratedLogProbability").ToArray();

        for (int i = 0; i < Words.Length; i++)
        {
            Assert.Equal(string.Concat(expected[i].Tokens.Select(t => target.Tokens[t])), texts[i]);
            Assert.Equal(expected[i].LogProbability, logProbs[i], tolerance: 1e-3);
        }

        Assert.True(texts.Distinct().Count() > 1, "The rows should decode differently: " + string.Join(" | ", texts));
    }

    [Theory]
    [InlineData(RnnCellType.Lstm, true, true)]
    [InlineData(RnnCellType.Gru, false, false)]
    public void GenerateFromCondition_SamplesWhatTorchSharpSamples(RnnCellType cell, bool conditionAtFirstStep, bool classes)
    {
        var target = Targets();
        var random = new Random(3);
        var rows = Enumerable.Range(0, 9).Select(i => new ConditionRow
        {
            Condition = classes ? OneHot(i % 3) : [.. Enumerable.Range(0, 3).Select(_ => (float)((random.NextDouble() * 2) - 1))],
            Seed = 1000 + i,
        }).ToList();
        byte[] package;
        GeneratedSequence[] expected;
        torch.manual_seed(5);
        using (var model = new ConditionedGeneratorModel(new ConditionedGeneratorConfig(cell, 3, target.Count, 6, 8, NumLayers: 2, ConditionAtFirstStep: conditionAtFirstStep)))
        {
            model.eval();
            Sharpen(model);
            package = GeneratorExporter.Export(model, target, new GeneratorExportOptions { MaxTargetLength = MaxLength, ClassNames = classes ? ["x", "y", "z"] : null });
            expected = rows.Select(r => GeneratorSearch.Sample(model, r.Condition, MaxLength, temperature: 1.3, topK: 5, seed: r.Seed)).ToArray();
        }

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions
        {
            PackageBytes = package, SeedColumnName = "Seed", Temperature = 1.3, TopK = 5, MaxLength = MaxLength, BatchSize = 4,
        }).Fit(data);
        var texts = transformer.Transform(data).GetColumn<string>("GeneratedText").ToArray();

        Assert.Equal(expected.Select(e => string.Concat(e.Tokens.Select(t => target.Tokens[t]))), texts);
        Assert.True(texts.Distinct().Count() > 3, "Different seeds should sample different texts: " + string.Join(" | ", texts));
    }

    /// <summary>Scales random weights up so that untrained models' outputs depend on their inputs (not one token repeated).</summary>
    private static void Sharpen(torch.nn.Module model)
    {
        using var noGrad = torch.no_grad();
        foreach (var parameter in model.parameters())
            parameter.mul_(3);
    }

    private static float[] OneHot(int index)
    {
        var v = new float[3];
        v[index] = 1;
        return v;
    }
}
