using System.Globalization;
using System.Reflection;
using Microsoft.ML.Runtime;
using MlNetRnn.Training.Training;

namespace MlNetRnn.Training;

/// <summary>
/// Where a trainer reports: ML.NET's logging channel (messages reach <c>MLContext.Log</c>) and the caller's
/// <see cref="IProgress{T}"/>. Epoch ends and validations go to the channel as Info, every report to the caller's progress.
/// </summary>
internal sealed class TrainerLog : IProgress<TrainingProgress>, IDisposable
{
    private readonly IChannel? channel;
    private readonly IProgress<TrainingProgress>? progress;

    public TrainerLog(IHostEnvironment? environment, string trainerName, IProgress<TrainingProgress>? progress)
    {
        channel = environment?.Register(trainerName).Start("Training");
        this.progress = progress;
    }

    /// <summary>
    /// The <see cref="IHostEnvironment"/> (the <c>MLContext</c>) behind a catalog. Microsoft.ML 5.0.1 keeps it behind the
    /// internal interface <c>IInternalCatalog</c>, so it is read by reflection; null when a later ML.NET changes that, and
    /// the trainer then reports only to the options' progress callback.
    /// </summary>
    public static IHostEnvironment? EnvironmentOf(object catalog)
    {
        var property = catalog.GetType().GetInterfaces()
            .FirstOrDefault(i => i.FullName == "Microsoft.ML.Data.IInternalCatalog")?
            .GetProperty("Environment", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return property?.GetValue(catalog) as IHostEnvironment;
    }

    public void Info(string message) => channel?.Info(MessageSensitivity.None, message);

    public void Report(TrainingProgress value)
    {
        if (value.Phase == TrainingPhase.Validate)
            Info(string.Create(CultureInfo.InvariantCulture, $"Epoch {value.Epoch}/{value.Epochs}: validation loss {value.Loss:F4}, accuracy {value.ValidationAccuracy:F4}."));
        else if (value.Step == value.StepsPerEpoch)
            Info(string.Create(CultureInfo.InvariantCulture, $"Epoch {value.Epoch}/{value.Epochs}: training loss {value.Loss:F4}, {value.TokensPerSecond:F0} tokens/s, {value.Elapsed.TotalSeconds:F1} s elapsed."));
        progress?.Report(value);
    }

    public void Dispose() => channel?.Dispose();
}
