using MlNetRnn.Training.Training;
using Xunit;

namespace MlNetRnn.Training.Tests.Training;

public sealed class RnnTrainingOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnesAndValid()
    {
        var options = new RnnTrainingOptions();

        options.Validate();
        Assert.Equal(10, options.Epochs);
        Assert.Equal(32, options.BatchSize);
        Assert.Equal(1e-3, options.LearningRate);
        Assert.Equal(RnnOptimizer.Adam, options.Optimizer);
        Assert.Equal(5.0, options.MaxGradNorm);
        Assert.Null(options.EarlyStoppingPatience);
        Assert.Equal(100, options.ChunkLength);
    }

    [Fact]
    public void LearningRateAt_DecaysOncePerEpoch()
    {
        var options = new RnnTrainingOptions { LearningRate = 0.1, LearningRateDecay = 0.5 };

        Assert.Equal(0.1, options.LearningRateAt(1));
        Assert.Equal(0.025, options.LearningRateAt(3));
    }

    [Fact]
    public void Validate_NamesTheSettingAndTheValue()
    {
        var error = Assert.Throws<ArgumentException>(() => new RnnTrainingOptions { BatchSize = 0 }.Validate());
        Assert.Equal("RnnTrainingOptions.BatchSize: expected at least 1, got 0. (Parameter 'BatchSize')", error.Message);

        Assert.Throws<ArgumentException>(() => new RnnTrainingOptions { LearningRate = double.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new RnnTrainingOptions { EarlyStoppingPatience = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new RnnTrainingOptions { MaxGradNorm = -1 }.Validate());
    }

    [Fact]
    public void Trainers_ValidateTheOptionsWhenCreated()
    {
        Assert.Throws<ArgumentException>(() => new ClassifierTrainer(new RnnTrainingOptions { Epochs = 0 }));
        Assert.Throws<ArgumentException>(() => new LanguageModelTrainer(new RnnTrainingOptions { ChunkLength = 0 }));
    }
}
