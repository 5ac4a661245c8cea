namespace MlNetRnn.Training.Datasets;

/// <summary>One of the 500 documents of the Brown corpus, with its genre and its sentences.</summary>
/// <param name="Id">The document's file name, for example <c>ca01</c>.</param>
/// <param name="Genre">The genre <c>cats.txt</c> gives it, for example <c>news</c>.</param>
/// <param name="Sentences">Its sentences in corpus order.</param>
public sealed record BrownDocument(string Id, string Genre, IReadOnlyList<TaggedSentence> Sentences);
