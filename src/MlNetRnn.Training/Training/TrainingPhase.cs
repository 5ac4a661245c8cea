namespace MlNetRnn.Training.Training;

/// <summary>What a trainer is doing when it reports <see cref="TrainingProgress"/>.</summary>
public enum TrainingPhase
{
    /// <summary>Updating the weights on training batches.</summary>
    Train,
    /// <summary>Measuring the validation data at the end of an epoch.</summary>
    Validate,
}
