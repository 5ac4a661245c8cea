using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using static TorchSharp.torch;
using Xunit;

namespace MlNetRnn.Training.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class RnnCheckpointTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.ckpt");

    public void Dispose() => File.Delete(path);

    [Fact]
    public void SaveThenLoad_RestoresConfigWeightsVocabularyAndLabels()
    {
        var vocabulary = Vocabulary.BuildWordLevel(["a b c d e f g h i j"]);
        var labels = LabelSet.FromNames(["neg", "pos"]);
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru, layers: 2, bidirectional: true);
        RnnCheckpoint.Save(path, model, vocabulary, labels);

        var loaded = RnnCheckpoint.Load(path);
        using var restored = loaded.Model;

        Assert.Equal(model.Config, loaded.Config);
        Assert.Equal(vocabulary.Tokens, loaded.Vocabulary!.Tokens);
        Assert.Equal(vocabulary.Settings, loaded.Vocabulary.Settings);
        Assert.Equal(labels.Names, loaded.Labels!.Names);
        var expected = TinyTasks.Weights(model);
        var actual = TinyTasks.Weights(restored);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
            Assert.Equal(values, actual[name]);
        Assert.False(restored.training);
    }

    [Fact]
    public void CustomWordPattern_SurvivesCheckpointAndExport()
    {
        var settings = new TokenizationSettings(TokenizationLevel.Word, lowercase: false, pattern: @"[A-Za-z]+|\d");
        var vocabulary = Vocabulary.Build(["Apollo 11 and Apollo 13", "Gemini 7"], settings);
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Gru, vocabSize: vocabulary.Count);
        RnnCheckpoint.Save(path, model, vocabulary);

        var loaded = RnnCheckpoint.Load(path);
        using var restored = loaded.Model;
        byte[] onnx = OnnxExporter.Export(restored, OnnxExportOptions.For(loaded.Vocabulary!));
        using var session = new InferenceSession(onnx);
        var exported = TokenizationSettings.FromJson(session.ModelMetadata.CustomMetadataMap["mlnetrnn.tokenization"]);

        Assert.Equal(settings, loaded.Vocabulary!.Settings);
        Assert.Equal(["Apollo", "1", "3"], loaded.Vocabulary.Tokenize("Apollo 13"));
        Assert.Equal(settings, exported);
        Assert.Equal(@"[A-Za-z]+|\d", exported.Pattern);
    }

    [Fact]
    public void SaveThenLoad_WithoutVocabularyOrLabels_LeavesThemNull()
    {
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.Lstm);
        RnnCheckpoint.Save(path, model);

        var loaded = RnnCheckpoint.Load(path);
        using var restored = loaded.Model;

        Assert.Null(loaded.Vocabulary);
        Assert.Null(loaded.Labels);
    }

    [Fact]
    public void LoadWeights_IntoAModelWithTheSameConfig_CopiesTheWeights()
    {
        using var model = TinyTasks.Model(RnnTask.TokenClassification, RnnCellType.Lstm, classes: 3, seed: 1);
        RnnCheckpoint.Save(path, model);
        using var other = TinyTasks.Model(RnnTask.TokenClassification, RnnCellType.Lstm, classes: 3, seed: 2);

        RnnCheckpoint.LoadWeights(path, other);

        Assert.Equal(TinyTasks.Weights(model)["head.weight"], TinyTasks.Weights(other)["head.weight"]);
    }

    [Fact]
    public void LoadWeights_IntoAModelWithAnotherConfig_NamesTheSettingAndBothValues()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, hidden: 32);
        RnnCheckpoint.Save(path, model);
        using var other = TinyTasks.Model(RnnTask.SequenceClassification, RnnCellType.Lstm, hidden: 16);

        var error = Assert.Throws<ArgumentException>(() => RnnCheckpoint.LoadWeights(path, other));

        Assert.Contains("saved with HiddenSize = 32", error.Message);
        Assert.Contains("the model has HiddenSize = 16", error.Message);
    }

    [Fact]
    public void Save_RejectsAVocabularyOrLabelsThatDoNotFitTheModel()
    {
        using var model = TinyTasks.Model(RnnTask.SequenceClassification, classes: 2);

        var vocabularyError = Assert.Throws<ArgumentException>(() => RnnCheckpoint.Save(path, model, Vocabulary.BuildCharacterLevel(["abc"])));
        Assert.Contains("expected 12 tokens", vocabularyError.Message);
        Assert.Contains("got 5", vocabularyError.Message);
        var labelError = Assert.Throws<ArgumentException>(() => RnnCheckpoint.Save(path, model, labels: LabelSet.FromNames(["a", "b", "c"])));
        Assert.Contains("expected 2 labels", labelError.Message);
    }

    [Fact]
    public void Load_RejectsFilesThatAreNotCheckpoints()
    {
        File.WriteAllText(path, "hello");

        Assert.Throws<FormatException>(() => RnnCheckpoint.Load(path));
    }

    [Fact]
    public void SaveThenLoad_Stream_GivesTheSameOutputs()
    {
        using var model = TinyTasks.Model(RnnTask.LanguageModel, RnnCellType.RnnRelu);
        model.eval();
        using var buffer = new MemoryStream();
        RnnCheckpoint.Save(buffer, model);
        buffer.Position = 0;

        using var restored = RnnCheckpoint.Load(buffer).Model;

        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 2, 3, 4, 5, 6, 7 }, [3L, 2L]);
        var lengths = tensor(new long[] { 3, 2 });
        Assert.True(model.forward(ids, lengths).Logits.eq(restored.forward(ids, lengths).Logits).all().item<bool>());
    }

    [Fact]
    public void SaveThenLoad_CharacterAwareModel_KeepsTheCharacterSettingsAndOutputs()
    {
        using var model = Export.ExportFixtures.CharModel(RnnCellType.Lstm, bidirectional: true);
        RnnCheckpoint.Save(path, model);

        using var restored = RnnCheckpoint.Load(path).Model;

        Assert.Equal(model.Config, restored.Config);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 2, 3, 4, 5 }, [2L, 2L]);
        var lengths = tensor(new long[] { 2, 1 });
        var chars = (tensor(new long[] { 1, 2, 3, 4, 5, 0, 0, 0 }, [2L, 2L, 2L]), tensor(new long[] { 2, 2, 1, 0 }, [2L, 2L]));
        Assert.True(model.forward(ids, lengths, chars).Logits.eq(restored.forward(ids, lengths, chars).Logits).all().item<bool>());
    }

    [Fact]
    public void Load_CheckpointWrittenBeforeTheCharacterSettings_GetsTheirDefaults()
    {
        using var model = TinyTasks.Model(RnnTask.TokenClassification, RnnCellType.Gru, classes: 3);
        RnnCheckpoint.Save(path, model);
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("checkpoint.json")!;
            string json;
            using (var reader = new StreamReader(entry.Open()))
                json = reader.ReadToEnd();
            var header = System.Text.Json.Nodes.JsonNode.Parse(json)!;
            var config = header.AsObject().Single(p => p.Key.Equals("config", StringComparison.OrdinalIgnoreCase)).Value!.AsObject();
            foreach (var key in config.Select(p => p.Key).Where(k => k.StartsWith("Char", StringComparison.OrdinalIgnoreCase) || k.EndsWith("Dropout", StringComparison.Ordinal) && k != "Dropout" || k.Equals("UnkId", StringComparison.OrdinalIgnoreCase)).ToList())
                config.Remove(key);
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("checkpoint.json").Open());
            writer.Write(header.ToJsonString());
        }

        using var restored = RnnCheckpoint.Load(path).Model;
        RnnCheckpoint.LoadWeights(path, model);

        Assert.Equal(model.Config, restored.Config);
        Assert.Equal(1, restored.Config.UnkId);
    }
}
