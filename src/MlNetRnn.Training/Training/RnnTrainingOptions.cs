using System.Globalization;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>Settings of a training run, shared by <see cref="ClassifierTrainer"/> and <see cref="LanguageModelTrainer"/>.</summary>
/// <remarks>Every property has a documented default; <see cref="Validate"/> is called by the trainers.</remarks>
public sealed class RnnTrainingOptions
{
    /// <summary>Number of passes over the training data. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Sequences per batch (classifiers) or parallel streams (language model). Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Learning rate of the first epoch. Default 0.001 (suits Adam; SGD usually wants 0.1 to 1).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Factor applied to the learning rate after every epoch: epoch e uses <c>LearningRate · LearningRateDecay^(e−1)</c>. Default 1 (constant).</summary>
    public double LearningRateDecay { get; init; } = 1.0;

    /// <summary>The optimizer. Default <see cref="RnnOptimizer.Adam"/>.</summary>
    public RnnOptimizer Optimizer { get; init; } = RnnOptimizer.Adam;

    /// <summary>Momentum of <see cref="RnnOptimizer.Sgd"/> (ignored by Adam). Default 0.</summary>
    public double Momentum { get; init; }

    /// <summary>L2 weight decay added to the gradient. Default 0.</summary>
    public double WeightDecay { get; init; }

    /// <summary>Largest global L2 norm of the gradient; larger gradients are scaled down to it before each step. <see langword="null"/> or 0 turns clipping off. Default 5.</summary>
    public double? MaxGradNorm { get; init; } = 5.0;

    /// <summary>
    /// Stop after this many epochs in a row without a lower validation loss. <see langword="null"/> (default) never stops early.
    /// Either way the model ends with the weights of the epoch with the lowest validation loss.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Seeds TorchSharp's generator (dropout) at the start of training and the batch shuffling. Default 42.</summary>
    /// <remarks>Weight initialisation happens when the model is created: seed with <c>torch.manual_seed</c> before that.</remarks>
    public int Seed { get; init; } = 42;

    /// <summary>Where training runs; the model is moved there. Default the CPU.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>Classifiers: batches per length-sorting bucket (see <see cref="Data.LengthBucketBatcher"/>). Default 50.</summary>
    public int BucketMultiplier { get; init; } = 50;

    /// <summary>Language model: steps per chunk of truncated backpropagation through time. Default 100.</summary>
    public int ChunkLength { get; init; } = 100;

    /// <summary>Report progress (and check the loss for NaN) every this many training steps, and at the end of every epoch. Default 10.</summary>
    /// <remarks>Reading the loss is the only host synchronisation of a step; between reports it is accumulated on the device.</remarks>
    public int ProgressInterval { get; init; } = 10;

    /// <summary>The learning rate of an epoch: <c>LearningRate · LearningRateDecay^(epoch−1)</c>.</summary>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <returns>The learning rate.</returns>
    public double LearningRateAt(int epoch) => LearningRate * Math.Pow(LearningRateDecay, epoch - 1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        static void Require(bool ok, string name, string expected, object? actual)
        {
            if (!ok)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"RnnTrainingOptions.{name}: expected {expected}, got {actual ?? "null"}."), name);
        }

        Require(Epochs >= 1, nameof(Epochs), "at least 1", Epochs);
        Require(BatchSize >= 1, nameof(BatchSize), "at least 1", BatchSize);
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), "a finite number > 0", LearningRate);
        Require(double.IsFinite(LearningRateDecay) && LearningRateDecay > 0, nameof(LearningRateDecay), "a finite number > 0", LearningRateDecay);
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), "a defined RnnOptimizer", Optimizer);
        Require(Momentum is >= 0 and < 1, nameof(Momentum), "a number in [0, 1)", Momentum);
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), "a finite number ≥ 0", WeightDecay);
        Require(MaxGradNorm is null || (double.IsFinite(MaxGradNorm.Value) && MaxGradNorm >= 0), nameof(MaxGradNorm), "null or a finite number ≥ 0", MaxGradNorm);
        Require(EarlyStoppingPatience is null or >= 1, nameof(EarlyStoppingPatience), "null or at least 1", EarlyStoppingPatience);
        Require(Device is not null, nameof(Device), "a device", Device);
        Require(BucketMultiplier >= 1, nameof(BucketMultiplier), "at least 1", BucketMultiplier);
        Require(ChunkLength >= 1, nameof(ChunkLength), "at least 1", ChunkLength);
        Require(ProgressInterval >= 1, nameof(ProgressInterval), "at least 1", ProgressInterval);
    }
}
