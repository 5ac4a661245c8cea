using Microsoft.ML;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;
using static MlNetRnn.Transforms.Tests.Fixtures.TestData;

namespace MlNetRnn.Transforms.Tests;

/// <summary>Damaged saved models: the fast-path loader refuses each with an error naming the file and the entry.</summary>
public sealed class RnnModelLoaderIntegrityTests : IDisposable
{
    private static readonly byte[] Classifier = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, labels: ["a", "b", "c"]);
    private readonly MLContext ml = new(seed: 1);
    private readonly string directory = Directory.CreateTempSubdirectory("mlnetrnn-damage-").FullName;
    private readonly byte[] saved;
    private readonly string onnxEntry;

    public RnnModelLoaderIntegrityTests()
    {
        var data = Load(ml, RandomSequences(8, vocab: 12, seed: 31));
        using var transformer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = Classifier }).Fit(data);
        var pipeline = ml.Transforms.CopyColumns("Copy", "Id").Fit(data).Append(transformer);
        using var stream = new MemoryStream();
        ml.Model.Save(pipeline, data.Schema, stream);
        saved = stream.ToArray();
        onnxEntry = ZipDamage.FindEntry(saved, "OnnxModel");
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Undamaged_LoadsAndScores()
    {
        var loaded = LoadFile(saved, out _);
        Assert.Equal(8, Vectors<float>(loaded.Transform(Load(ml, RandomSequences(8, vocab: 12, seed: 32))), "Score").Count);
        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void FlippedBitInsideTheCompressedOnnxEntry_IsRefusedByItsCrc()
    {
        var error = Refused(ZipDamage.FlipBitInCompressedData(saved, onnxEntry), out string path);
        Assert.StartsWith($"Model file '{path}', entry '{onnxEntry}': the entry decompresses to", error.Message);
        Assert.Contains("CRC-32", error.Message);
    }

    [Fact]
    public void TruncatedOnnxEntry_IsRefusedNamingTheEntry()
    {
        var error = Refused(ZipDamage.ReplaceEntry(saved, onnxEntry, content => content[..^100]), out string path);
        Assert.StartsWith($"Model file '{path}', entry '{onnxEntry}': expected a length-prefixed ONNX model", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void DeletedOnnxEntry_IsRefusedNamingTheEntry()
    {
        var error = Refused(ZipDamage.DeleteEntry(saved, onnxEntry), out string path);
        Assert.StartsWith($"Model file '{path}', entry '{onnxEntry}': the entry is missing", error.Message);
    }

    [Fact]
    public void OnnxEntryReplacedByBytesOnnxRuntimeCannotLoad_IsRefusedNamingTheEntry()
    {
        byte[] garbage = [.. Enumerable.Range(0, 500).Select(i => (byte)(i * 37))];
        var error = Refused(ZipDamage.ReplaceEntry(saved, onnxEntry, _ => ZipDamage.LengthPrefixed(garbage)), out string path);
        Assert.StartsWith($"Model file '{path}', entry '{onnxEntry}': ONNX Runtime cannot load the model", error.Message);
    }

    [Fact]
    public void OnnxEntryReplacedByATagger_IsRefusedNamingTaskAndClassCount()
    {
        byte[] tagger = TestModels.MlNetRnn(TestModels.Task.TokenClassification, classes: 4);
        var error = Refused(ZipDamage.ReplaceEntry(saved, onnxEntry, _ => ZipDamage.LengthPrefixed(tagger)), out string path);
        Assert.StartsWith($"Model file '{path}', entry '{onnxEntry}': the ONNX model is not the one the scorer was saved with", error.Message);
        Assert.Contains("task: saved SequenceClassification, model TokenClassification", error.Message);
        Assert.Contains("class count: saved 3, model 4", error.Message);
    }

    [Fact]
    public void OnnxEntryReplacedByAClassifierWithOtherLabels_IsRefusedNamingBothLabelLists()
    {
        byte[] other = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, labels: ["x", "y", "z"], seed: 9);
        var error = Refused(ZipDamage.ReplaceEntry(saved, onnxEntry, _ => ZipDamage.LengthPrefixed(other)), out _);
        Assert.Contains("labels: saved [a, b, c], model [x, y, z]", error.Message);
    }

    [Fact]
    public void OnnxEntryReplacedByAModelWithAnotherVocabulary_IsRefusedNamingBothSizes()
    {
        byte[] other = TestModels.MlNetRnn(TestModels.Task.SequenceClassification, labels: ["a", "b", "c"], vocab: 30);
        var error = Refused(ZipDamage.ReplaceEntry(saved, onnxEntry, _ => ZipDamage.LengthPrefixed(other)), out _);
        Assert.Contains("vocabulary size: saved 12, model 30", error.Message);
    }

    [Fact]
    public void DamagedStream_IsRefusedNamingTheEntry()
    {
        using var stream = new MemoryStream(ZipDamage.DeleteEntry(saved, onnxEntry));
        var error = Assert.Throws<InvalidDataException>(() => new MLContext(seed: 2).Model.LoadWithRnnFastPath(stream, out _));
        Assert.StartsWith($"Model stream, entry '{onnxEntry}': the entry is missing", error.Message);
    }

    [Fact]
    public void TruncatedFile_IsRefusedAsNotAZip()
    {
        var error = Refused(saved[..(saved.Length / 2)], out string path);
        Assert.StartsWith($"Model file '{path}' is not a readable zip archive", error.Message);
    }

    private string DamagedPath => Path.Combine(directory, "damaged.zip");

    private InvalidDataException Refused(byte[] damaged, out string path)
    {
        path = DamagedPath;
        return Assert.Throws<InvalidDataException>(() => LoadFile(damaged, out _));
    }

    private ITransformer LoadFile(byte[] zip, out DataViewSchema schema)
    {
        File.WriteAllBytes(DamagedPath, zip);
        return new MLContext(seed: 2).Model.LoadWithRnnFastPath(DamagedPath, out schema);
    }
}
