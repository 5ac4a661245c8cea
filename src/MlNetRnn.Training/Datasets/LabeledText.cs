namespace MlNetRnn.Training.Datasets;

/// <summary>One labelled text of a classification data set.</summary>
/// <param name="Text">The raw text.</param>
/// <param name="Label">The class index (0-based).</param>
/// <param name="Source">Where the text comes from within the data set (for example <c>imdb</c>).</param>
public sealed record LabeledText(string Text, int Label, string Source);
