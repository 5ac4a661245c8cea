using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Interpretability;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Interpretability;

public sealed class RnnStateReaderTests
{
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData(RnnCellType.Lstm, 2)]
    [InlineData(RnnCellType.Gru, 1)]
    [InlineData(RnnCellType.RnnTanh, 2)]
    public void Read_InChunksCarryingTheState_EqualsOneUnchunkedRun(RnnCellType cell, int layers)
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(cell, layers);
        using var _ = model;
        byte[] onnx = LayerStateModels.Export(model, vocabulary);
        string text = LayerStateModels.CharText;

        using var whole = new RnnStateReader(onnx, chunkLength: 1000);
        using var chunked = new RnnStateReader(onnx, chunkLength: 7);
        var expected = whole.Read(text);
        var actual = chunked.Read(text);

        Assert.Equal(layers, actual.Count);
        for (int k = 0; k < layers; k++)
        {
            Assert.Equal($"layer {k + 1} h", actual[k].Name);
            Assert.Equal(text.Length, actual[k].Positions);
            AssertClose(expected[k].Values, actual[k].Values, $"layer {k + 1}");
        }
    }

    [Fact]
    public void Read_EqualsTorchSharpProbe_OnePositionPerCharacter()
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(RnnCellType.Lstm, 2);
        using var _ = model;
        string text = LayerStateModels.CharText;
        long[] ids = [.. vocabulary.Encode(text).Select(id => (long)id)];
        var expected = LayerStateModels.TorchLayerStates(model, [ids])[0];           // [token, layer, feature]
        int F = model.Config.FeatureSize;

        using var reader = new RnnStateReader(LayerStateModels.Export(model, vocabulary), chunkLength: 16);
        var tracks = reader.Read(text);

        Assert.Equal(F, reader.UnitsPerLayer);
        for (int p = 0; p < text.Length; p++)
        {
            for (int k = 0; k < 2; k++)
            {
                for (int u = 0; u < F; u++)
                    Assert.True(Math.Abs(expected[(p * 2 + k) * F + u] - tracks[k][p, u]) <= Tolerance, $"position {p}, layer {k + 1}, unit {u}");
            }
        }
    }

    [Fact]
    public void Read_WordLevelModel_HasOnePositionPerToken()
    {
        var vocabulary = Vocabulary.BuildWordLevel(["the whale said nothing", "call me ishmael"]);
        using var model = LayerStateModels.Create(RnnTask.LanguageModel, RnnCellType.Gru, 2, false, vocab: vocabulary.Count);
        using var reader = new RnnStateReader(LayerStateModels.Export(model, vocabulary));
        string text = "Call me Ishmael, said the whale.";

        var tracks = reader.Read(text);

        Assert.True(reader.WordLevel);
        Assert.Equal(["call", "me", "ishmael", ",", "said", "the", "whale", "."], reader.Tokenize(text));
        Assert.All(tracks, t => Assert.Equal(8, t.Positions));
    }

    [Fact]
    public void Create_FromPath_ReadsWhatTheBytesRead()
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(RnnCellType.Gru, 2);
        using var _ = model;
        byte[] onnx = LayerStateModels.Export(model, vocabulary);
        string path = Path.Combine(Path.GetTempPath(), $"mlnetrnn-reader-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, onnx);
        try
        {
            using var fromPath = new RnnStateReader(path);
            using var fromBytes = new RnnStateReader(onnx);

            Assert.Equal(fromBytes.Read("the whale").Select(t => t.Values), fromPath.Read("the whale").Select(t => t.Values));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_EmptyText_GivesEmptyTracks()
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(RnnCellType.Gru, 2);
        using var _ = model;
        using var reader = new RnnStateReader(LayerStateModels.Export(model, vocabulary));

        var tracks = reader.Read("");

        Assert.Equal(2, tracks.Count);
        Assert.All(tracks, t => Assert.Equal(0, t.Positions));
    }

    [Fact]
    public void Create_ModelExportedWithoutLayerStates_FailsSayingHowToReexport()
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(RnnCellType.Lstm, 1);
        using var _ = model;
        byte[] plain = OnnxExporter.Export(model, OnnxExportOptions.For(vocabulary));

        var error = Assert.Throws<ArgumentException>(() => new RnnStateReader(plain));

        Assert.Contains("IncludeLayerStates = true", error.Message);
    }

    [Fact]
    public void Create_Classifier_FailsNamingTheTask()
    {
        using var model = LayerStateModels.Create(RnnTask.SequenceClassification, RnnCellType.Gru, 1, false);

        var error = Assert.Throws<ArgumentException>(() => new RnnStateReader(LayerStateModels.Export(model)));

        Assert.Contains("language model", error.Message);
    }

    [Fact]
    public void Create_ChunkLengthBelowOne_Throws()
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(RnnCellType.Gru, 1);
        using var _ = model;

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new RnnStateReader(LayerStateModels.Export(model, vocabulary), chunkLength: 0));

        Assert.Equal("chunkLength", error.ParamName);
    }

    [Fact]
    public void DisposeTwiceDoesNotThrow_AndReadAfterDisposeThrows()
    {
        var (model, vocabulary) = LayerStateModels.CharLanguageModel(RnnCellType.Gru, 1);
        using var _ = model;
        var reader = new RnnStateReader(LayerStateModels.Export(model, vocabulary));

        reader.Dispose();
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Read("whale"));
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{what}, value {i}: expected {expected[i]}, got {actual[i]}.");
    }
}
