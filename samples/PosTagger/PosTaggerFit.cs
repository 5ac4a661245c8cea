using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Samples;
using MlNetRnn.Training;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;

/// <summary>
/// <c>--fit</c>: the same character-aware BiLSTM tagger trained inside ML.NET — tags split and mapped to keys, <c>RnnTokenClassifier</c>,
/// <c>Fit</c> on an IDataView of space-joined words — instead of the lower-level trainer.
/// </summary>
internal static class PosTaggerFit
{
    public static void Run(List<TaggedSentence> train, List<TaggedSentence> valid, List<TaggedSentence> test, int epochs, int hidden, int embedding,
        int charEmbedding, int charHidden, double wordDropout, double embeddingDropout)
    {
        var ml = new MLContext(seed: 5);
        IDataView View(IEnumerable<TaggedSentence> sentences) =>
            ml.Data.LoadFromEnumerable(sentences.Select(s => new Row { Text = string.Join(' ', s.Words), Tags = string.Join(' ', s.Tags) }).ToList());
        // Every tag of every part is a key, so a validation or test tag unseen in training is a class the model never predicts, not a missing key.
        var allTags = train.Concat(valid).Concat(test).SelectMany(s => s.Tags).Distinct().Order(StringComparer.Ordinal).Select(t => new TagRow { Tag = t }).ToList();
        var tagKeys = ml.Transforms.Text.TokenizeIntoWords("TagWords", "Tags", [' '])
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", "TagWords", keyData: ml.Data.LoadFromEnumerable(allTags)));
        var options = new RnnTokenClassifierOptions
        {
            Cell = RnnCellType.Lstm,
            EmbeddingDim = embedding,
            HiddenSize = hidden,
            Bidirectional = true,
            Dropout = 0.3,
            // The character encoder over each word as written, as in the lower-level path.
            CharEmbeddingDim = charEmbedding,
            CharHiddenSize = charHidden,
            WordDropout = wordDropout,
            EmbeddingDropout = embeddingDropout,
            Epochs = epochs,
            BatchSize = 32,
            LearningRate = 2e-3,
            EarlyStoppingPatience = 3,
            Seed = 5,
            // Brown words are already split: one token per space-separated word, lowercased as in the lower-level path.
            Tokenization = new TokenizationSettings(TokenizationLevel.Word, lowercase: true, pattern: @"\S+"),
            ValidationSet = tagKeys.Fit(View(valid)).Transform(View(valid)),
        };

        TransformerChain<RnnTrainedTransformer>? model = null;
        var run = SampleConsole.Train("POS char-BiLSTM (ML.NET Fit)", new RnnTrainingOptions { Epochs = epochs, LearningRate = options.LearningRate }, "nats/token", exportOnCancel: false,
            (progress, cancellation) =>
            {
                options.Progress = progress;
                options.CancellationToken = cancellation;
                model = tagKeys.Append(ml.MulticlassClassification.Trainers.RnnTokenClassifier(options)).Fit(View(train));
                return model.LastTransformer.TrainingResult;
            });
        if (run is null || model is null)
            return;
        using var trained = model.LastTransformer;
        SampleConsole.PrintHistory(run, "nats/token");

        var scored = model.Transform(View(test));
        var gold = scored.GetColumn<uint[]>("Label").SelectMany(t => t).ToArray();
        var predicted = scored.GetColumn<uint[]>("PredictedLabel").SelectMany(t => t).ToArray();
        double accuracy = gold.Zip(predicted).Average(p => p.First == p.Second ? 1.0 : 0.0);
        AnsiConsole.MarkupLine($"Test token accuracy (Fit path): [bold]{accuracy:P1}[/] on {gold.Length:N0} tokens.");
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";

        public string Tags { get; set; } = "";
    }

    private sealed class TagRow
    {
        public string Tag { get; set; } = "";
    }
}
