using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Transforms;

/// <summary>
/// Tags sentences with an exported tagger through the ML.NET transformer (<c>ScoreRnn</c>, ONNX Runtime only): word ids from
/// the model's own vocabulary, the words as written for its character encoder, tag names from the <c>PredictedLabel</c> key values.
/// </summary>
internal static class MlNetTaggerEvaluation
{
    /// <summary>One array of predicted tag names per sentence, in the sentences' order.</summary>
    public static List<string[]> Tag(byte[] onnx, IReadOnlyList<TaggedSentence> sentences)
    {
        var vocabulary = ReadVocabulary(onnx);
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(sentences.Select(s => new Row { Ids = vocabulary.EncodeTokens(s.Words), Words = s.Words.ToArray() }).ToList());
        using var scorer = ml.Transforms.ScoreRnn(new RnnScoringOptions { ModelBytes = onnx, InputColumnName = "Ids", CharactersColumnName = "Words" }).Fit(data);
        var scored = scorer.Transform(data);
        VBuffer<ReadOnlyMemory<char>> names = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref names);
        var tagNames = names.DenseValues().Select(n => n.ToString()).ToArray();
        // Key k is class k − 1; the scorer keeps the rows' order.
        return scored.GetColumn<uint[]>("PredictedLabel").Select(keys => keys.Select(k => tagNames[k - 1]).ToArray()).ToList();
    }

    // The exported word vocabulary and its tokenization, from the model's metadata (mlnetrnn.vocabulary, mlnetrnn.tokenization).
    private static Vocabulary ReadVocabulary(byte[] onnx)
    {
        using var session = new InferenceSession(onnx);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        if (!metadata.TryGetValue("mlnetrnn.vocabulary", out var tokensJson) || !metadata.TryGetValue("mlnetrnn.tokenization", out var tokenizationJson))
            throw new InvalidDataException("Expected an MlNetRnn tagger with 'mlnetrnn.vocabulary' and 'mlnetrnn.tokenization' metadata; the model has neither or only one of them.");
        var tokens = JsonSerializer.Deserialize<string[]>(tokensJson)!;
        using var tokenization = JsonDocument.Parse(tokenizationJson);
        bool lowercase = tokenization.RootElement.GetProperty("lowercase").GetBoolean();
        return Vocabulary.FromTokens(tokens, new TokenizationSettings(TokenizationLevel.Word, lowercase));
    }

    private sealed class Row
    {
        public int[] Ids { get; set; } = [];

        public string[] Words { get; set; } = [];
    }
}
