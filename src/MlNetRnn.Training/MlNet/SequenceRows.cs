namespace MlNetRnn.Training;

/// <summary>Rows read into memory by <see cref="SequenceReader"/>: one id array per row, and one class per row or one tag array per row.</summary>
internal sealed class SequenceRows(bool perToken)
{
    public List<int[]> Ids { get; } = [];

    public List<int>? Labels { get; } = perToken ? null : [];

    public List<int[]>? Tags { get; } = perToken ? [] : null;

    /// <summary>Text input of a character-aware tagger: each row's tokens as written, as ids of <see cref="SequenceReader.WrittenTokens"/>.</summary>
    public List<int[]> Written { get; } = [];

    public int Count => Ids.Count;
}
