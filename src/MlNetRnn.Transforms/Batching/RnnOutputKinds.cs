namespace MlNetRnn.Transforms.Batching;

/// <summary>Which results a cursor needs computed; decides which graph outputs are fetched.</summary>
[Flags]
internal enum RnnOutputKinds
{
    None = 0,
    Scores = 1,
    Labels = 2,
    LanguageModel = 4,
    LastHidden = 8,
    HiddenStates = 16,
    LayerHiddenStates = 32,
}
