using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// One row at a time for ML.NET's <c>PredictionEngine</c>: each row is decoded as a batch of one by the same code as the
/// batched cursor (a row decodes the same alone and in a batch). Without a seed column, a row's seed is
/// <c>Seed + the input row's Position</c>.
/// </summary>
internal sealed class GenerationRowMapper(GenerationCore core, GeneratorSessions sessions, GenerationSchema schema) : IRowToRowMapper
{
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

            needed.Add(schema.InputColumn.Index);
            if (schema.SeedColumn is { } seed)
                needed.Add(seed.Index);
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
        var lease = sessions.Acquire(nameof(RnnGenerationTransformer));
        return new MappedRow(core, schema, input, active, lease);
    }

    private sealed class MappedRow : DataViewRow
    {
        private readonly GenerationSchema schema;
        private readonly DataViewRow input;
        private readonly bool[] active;
        private readonly GeneratorSessions.Lease lease;
        private readonly Delegate?[] getters;
        private readonly GenerationCore core;
        private GenerationInputReader? reader;
        private GenerationOutput? output;
        private long generatedPosition = long.MinValue;

        public MappedRow(GenerationCore core, GenerationSchema schema, DataViewRow input, bool[] active, GeneratorSessions.Lease lease)
        {
            this.core = core;
            this.schema = schema;
            this.input = input;
            this.active = active;
            this.lease = lease;
            getters = new Delegate?[schema.Output.Count];
            for (int i = 0; i < getters.Length; i++)
            {
                int added = schema.AddedIndex(i);
                if (active[i] && added >= 0)
                    getters[i] = GenerationGetters.Create(added, Current);
            }
        }

        public override DataViewSchema Schema => schema.Output;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

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

        private GenerationOutput Current()
        {
            if (output is null || generatedPosition != input.Position)
            {
                reader ??= new GenerationInputReader(input, schema, core);
                output = core.Generate(lease.Steps, [reader.Read(input.Position)])[0];
                generatedPosition = input.Position;
            }

            return output;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                lease.Dispose();
            base.Dispose(disposing);
        }
    }
}
