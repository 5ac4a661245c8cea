using Microsoft.ML;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// One-row-at-a-time scoring for ML.NET's <c>PredictionEngine</c>: each row is scored as a batch of one by the same code
/// as the batched cursor, so both give the same numbers.
/// </summary>
internal sealed class RnnRowMapper(RnnScoringCore core, RnnSchema schema)
    : SingleRowMapper(schema.Input, schema.Output, schema.AddedIndex, ComputedFrom(schema))
{
    protected override DataViewRow CreateRow(DataViewRow input, bool[] active)
    {
        var lease = core.Session.Acquire(nameof(RnnScoringTransformer));
        try
        {
            return new MappedRow(this, core, schema, input, active, lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private static int[] ComputedFrom(RnnSchema schema) =>
        schema.CharactersColumn is { } characters ? [schema.TokenColumn.Index, characters.Index] : [schema.TokenColumn.Index];

    private sealed class MappedRow : MappedRowBase, IScoredRowSource
    {
        private readonly string tokenColumnName;
        private readonly TokenColumnReader? reader;
        private readonly CharacterColumnReader? charReader;
        private readonly WindowScorer? scorer;
        private readonly TokenWindow window;
        private readonly long[] rowIndex = new long[1];
        private long scoredPosition = long.MinValue;

        public MappedRow(RnnRowMapper mapper, RnnScoringCore core, RnnSchema schema, DataViewRow input, bool[] active, SharedSession.Lease lease)
            : base(mapper, input, active, lease)
        {
            tokenColumnName = schema.TokenColumn.Name;
            window = new TokenWindow { Characters = schema.CharactersColumn is null ? null : new CharWindow() };
            var kinds = RnnScoringCore.KindsFor(schema, i => active[i]);
            if (kinds != RnnOutputKinds.None)
            {
                reader = TokenColumnReader.Create(input, schema.TokenColumn, TokenRules.For(schema.TokenColumn.Name, schema.TokensAreKeys, core.Model));
                if (schema.CharactersColumn is { } characters)
                    charReader = CharacterColumnReader.Create(input, characters, schema.TokenColumn.Name, core.Model.CharVocabulary!);
                scorer = new WindowScorer(lease.Session, core.Model, core.Settings with { Concurrency = 1 }, kinds);
            }

            CreateAddedGetters(added => ResultGetters.Create(schema.Columns[added], core.Model, this));
        }

        TokenWindow IScoredRowSource.Window => window;

        WindowResults IScoredRowSource.Results => scorer!.Results;

        int IScoredRowSource.Slot => 0;

        void IScoredRowSource.EnsureScored()
        {
            if (scoredPosition == Input.Position)
                return;
            window.Clear();
            rowIndex[0] = Input.Position;
            reader!.Read(window, Input.Position);
            charReader?.Read(window, Input.Position);
            scorer!.Score(window, rowIndex, tokenColumnName);
            scoredPosition = Input.Position;
        }

        protected override void DisposeComputation() => scorer?.Dispose();
    }
}
