using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Generation;
using Xunit;

namespace MlNetRnn.Training.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class GeneratorExporterTests
{
    [Fact]
    public void Export_Seq2Seq_WritesTheManifestAndBothGraphsWithMetadata()
    {
        using var model = GeneratorFixtures.Seq2Seq(RnnCellType.Lstm, attention: true, bidirectional: true, layers: 2);
        var source = GeneratorFixtures.SourceVocabulary();
        var options = new GeneratorExportOptions { MaxSourceLength = 7, MaxTargetLength = 9, Info = new Dictionary<string, string> { ["data"] = "tiny" } };

        var (manifest, encoder, decoder) = GeneratorExporter.ReadPackage(GeneratorExporter.Export(model, source, GeneratorFixtures.Targets(), options));

        Assert.Equal(GeneratorManifest.CurrentFormatVersion, manifest.FormatVersion);
        Assert.Equal("seq2seq", manifest.Kind);
        Assert.Equal("lstm", manifest.DecoderCell);
        Assert.True(manifest.Attention);
        Assert.False(manifest.ConditionAtFirstStep);
        Assert.Null(manifest.Condition);
        Assert.Equal(source.Tokens, manifest.Source!.Tokens);
        Assert.Equal((Vocabulary.PadId, Vocabulary.UnkId, 7), (manifest.Source.PadId, manifest.Source.UnknownId, manifest.Source.MaxLength));
        Assert.Equal(source.Settings, TokenizationSettings.FromJson(manifest.Source.Tokenization));
        Assert.Equal(GeneratorFixtures.Targets().Tokens, manifest.Target.Tokens);
        Assert.Equal((1, 2, 0, ""), (manifest.Target.BosId, manifest.Target.EosId, manifest.Target.PadId, manifest.Target.Joiner));
        Assert.Equal(9, manifest.MaxTargetLength);
        Assert.Equal("tiny", manifest.Info["data"]);
        Assert.Equal(["state_h", "state_c"], manifest.States.Select(s => s.Name));
        Assert.Equal(["next_state_h", "next_state_c"], manifest.States.Select(s => s.NextName));
        Assert.All(manifest.States, s => Assert.Equal([2, -1, GeneratorFixtures.HiddenSize], s.Shape));

        using var encoderSession = new InferenceSession(encoder);
        Assert.Equal(["source_ids", "source_lengths"], encoderSession.InputMetadata.Keys);
        Assert.Equal(["encoder_outputs", "state_c", "state_h"], encoderSession.OutputMetadata.Keys.Order());
        Assert.Equal([-1, -1, 2 * GeneratorFixtures.HiddenSize], encoderSession.OutputMetadata["encoder_outputs"].Dimensions);
        using var decoderSession = new InferenceSession(decoder);
        Assert.Equal(["previous_token", "state_h", "state_c", "encoder_outputs", "source_lengths"], decoderSession.InputMetadata.Keys);
        Assert.Equal(["log_probs", "next_state_c", "next_state_h"], decoderSession.OutputMetadata.Keys.Order());
        foreach (var (session, graph) in new[] { (encoderSession, "encoder"), (decoderSession, "decoder_step") })
        {
            var metadata = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal("1", metadata["mlnetrnn.format_version"]);
            Assert.Equal("seq2seq", metadata["mlnetrnn.kind"]);
            Assert.Equal(graph, metadata["mlnetrnn.graph"]);
        }
    }

    [Fact]
    public void Export_ConditionedWithClasses_WritesTheConditionAndItsGraphInputs()
    {
        using var model = GeneratorFixtures.Conditioned(RnnCellType.Gru, conditionAtFirstStep: true);

        var (manifest, encoder, decoder) = GeneratorExporter.ReadPackage(GeneratorExporter.Export(model, GeneratorFixtures.Targets(), new GeneratorExportOptions { ClassNames = ["a", "b", "c"] }));

        Assert.Equal("conditioned", manifest.Kind);
        Assert.Equal("gru", manifest.DecoderCell);
        Assert.Null(manifest.Source);
        Assert.Equal(3, manifest.Condition!.Size);
        Assert.Equal(["a", "b", "c"], manifest.Condition.ClassNames!);
        Assert.True(manifest.ConditionAtFirstStep);
        Assert.False(manifest.Attention);
        Assert.Equal(["state_h"], manifest.States.Select(s => s.Name));
        using var encoderSession = new InferenceSession(encoder);
        Assert.Equal(["condition"], encoderSession.InputMetadata.Keys);
        Assert.Equal(["state_h"], encoderSession.OutputMetadata.Keys);
        using var decoderSession = new InferenceSession(decoder);
        Assert.Equal(["previous_token", "state_h", "condition"], decoderSession.InputMetadata.Keys);
        Assert.Equal("conditioned", decoderSession.ModelMetadata.CustomMetadataMap["mlnetrnn.kind"]);
    }

    [Fact]
    public void Export_OptionsThatDoNotFitTheModel_NameWhatIsWrong()
    {
        using var seq2seq = GeneratorFixtures.Seq2Seq(RnnCellType.Gru, attention: false, bidirectional: false);
        using var conditioned = GeneratorFixtures.Conditioned(RnnCellType.Gru, conditionAtFirstStep: false);
        var smallTargets = TargetVocabulary.FromTokens(["A"], "");
        var smallSource = Vocabulary.FromTokens([Vocabulary.PadToken, Vocabulary.UnkToken, "a"], new TokenizationSettings(TokenizationLevel.Character, lowercase: false));

        Assert.Contains("SourceVocabSize", Assert.Throws<ArgumentException>(() => GeneratorExporter.Export(seq2seq, smallSource, GeneratorFixtures.Targets())).Message);
        Assert.Contains("TargetVocabSize", Assert.Throws<ArgumentException>(() => GeneratorExporter.Export(seq2seq, GeneratorFixtures.SourceVocabulary(), smallTargets)).Message);
        Assert.Contains("ConditionSize", Assert.Throws<ArgumentException>(() => GeneratorExporter.Export(conditioned, GeneratorFixtures.Targets(), new GeneratorExportOptions { ClassNames = ["a", "b"] })).Message);
        Assert.Contains("ClassNames", Assert.Throws<ArgumentException>(() => GeneratorExporter.Export(seq2seq, GeneratorFixtures.SourceVocabulary(), GeneratorFixtures.Targets(), new GeneratorExportOptions { ClassNames = ["a"] })).Message);
    }

    [Fact]
    public void TargetVocabulary_EncodeAndDecode_RoundTripAndRejectSpecialTokens()
    {
        var vocabulary = TargetVocabulary.Build([["AH", "B"], ["K", "AH"]], " ");

        Assert.Equal(["<pad>", "<s>", "</s>", "AH", "B", "K"], vocabulary.Tokens);
        Assert.Equal("K AH B", vocabulary.Decode([TargetVocabulary.BosId, .. vocabulary.Encode(["K", "AH", "B"]), TargetVocabulary.EosId, 3]));
        Assert.Contains("sequence[1]", Assert.Throws<ArgumentException>(() => vocabulary.Encode(["B", "</s>"])).Message);
        Assert.Throws<ArgumentException>(() => TargetVocabulary.FromTokens(["A", "A"], ""));
    }
}
