// The C# examples of README.md and src/MlNetRnn.Transforms/README.md, verbatim: ReadmeTests checks that every line of every
// ```csharp block there occurs here, in order (whitespace aside), and runs these methods in a temporary directory.
// Change an example in both places.
using MlNetRnn.Training.Data;      // Vocabulary, LabelSet, SequenceExample, TaggedSequence, TokenizationSettings
using MlNetRnn.Training.Models;    // RnnModelConfig, RnnSequenceModel
using MlNetRnn.Training.Training;  // ClassifierTrainer, LanguageModelTrainer, RnnTrainingOptions, RnnEvaluator
using MlNetRnn.Training.Export;    // OnnxExporter, OnnxParity
using Microsoft.ML;
using MlNetRnn.Training;            // RnnSequenceClassifier, RnnSequenceClassifierOptions (Fit in ML.NET)
using MlNetRnn.Training.Generation; // EncoderDecoderModel (for the tiny package the generation example reads)
using MlNetRnn.Transforms;
using MlNetRnn.Transforms.Generation;

namespace MlNetRnn.Transforms.Tests;

/// <summary>README.md, "Train, export, score".</summary>
internal static class ReadmeExamples
{
    /// <summary>Writes <c>sentiment.onnx</c> to the current directory.</summary>
    public static void TrainExportVerify()
    {
        string[] trainTexts = ["a joy to watch", "great fun, great cast", "dull and far too long", "a waste of time"];
        int[] trainLabels = [1, 1, 0, 0];                                           // class indices: 0 = negative, 1 = positive
        string[] validationTexts = ["great fun", "far too dull"];
        int[] validationLabels = [1, 0];

        var vocabulary = Vocabulary.BuildWordLevel(trainTexts, minCount: 1, lowercase: true);   // 0 = <pad>, 1 = <unk>
        var train = trainTexts.Zip(trainLabels, (t, y) => new SequenceExample(vocabulary.Encode(t), y)).ToList();
        var validation = validationTexts.Zip(validationLabels, (t, y) => new SequenceExample(vocabulary.Encode(t), y)).ToList();
        var progress = new Progress<TrainingProgress>(p => Console.WriteLine($"epoch {p.Epoch}, step {p.Step}/{p.StepsPerEpoch}: loss {p.Loss:F3}"));
        using var cancellation = new CancellationTokenSource();   // cancel it (say on Ctrl+C): training stops, the model keeps the best weights so far

        TorchSharp.torch.manual_seed(7);
        using var model = new RnnSequenceModel(new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Gru,
            vocabulary.Count, EmbeddingDim: 64, HiddenSize: 64, NumLayers: 1, Bidirectional: true, Dropout: 0.4, NumClasses: 2));
        var result = new ClassifierTrainer(new RnnTrainingOptions { Epochs = 15, EarlyStoppingPatience = 4, MaxGradNorm = 5 })
            .Train(model, train, validation, progress, cancellation.Token);   // progress: epoch, step, loss, tokens/s, ETA
        Console.WriteLine($"best epoch {result.BestEpoch}: validation loss {result.Best.ValidationLoss:F3}");

