using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Samples;
using MlNetRnn.Training;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;
using Spectre.Console;

/// <summary>
/// <c>--fit</c>: the same model trained inside ML.NET — <c>MapValueToKey</c> → <c>RnnSequenceClassifier</c>, <c>Fit</c> on an
/// IDataView of raw text, <c>MulticlassClassification.Evaluate</c> on the test split — instead of the lower-level trainer.
/// </summary>
internal static class SentimentFit
{
    public static void Run(List<LabeledText> train, List<LabeledText> valid, List<LabeledText> test, SentimentSettings settings,
        IReadOnlyDictionary<string, double> afinnTest)
    {
        var ml = new MLContext(seed: 7);
        var (model, run) = Train(ml, train, valid, settings, seed: 7);
        if (model is null || run is null)
            return;
        using var trained = model.LastTransformer;
        SampleConsole.PrintHistory(run, "nats/sentence");

        var scored = model.Transform(View(ml, test));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        AnsiConsole.MarkupLine($"ML.NET Evaluate on the test split: accuracy [bold]{metrics.MicroAccuracy:P1}[/], log-loss {metrics.LogLoss:F3}.");
        var perSource = AccuracyPerSource(scored);
        var table = new Table().AddColumns("source", "test sentences", $"{settings.ModelName} accuracy (Fit)", "AFINN lexicon (same sentences)");
        foreach (var source in SentimentSentences.Sources)
            table.AddRow(source, test.Count(x => x.Source == source).ToString(), perSource[source].ToString("P1"), afinnTest[source].ToString("P1"));
        AnsiConsole.Write(table);
    }

    /// <summary>Trains the model with <c>Fit</c> under a progress bar; (null, null) when Ctrl+C stopped it.</summary>
    public static (TransformerChain<RnnTrainedTransformer>? Model, TrainingRun? Run) Train(MLContext ml, List<LabeledText> train, List<LabeledText> valid,
        SentimentSettings settings, int seed)
    {
        var options = new RnnSequenceClassifierOptions
        {
            Cell = settings.Cell,
            EmbeddingDim = settings.Embedding,
            HiddenSize = settings.Hidden,
            Bidirectional = true,
            Dropout = settings.Dropout,
            Epochs = settings.Epochs,
            BatchSize = 32,
            LearningRate = settings.LearningRate,
            EarlyStoppingPatience = settings.Patience,
            Seed = seed,
            PretrainedWordVectors = settings.Vectors,
            FreezeEmbedding = settings.Freeze,
            PretrainedWordCount = settings.PretrainedWords,
            ValidationSet = LabelKeys(ml).Fit(View(ml, valid)).Transform(View(ml, valid)),
        };

        TransformerChain<RnnTrainedTransformer>? model = null;
        var run = SampleConsole.Train($"sentiment {settings.ModelName} (ML.NET Fit, seed {seed})", new RnnTrainingOptions { Epochs = settings.Epochs, LearningRate = options.LearningRate }, "nats/sentence", exportOnCancel: false,
            (progress, cancellation) =>
            {
                options.Progress = progress;
                options.CancellationToken = cancellation;
                model = LabelKeys(ml).Append(ml.MulticlassClassification.Trainers.RnnSequenceClassifier(options)).Fit(View(ml, train));
                return model.LastTransformer.TrainingResult;
            });
        return run is null ? (null, null) : (model, run);
    }

    /// <summary>Rows with columns Text, Label (the label's name) and Source.</summary>
    public static IDataView View(MLContext ml, IEnumerable<LabeledText> items) =>
        ml.Data.LoadFromEnumerable(items.Select(x => new Row { Text = x.Text, Label = SentimentSentences.Labels[x.Label], Source = x.Source }).ToList());

    /// <summary>Accuracy of a scored view per source (rows with Source, Label and PredictedLabel).</summary>
    public static Dictionary<string, double> AccuracyPerSource(IDataView scored)
    {
        var sources = scored.GetColumn<string>("Source").ToArray();
        var correct = scored.GetColumn<uint>("Label").Zip(scored.GetColumn<uint>("PredictedLabel"), (a, p) => a == p ? 1.0 : 0.0).ToArray();
        return SentimentSentences.Sources.ToDictionary(s => s, s => Enumerable.Range(0, sources.Length).Where(i => sources[i] == s).Average(i => correct[i]));
    }

    // Key k = class k−1 in SentimentSentences.Labels order, whatever order the rows come in.
    private static IEstimator<ITransformer> LabelKeys(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(SentimentSentences.Labels.Select(l => new LabelRow { Label = l }).ToList()));

    private sealed class Row
    {
        public string Text { get; set; } = "";

        public string Label { get; set; } = "";

        public string Source { get; set; } = "";
    }

    private sealed class LabelRow
    {
        public string Label { get; set; } = "";
    }
}
