using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using MlNetRnn.Transforms.Generation;
using TorchSharp;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class RnnTextGeneratorTests
{
    private static readonly object TorchLock = new();

    private static (byte[] Onnx, string Greedy) CharModel(RnnCellType cell, string prompt, int count, bool wordLevel = false)
    {
        lock (TorchLock)
        {
            string[] texts = ["the quick brown fox jumps over the lazy dog"];
            var vocabulary = wordLevel ? Vocabulary.BuildWordLevel(texts, lowercase: false) : Vocabulary.BuildCharacterLevel(texts, lowercase: false);
            torch.manual_seed(3);
            using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.LanguageModel, cell, vocabulary.Count, 8, 16, NumLayers: 2));
            model.eval();
            string greedy = TextGenerator.Generate(model, vocabulary, prompt, count, temperature: 0);
            return (OnnxExporter.Export(model, OnnxExportOptions.For(vocabulary)), greedy);
        }
    }

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    public void Generate_Greedy_ReturnsTheSameContinuationAsTorchSharpWithoutThePrompt(RnnCellType cell)
    {
        var (onnx, torchGreedy) = CharModel(cell, "the ", 30);
        using var generator = new RnnTextGenerator(onnx);

        string text = generator.Generate("the ", 30, temperature: 0);

        Assert.Equal(torchGreedy, text);
        Assert.Equal(30, text.Length);
    }

    [Fact]
    public void Generate_WordLevel_JoinsWordsWithSingleSpacesLikeTorchSharp()
    {
        var (onnx, torchGreedy) = CharModel(RnnCellType.Gru, "the quick", 6, wordLevel: true);
        using var generator = new RnnTextGenerator(onnx);

        string text = generator.Generate("the quick", 6, temperature: 0);

        Assert.Equal(torchGreedy, text);
        Assert.Equal(6, text.Split(' ').Length);
        Assert.False(text.StartsWith(' '));
    }

    [Fact]
    public void Generate_IsReproducibleForASeed_AndNeverEmitsPaddingOrUnknown()
    {
        var (onnx, _) = CharModel(RnnCellType.Lstm, "a", 1);
        using var generator = new RnnTextGenerator(onnx);

        string first = generator.Generate("fox", 200, temperature: 1.5, seed: 9);
        string second = generator.Generate("fox", 200, temperature: 1.5, seed: 9);
        string other = generator.Generate("fox", 200, temperature: 1.5, seed: 10);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.DoesNotContain("<pad>", first);
        Assert.DoesNotContain("<unk>", first);
    }

    [Fact]
    public void Constructor_RefusesAClassifier()
    {
        byte[] onnx;
        lock (TorchLock)
        {
            torch.manual_seed(1);
            using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Gru, 10, 4, 4, NumClasses: 2));
            onnx = OnnxExporter.Export(model);
        }

        var e = Assert.Throws<ArgumentException>(() => new RnnTextGenerator(onnx));
        Assert.Contains("language model", e.Message);
    }

    [Fact]
    public void Generate_RefusesAnEmptyPrompt_AndUseAfterDispose()
    {
        var (onnx, _) = CharModel(RnnCellType.Gru, "a", 1);
        var generator = new RnnTextGenerator(onnx);

        Assert.Throws<ArgumentException>(() => generator.Generate("", 5));
        generator.Dispose();
        generator.Dispose();
        Assert.Throws<ObjectDisposedException>(() => generator.Generate("the", 5));
    }
}