        OnnxExporter.Export(model, "sentiment.onnx", OnnxExportOptions.For(vocabulary, LabelSet.FromNames(["negative", "positive"])));
        int[][] someSequences = [vocabulary.Encode("great fun"), vocabulary.Encode("a waste of time"), []];
        Console.WriteLine(OnnxParity.Verify(model, File.ReadAllBytes("sentiment.onnx"), someSequences));   // worst |Δ| per output
    }

    /// <summary>Scores <c>sentiment.onnx</c> from the current directory and writes <c>model.zip</c> there.</summary>
    public static void ScoreInMlNet()
    {
        var mlContext = new MLContext();
        var data = mlContext.Data.LoadFromEnumerable(new[] { new Review { Text = "Great fun!" }, new Review { Text = "A waste of time." } });
        var pipeline = mlContext.Transforms.ScoreRnnText("sentiment.onnx", inputColumnName: "Text")   // the model's own tokenizer + vocabulary
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("Sentiment", "PredictedLabel"));
        using var model = pipeline.Fit(data);
        mlContext.Model.Save(model, data.Schema, "model.zip");                      // ONNX bytes inside the zip
        using var restored = mlContext.Model.LoadWithRnnFastPath("model.zip", out _); // batched scorer restored; dispose it
    }

    /// <summary>README.md, "Train inside ML.NET": trains on tiny data with <c>Fit</c>, evaluates, saves <c>fit-model.zip</c>.</summary>
    public static void FitInMlNet()
    {
        var mlContext = new MLContext(seed: 1);
        string[] positive = ["a joy to watch", "great fun", "great cast", "a joy", "fun and great", "great joy"];
        string[] negative = ["dull and far too long", "a waste of time", "far too dull", "a waste", "too long", "dull waste"];
        var rows = positive.Select(t => new LabeledReview { Text = t, Sentiment = "positive" })
            .Concat(negative.Select(t => new LabeledReview { Text = t, Sentiment = "negative" })).ToList();
        IDataView trainData = mlContext.Data.LoadFromEnumerable(rows), testData = trainData;

        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label", "Sentiment")
            .Append(mlContext.MulticlassClassification.Trainers.RnnSequenceClassifier(new RnnSequenceClassifierOptions
            {
                InputColumnName = "Text", Epochs = 10, ValidationFraction = 0.2,
            }));
        var model = pipeline.Fit(trainData);                                   // vocabulary, TorchSharp training, ONNX export
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(testData));
        Console.WriteLine($"accuracy {metrics.MicroAccuracy:P1} after {model.LastTransformer.TrainingResult.History.Count} epochs");
        mlContext.Model.Save(model, trainData.Schema, "fit-model.zip");        // loads without TorchSharp
        model.LastTransformer.Dispose();
    }

    /// <summary>README.md, "Generation": decodes two words with a package <c>cmudict-g2p.zip</c> in the current directory.</summary>
    public static void GenerateInMlNet()
    {
        var mlContext = new MLContext();
        var words = mlContext.Data.LoadFromEnumerable(new[] { new Word { Text = "hello" }, new Word { Text = "world" } });
        using var g2p = mlContext.Transforms.GenerateSequence(new RnnSequenceGenerationOptions
        {
            PackagePath = "cmudict-g2p.zip", InputColumnName = "Text", OutputColumnName = "Phonemes", BeamSize = 5,
        }).Fit(words);
        foreach (var row in mlContext.Data.CreateEnumerable<Pronunciation>(g2p.Transform(words), reuseRowObject: false))
            Console.WriteLine($"{row.Text} → {row.Phonemes} (log-probability {row.GeneratedLogProbability:F2})");
    }

    /// <summary>Writes an untrained character → phoneme package as <c>cmudict-g2p.zip</c> for <see cref="GenerateInMlNet"/>.</summary>
    public static void WriteTinyG2pPackage()
    {
        var source = Vocabulary.BuildFromTokens([.. "abcdefghijklmnopqrstuvwxyz".Select(c => new[] { c.ToString() })],
            new TokenizationSettings(TokenizationLevel.Character, lowercase: true), minCount: 1);
        var target = TargetVocabulary.Build([["HH", "AH", "L", "OW"], ["W", "ER", "L", "D"]], joiner: " ");
        TorchSharp.torch.manual_seed(3);
        using var model = new EncoderDecoderModel(new EncoderDecoderConfig(RnnCellType.Lstm, source.Count, target.Count,
            EmbeddingDim: 8, HiddenSize: 8, Bidirectional: true, Attention: true));
        MlNetRnn.Training.Export.GeneratorExporter.Export(model, "cmudict-g2p.zip", source, target,
            new MlNetRnn.Training.Export.GeneratorExportOptions { MaxTargetLength = 6 });
    }

    sealed class Review { public string Text { get; set; } = ""; }

    sealed class LabeledReview { public string Text { get; set; } = ""; public string Sentiment { get; set; } = ""; }

    sealed class Word { public string Text { get; set; } = ""; }

    sealed class Pronunciation { public string Text { get; set; } = ""; public string Phonemes { get; set; } = ""; public float GeneratedLogProbability { get; set; } }
}

/// <summary>src/MlNetRnn.Transforms/README.md, "Use" and "Saving and loading".</summary>
internal static class TransformsReadmeExamples
{
    /// <summary>Scores <c>sentiment.onnx</c> from the current directory.</summary>
    public static void Use()
    {
        var mlContext = new MLContext();
        var data = mlContext.Data.LoadFromEnumerable(new[] { new Review { Text = "Great fun!", Tokens = [2, 3] } });

        // Token ids already in a column "Tokens" (a key vector, or UInt32 / Int32 / Int64 ids):
        var pipeline = mlContext.Transforms.ScoreRnn("sentiment.onnx", inputColumnName: "Tokens")
            .Append(mlContext.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));

        // Raw text with a model exported by MlNetRnn (tokenized with the model's own vocabulary and settings):
        var textPipeline = mlContext.Transforms.ScoreRnnText("sentiment.onnx", inputColumnName: "Text");

        var fitted = textPipeline.Fit(data);
        var scored = fitted.Transform(data);
        // ...
        fitted.LastTransformer.Dispose();   // the scorer owns an ONNX Runtime session

        using var tokensScorer = pipeline.Fit(data);
    }

    /// <summary>Creates the estimator of the options example from <c>sentiment.onnx</c> in the current directory.</summary>
    public static void Options()
    {
        var mlContext = new MLContext();
        mlContext.Transforms.ScoreRnn(new RnnScoringOptions
        {
            ModelPath = "sentiment.onnx",         // or ModelBytes
            InputColumnName = "Tokens",
            HiddenStatesColumnName = "States",    // optional extra outputs
            BatchSize = 64, WindowSize = 1024, MaxTokensPerBatch = 8192,
            IntraOpThreads = 1, Concurrency = Environment.ProcessorCount,
        });
    }

    /// <summary>Loads <c>model.zip</c> from the current directory.</summary>
    public static void Load()
    {
        var mlContext = new MLContext();
        using RnnLoadedModel model = mlContext.Model.LoadWithRnnFastPath("model.zip", out var schema);   // owns the scorers' sessions
    }

    sealed class Review { public string Text { get; set; } = ""; public int[] Tokens { get; set; } = []; }
}
