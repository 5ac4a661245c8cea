namespace MlNetRnn.Training.Datasets;

/// <summary>A data set divided into its training, validation and test parts.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Train">The training part.</param>
/// <param name="Validation">The validation part (best-epoch selection, early stopping).</param>
/// <param name="Test">The test part (evaluated once, after training).</param>
public sealed record DataSplit<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Validation, IReadOnlyList<T> Test);
