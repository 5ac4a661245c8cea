using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// One-row-at-a-time scoring for ML.NET's <c>PredictionEngine</c>: each row is scored as a batch of one by the same code
/// as the batched cursor, so both give the same numbers.
/// </summary>
internal sealed class RnnRowMapper : IRowToRowMapper
{
    private readonly RnnScoringCore core;
    private readonly RnnSchema schema;

    public RnnRowMapper(RnnScoringCore core, RnnSchema schema)
    {
        this.core = core;
        this.schema = schema;
    }

    public DataViewSchema InputSchema => schema.Input;

    public DataViewSchema OutputSchema => schema.Output;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var needed = new SortedSet<int>();
        foreach (var column in dependingColumns)
        {
            if (schema.AddedIndex(column.Index) < 0)
            {
                needed.Add(column.Index);
                continue;
            }
            needed.Add(schema.TokenColumn.Index);
            if (schema.CharactersColumn is { } characters)
                needed.Add(characters.Index);
        }
        return needed.Select(i => schema.Input[i]).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        var active = new bool[schema.Output.Count];
        foreach (var column in activeColumns)
            active[column.Index] = true;
        var lease = core.Session.Acquire(nameof(RnnScoringTransformer));
        try
        {
            return new MappedRow(core, schema, input, active, lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    private sealed class MappedRow : DataViewRow, IScoredRowSource
    {
        private readonly RnnSchema schema;
        private readonly DataViewRow input;
        private readonly bool[] active;
        private readonly SharedSession.Lease lease;
        private readonly TokenColumnReader? reader;
        private readonly CharacterColumnReader? charReader;
        private readonly WindowScorer? scorer;
        private readonly Delegate?[] getters;
        private readonly TokenWindow window;
        private readonly long[] rowIndex = new long[1];
        private long scoredPosition = long.MinValue;

        public MappedRow(RnnScoringCore core, RnnSchema schema, DataViewRow input, bool[] active, SharedSession.Lease lease)
        {
            this.schema = schema;
            this.input = input;
            this.active = active;
            this.lease = lease;
            window = new TokenWindow { Characters = schema.CharactersColumn is null ? null : new CharWindow() };
            var kinds = RnnScoringCore.KindsFor(schema, i => active[i]);
            if (kinds != RnnOutputKinds.None)
            {
                reader = TokenColumnReader.Create(input, schema.TokenColumn, TokenRules.For(schema.TokenColumn.Name, schema.TokensAreKeys, core.Model));
                if (schema.CharactersColumn is { } characters)
                    charReader = CharacterColumnReader.Create(input, characters, schema.TokenColumn.Name, core.Model.CharVocabulary!);
                scorer = new WindowScorer(lease.Session, core.Model, core.Settings with { Concurrency = 1 }, kinds);
            }

            getters = new Delegate?[schema.Output.Count];
            for (int i = 0; i < getters.Length; i++)
            {
                int added = schema.AddedIndex(i);
                if (active[i] && added >= 0)
                    getters[i] = ResultGetters.Create(schema.Columns[added], core.Model, this);
            }
        }

        public override DataViewSchema Schema => schema.Output;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        TokenWindow IScoredRowSource.Window => window;

        WindowResults IScoredRowSource.Results => scorer!.Results;

        int IScoredRowSource.Slot => 0;

        void IScoredRowSource.EnsureScored()
        {
            if (scoredPosition == input.Position)
                return;
            window.Clear();
            rowIndex[0] = input.Position;
            reader!.Read(window, input.Position);
            charReader?.Read(window, input.Position);
            scorer!.Score(window, rowIndex, schema.TokenColumn.Name);
            scoredPosition = input.Position;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < 0 || column.Index >= active.Length || !active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            if (schema.AddedIndex(column.Index) < 0)
                return input.GetGetter<TValue>(schema.Input[column.Index]);
            return getters[column.Index] as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it was requested as {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                scorer?.Dispose();
                lease.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
