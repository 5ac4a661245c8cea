using Microsoft.ML;

namespace MlNetRnn.Training;

/// <summary>
/// Extensions on <c>mlContext.MulticlassClassification.Trainers</c> that train recurrent sequence models inside ML.NET's
/// <c>Fit</c>: a sequence classifier (one class per row) and a token classifier (one tag per token), the latter where
/// Microsoft.ML.TorchSharp puts its <c>NamedEntityRecognition</c> trainer.
/// </summary>
/// <example>See <c>samples/SentimentClassifier</c> (<c>--fit</c>) and <c>samples/PosTagger</c> (<c>--fit</c>).</example>
public static class RnnTrainerCatalog
{
    /// <summary>Trains an embedding + RNN/LSTM/GRU classifier that gives one class per row, from a text or token-key column.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The label column, <c>Key&lt;UInt32&gt;</c>.</param>
    /// <param name="inputColumnName">The text column, or a vector of <c>Key&lt;UInt32&gt;</c> token keys.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <returns>The trainer; every other setting has its <see cref="RnnTrainerOptions"/> default.</returns>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    /// <example><code>
    /// var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
    ///     .Append(mlContext.MulticlassClassification.Trainers.RnnSequenceClassifier("Label", "Text", epochs: 10));
    /// using var model = pipeline.Fit(trainData).LastTransformer;
    /// </code></example>
    public static RnnSequenceClassifierTrainer RnnSequenceClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string inputColumnName = "Text", int epochs = 10) =>
        catalog.RnnSequenceClassifier(new RnnSequenceClassifierOptions { LabelColumnName = labelColumnName, InputColumnName = inputColumnName, Epochs = epochs });

    /// <summary>Trains an embedding + RNN/LSTM/GRU classifier that gives one class per row, with every setting given.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The settings; copied and checked now, so later changes do not affect the trainer.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public static RnnSequenceClassifierTrainer RnnSequenceClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RnnSequenceClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RnnSequenceClassifierTrainer(TrainerLog.EnvironmentOf(catalog), options);
    }

    /// <summary>Trains an embedding + RNN/LSTM/GRU tagger that gives one class per token, from a text or token-key column.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="labelColumnName">The tag column, a vector of <c>Key&lt;UInt32&gt;</c> with one tag per token.</param>
    /// <param name="inputColumnName">The text column, or a vector of <c>Key&lt;UInt32&gt;</c> token keys.</param>
    /// <param name="epochs">Passes over the training data.</param>
    /// <returns>The trainer; every other setting has its <see cref="RnnTrainerOptions"/> default.</returns>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public static RnnTokenClassifierTrainer RnnTokenClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string inputColumnName = "Text", int epochs = 10) =>
        catalog.RnnTokenClassifier(new RnnTokenClassifierOptions { LabelColumnName = labelColumnName, InputColumnName = inputColumnName, Epochs = epochs });

    /// <summary>Trains an embedding + RNN/LSTM/GRU tagger that gives one class per token, with every setting given.</summary>
    /// <param name="catalog">The multiclass trainers catalog.</param>
    /// <param name="options">The settings; copied and checked now, so later changes do not affect the trainer.</param>
    /// <returns>The trainer.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public static RnnTokenClassifierTrainer RnnTokenClassifier(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RnnTokenClassifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RnnTokenClassifierTrainer(TrainerLog.EnvironmentOf(catalog), options);
    }
}
