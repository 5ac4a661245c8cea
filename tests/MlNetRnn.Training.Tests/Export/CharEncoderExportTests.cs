using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Models;
using Xunit;
using Xunit.Abstractions;

namespace MlNetRnn.Training.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class CharEncoderExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    public static TheoryData<RnnCellType, bool> Cells() => new()
    {
        { RnnCellType.RnnTanh, false }, { RnnCellType.RnnRelu, true }, { RnnCellType.Lstm, true }, { RnnCellType.Gru, true }, { RnnCellType.Gru, false },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Verify_OrtMatchesTorchSharp_WithCharacters(RnnCellType cell, bool bidirectional)
    {
        using var model = ExportFixtures.CharModel(cell, bidirectional);
        var sequences = ExportFixtures.Sequences(count: 6, maxLength: 9, seed: 4);
        var characters = ExportFixtures.Characters(sequences, maxWordLength: 7, seed: 5);
        characters[2][0] = [];                                       // a word without characters gets zero character features

        var report = OnnxParity.Verify(model, OnnxExporter.Export(model), sequences, characters);

        output.WriteLine($"{cell} bi={bidirectional}: {report}");
        Assert.True(report.MaxAbsDifferenceAnyOutput <= Tolerance, report.ToString());
        Assert.Equal(0, report.LabelMismatches);
    }

    [Fact]
    public void Session_WordAndCharacterPadding_DoNotChangeTheProbabilities()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Lstm, bidirectional: true);
        using var session = new InferenceSession(OnnxExporter.Export(model));
        long[] ids = [3, 7, 9];
        long[][] words = [[1, 2], [3, 4, 5], [6]];

        float[] tight = Run(session, [ids], [words], T: 3, W: 3);
        float[] padded = Run(session, [ids], [words], T: 6, W: 8);

        Assert.Equal(tight.Length * 2, padded.Length);
        for (int i = 0; i < tight.Length; i++)
            Assert.Equal(tight[i], padded[i], 6);
    }

    [Fact]
    public void Session_ARowScoresTheSameAloneAndInABatch()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Gru, bidirectional: true);
        using var session = new InferenceSession(OnnxExporter.Export(model));
        long[][] ids = [[3, 7, 9], [4, 5, 6, 8, 2], [11]];
        long[][][] words = [[[1, 2], [3, 4, 5], [6]], [[2], [2, 3], [4, 4, 4, 4], [5], [6, 7]], [[8, 9, 10, 11]]];
        int C = ExportFixtures.Classes;

        float[] batch = Run(session, ids, words, T: 5, W: 4);            // (3, 5, C)
        float[] alone = Run(session, [ids[0]], [words[0]], T: 3, W: 3);   // (1, 3, C)

        for (int t = 0; t < 3; t++)
            for (int c = 0; c < C; c++)
                Assert.Equal(alone[t * C + c], batch[t * C + c], 6);
    }

    [Fact]
    public void Export_WritesTheCharacterVocabularyAndSizes()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Gru, bidirectional: true);
        var charVocabulary = new[] { "<pad>", "<unk>" }.Concat("abcdefghij".Select(c => c.ToString())).ToArray();

        using var session = new InferenceSession(OnnxExporter.Export(model, new OnnxExportOptions { CharVocabulary = charVocabulary }));
        var metadata = session.ModelMetadata.CustomMetadataMap;

        Assert.Equal(charVocabulary, JsonSerializer.Deserialize<string[]>(metadata["mlnetrnn.char_vocabulary"]));
        Assert.Equal("6", metadata["mlnetrnn.char_hidden_size"]);
        Assert.Equal("5", metadata["mlnetrnn.char_embedding_dim"]);
        Assert.Equal(["input_ids", "lengths", "char_ids", "char_lengths"], session.InputMetadata.Keys);
    }

    [Fact]
    public void Export_CharVocabularyOfTheWrongSize_ThrowsNamingBothCounts()
    {
        using var model = ExportFixtures.CharModel(RnnCellType.Gru, bidirectional: true);

        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, new OnnxExportOptions { CharVocabulary = ["<pad>", "<unk>", "a"] }));

        Assert.Contains("expected 12 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Probabilities (B, T, C) of rows padded to <paramref name="T"/> words of <paramref name="W"/> characters.</summary>
    private static float[] Run(InferenceSession session, long[][] ids, long[][][] words, int T, int W)
    {
        int B = ids.Length;
        var idsBT = new long[B * T];
        var lengths = ids.Select(row => (long)row.Length).ToArray();
        var charIds = new long[B * T * W];
        var charLengths = new long[B * T];
        for (int b = 0; b < B; b++)
        {
            for (int t = 0; t < ids[b].Length; t++)
            {
                idsBT[b * T + t] = ids[b][t];
                charLengths[b * T + t] = words[b][t].Length;
                for (int k = 0; k < words[b][t].Length; k++)
                    charIds[(b * T + t) * W + k] = words[b][t][k];
            }
        }
        using var idsValue = OrtValue.CreateTensorValueFromMemory(idsBT, [B, T]);
        using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengths, [B]);
        using var charIdsValue = OrtValue.CreateTensorValueFromMemory(charIds, [B, T, W]);
        using var charLengthsValue = OrtValue.CreateTensorValueFromMemory(charLengths, [B, T]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["input_ids", "lengths", "char_ids", "char_lengths"],
            [idsValue, lengthsValue, charIdsValue, charLengthsValue], ["probabilities"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
