using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;
using MlNetRnn.Training.Models;
using MlNetRnn.Training.Training;

namespace MlNetRnn.Samples;

/// <summary>
/// A character-level name → gender classifier (bidirectional GRU over the name's characters, many-to-one) trained with
/// <see cref="ClassifierTrainer"/> on the training part of the names; the judge of generated names.
/// </summary>
/// <remarks>Owns its TorchSharp model; dispose it. Not thread-safe.</remarks>
internal sealed class NameGenderClassifier : IDisposable
{
    private readonly Vocabulary vocabulary;
    private readonly RnnSequenceModel model;

    private NameGenderClassifier(Vocabulary vocabulary, RnnSequenceModel model, TrainingRun training, double testAccuracy)
    {
        this.vocabulary = vocabulary;
        this.model = model;
        Training = training;
        TestAccuracy = testAccuracy;
    }

    /// <summary>How training went.</summary>
    public TrainingRun Training { get; }

    /// <summary>Accuracy on the test part of the names, measured once after training.</summary>
    public double TestAccuracy { get; }

    /// <summary>
    /// Trains on <paramref name="split"/>'s training part (best epoch on its validation part) under a progress bar and measures
    /// the test accuracy; <see langword="null"/> when training was cancelled before an epoch completed.
    /// </summary>
    public static NameGenderClassifier? Train(DataSplit<LabeledText> split, int epochs, int hidden, int seed)
    {
        var vocabulary = Vocabulary.BuildCharacterLevel(split.Train.Select(n => n.Text), lowercase: false);
        List<SequenceExample> Encode(IEnumerable<LabeledText> names) => names.Select(n => new SequenceExample(vocabulary.Encode(n.Text), n.Label)).ToList();
        var (train, validation, test) = (Encode(split.Train), Encode(split.Validation), Encode(split.Test));

        TorchSharp.torch.manual_seed(seed);
        var config = new RnnModelConfig(RnnTask.SequenceClassification, RnnCellType.Gru, vocabulary.Count, EmbeddingDim: 32, HiddenSize: hidden,
            NumLayers: 1, Bidirectional: true, Dropout: 0.2, NumClasses: FirstNames.Labels.Count);
        var model = new RnnSequenceModel(config);
        var options = new RnnTrainingOptions { Epochs = epochs, BatchSize = 64, LearningRate = 3e-3, EarlyStoppingPatience = 3, Seed = seed };
        var run = SampleConsole.Train("name → gender classifier", options, "nats/name", exportOnCancel: true,
            (progress, ct) => new ClassifierTrainer(options).Train(model, train, validation, progress, ct));
        if (run is null)
        {
            model.Dispose();
            return null;
        }
        return new NameGenderClassifier(vocabulary, model, run, RnnEvaluator.Evaluate(model, test).Accuracy);
    }

    /// <summary>The share of <paramref name="names"/> the classifier assigns to the gender <paramref name="label"/>.</summary>
    public double ShareClassifiedAs(IReadOnlyCollection<string> names, int label) =>
        names.Count == 0 ? double.NaN : RnnEvaluator.Evaluate(model, names.Select(n => new SequenceExample(vocabulary.Encode(n), label)).ToList()).Accuracy;

    public void Dispose() => model.Dispose();
}
