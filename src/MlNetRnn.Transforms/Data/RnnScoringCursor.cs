using Microsoft.ML;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// Reads a window of rows ahead from the upstream cursor (ids and pass-through values), scores the window in
/// length-sorted batches, then serves its rows one by one in their original order (<see cref="WindowedRowCursor"/>).
/// </summary>
internal sealed class RnnScoringCursor : WindowedRowCursor, IScoredRowSource
{
    private readonly string tokenColumnName;
    private readonly TokenColumnReader? reader;
    private readonly CharacterColumnReader? charReader;
    private readonly WindowScorer? scorer;
    private readonly TokenWindow window;

    public RnnScoringCursor(RnnScoringCore core, RnnSchema schema, DataViewRowCursor upstream, bool[] active, RnnOutputKinds kinds, SharedSession.Lease lease)
        : base(schema.Input, schema.Output, schema.AddedIndex, upstream, active, core.Settings.WindowSize, lease, "scoring", namesGetterType: true)
    {
        tokenColumnName = schema.TokenColumn.Name;
        window = new TokenWindow { Characters = schema.CharactersColumn is null ? null : new CharWindow() };
        if (kinds != RnnOutputKinds.None)
        {
            reader = TokenColumnReader.Create(upstream, schema.TokenColumn, TokenRules.For(schema.TokenColumn.Name, schema.TokensAreKeys, core.Model));
            if (schema.CharactersColumn is { } characters)
                charReader = CharacterColumnReader.Create(upstream, characters, schema.TokenColumn.Name, core.Model.CharVocabulary!);
            scorer = new WindowScorer(lease.Session, core.Model, core.Settings, kinds);
        }

        CreateAddedGetters(added => ResultGetters.Create(schema.Columns[added], core.Model, this));
    }

    TokenWindow IScoredRowSource.Window => window;

    WindowResults IScoredRowSource.Results => scorer!.Results;

    int IScoredRowSource.Slot => Slot;

    void IScoredRowSource.EnsureScored()
    {
    }

    protected override void BeginWindow() => window.Clear();

    protected override void ReadRow(long rowPosition)
    {
        reader?.Read(window, rowPosition);
        charReader?.Read(window, rowPosition);
    }

    protected override void ComputeWindow(ReadOnlySpan<long> rowPositions) => scorer?.Score(window, rowPositions, tokenColumnName);

    protected override void DisposeComputation() => scorer?.Dispose();
}
