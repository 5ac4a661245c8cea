using MlNetRnn.Samples;
using MlNetRnn.Training.Training;
using Xunit;

namespace MlNetRnn.Samples.Tests;

public sealed class EpochRecorderTests
{
    private static TrainingProgress TrainReport(int epoch, double loss, double seconds) =>
        new(TrainingPhase.Train, epoch, 5, 10, 10, loss, null, 1000, TimeSpan.FromSeconds(seconds), TimeSpan.Zero, null);

    private static TrainingProgress ValidationReport(int epoch, double loss, double accuracy, double best, double seconds) =>
        new(TrainingPhase.Validate, epoch, 5, 10, 10, loss, accuracy, 1000, TimeSpan.FromSeconds(seconds), TimeSpan.Zero, best);

    // Epoch 1: val 0.9; epoch 2: val 0.7 (best); epoch 3: val 0.8.
    private static EpochRecorder AfterEpochs(int completed)
    {
        var recorder = new EpochRecorder(epoch => 0.01 / epoch);
        double[] losses = [0.9, 0.7, 0.8];
        double best = double.PositiveInfinity;
        for (int epoch = 1; epoch <= completed; epoch++)
        {
            recorder.Observe(TrainReport(epoch, 1.0 / epoch, 10 * epoch - 5));
            best = Math.Min(best, losses[epoch - 1]);
            recorder.Observe(ValidationReport(epoch, losses[epoch - 1], 0.5 + epoch / 10.0, best, 10 * epoch));
        }
        recorder.Observe(TrainReport(completed + 1, 0.2, 10 * completed + 3));   // the cancelled epoch had begun
        return recorder;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cancelled_BeforeTheFirstValidation_SaysThereIsNothingToExport(bool exportOnCancel)
    {
        var (message, export) = AfterEpochs(0).Cancelled(exportOnCancel, TimeSpan.FromSeconds(3), "nats/token");
        Assert.Null(export);
        Assert.Equal("Cancelled in epoch 1, before any epoch was validated: no weights to export.", message);
    }

    [Fact]
    public void Cancelled_AfterEpochs_NamesTheBestEpochAndItsMetric_AndExportsOnlyWhenAsked()
    {
        var recorder = AfterEpochs(3);
        Assert.Equal(2, recorder.BestEpoch);

        var (message, export) = recorder.Cancelled(exportOnCancel: false, TimeSpan.FromSeconds(33), "nats/token");
        Assert.Null(export);
        Assert.Equal("Cancelled in epoch 4 after 3 completed epochs; the model holds the weights of epoch 2 (validation loss 0.7000 nats/token, accuracy 70.0 %). "
            + "Nothing exported: run with --export-on-cancel to export the best weights when cancelling.", message);

        (message, export) = recorder.Cancelled(exportOnCancel: true, TimeSpan.FromSeconds(33), "nats/token");
        Assert.EndsWith("Exporting them; the model card says the training was cancelled.", message);
        Assert.NotNull(export);
        Assert.Equal(2, export.BestEpoch);
        Assert.Equal(4, export.CancelledInEpoch);
        Assert.Equal([1, 2, 3], export.History.Select(e => e.Epoch));
    }

    [Fact]
    public void Cancelled_AfterTheFirstEpoch_KeepsThatEpoch()
    {
        var (message, export) = AfterEpochs(1).Cancelled(exportOnCancel: true, TimeSpan.FromSeconds(13), "nats/char");
        Assert.StartsWith("Cancelled in epoch 2 after 1 completed epoch; the model holds the weights of epoch 1 (validation loss 0.9000 nats/char, accuracy 60.0 %).", message);
        Assert.Equal(1, export!.BestEpoch);
    }

    [Fact]
    public void Observe_RebuildsEachEpochFromItsLastTrainingReportAndItsValidation()
    {
        var history = AfterEpochs(2).History;
        Assert.Equal(2, history.Count);
        Assert.Equal(new EpochMetrics(2, 0.005, 0.5, 0.7, 0.7, 1000, TimeSpan.FromSeconds(10)), history[1]);
    }

    [Fact]
    public void NextEpochFits_ComparesTheLastEpochsDurationWithWhatIsLeftOfTheBudget()
    {
        Assert.True(AfterEpochs(0).NextEpochFits(TimeSpan.Zero, TimeSpan.FromSeconds(5)));   // nothing measured yet
        var recorder = AfterEpochs(2);                                                           // each epoch took 10 s
        Assert.True(recorder.NextEpochFits(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(20)));
        Assert.False(recorder.NextEpochFits(TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void StoppedAtBudget_AfterEpochs_ExportsTheBestEpochAsANormalEnd()
    {
        var (message, export) = AfterEpochs(3).StoppedAtBudget(TimeSpan.FromMinutes(0.5), TimeSpan.FromSeconds(31), "nats/char");

        Assert.Equal("Stopped at the time budget of 0.5 min after 3 completed epochs; the model holds the weights of epoch 2 (validation loss 0.7000 nats/char, accuracy 70.0 %). Exporting them.", message);
        Assert.NotNull(export);
        Assert.Equal(2, export.BestEpoch);
        Assert.Null(export.CancelledInEpoch);
        Assert.Equal(TimeSpan.FromMinutes(0.5), export.TimeBudget);
        Assert.Equal([1, 2, 3], export.History.Select(e => e.Epoch));
    }

    [Fact]
    public void StoppedAtBudget_BeforeTheFirstValidation_HasNothingToExport()
    {
        var (message, export) = AfterEpochs(0).StoppedAtBudget(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(61), "nats/char");

        Assert.Null(export);
        Assert.Equal("Stopped at the time budget of 1 min in epoch 1, before any epoch was validated: no weights to export. Give it more time.", message);
    }
}
