namespace MlNetRnn.Training.Datasets;

/// <summary>The part of a data set an item belongs to (see <see cref="HashSplit"/>).</summary>
public enum DataPart
{
    /// <summary>Training data.</summary>
    Train,

    /// <summary>Validation data: best-epoch selection and early stopping.</summary>
    Validation,

    /// <summary>Test data: evaluated once, after training.</summary>
    Test,
}
