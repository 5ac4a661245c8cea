using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// The row-mapper skeleton shared by the scorer and the generators for ML.NET's <c>PredictionEngine</c>: pass-through
/// columns depend on themselves, the added columns on the input columns they are computed from, and each mapped row
/// serves pass-through values straight from the input row and computes the added ones on demand.
/// </summary>
internal abstract class SingleRowMapper : IRowToRowMapper
{
    private readonly Func<int, int> addedIndex;
    private readonly int[] computedFrom;

    /// <param name="inputSchema">The input schema; output columns below its count are passed through.</param>
    /// <param name="outputSchema">The mapped rows' schema.</param>
    /// <param name="addedIndex">An output column's index among the added columns, or -1 for a pass-through column.</param>
    /// <param name="computedFrom">The indices of the input columns the added columns are computed from.</param>
    protected SingleRowMapper(DataViewSchema inputSchema, DataViewSchema outputSchema, Func<int, int> addedIndex, params int[] computedFrom)
    {
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        this.addedIndex = addedIndex;
        this.computedFrom = computedFrom;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var needed = new SortedSet<int>();
        foreach (var column in dependingColumns)
        {
            if (addedIndex(column.Index) < 0)
                needed.Add(column.Index);
            else
                needed.UnionWith(computedFrom);
        }

        return needed.Select(i => InputSchema[i]).ToArray();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        var active = new bool[OutputSchema.Count];
        foreach (var column in activeColumns)
            active[column.Index] = true;
        return CreateRow(input, active);
    }

    /// <summary>Takes a lease and creates the mapped row over <paramref name="input"/>.</summary>
    protected abstract DataViewRow CreateRow(DataViewRow input, bool[] active);

    /// <summary>
    /// A mapped row: a derived constructor ends with <see cref="CreateAddedGetters"/>. It owns the lease and disposes it
    /// after <see cref="DisposeComputation"/>; the input row stays the caller's.
    /// </summary>
    protected abstract class MappedRowBase : DataViewRow
    {
        private readonly SingleRowMapper mapper;
        private readonly bool[] active;
        private readonly IDisposable lease;
        private readonly Delegate?[] getters;

        protected MappedRowBase(SingleRowMapper mapper, DataViewRow input, bool[] active, IDisposable lease)
        {
            this.mapper = mapper;
            Input = input;
            this.active = active;
            this.lease = lease;
            getters = new Delegate?[mapper.OutputSchema.Count];
        }

        public sealed override DataViewSchema Schema => mapper.OutputSchema;

        public sealed override long Position => Input.Position;

        public sealed override long Batch => Input.Batch;

        protected DataViewRow Input { get; }

        public sealed override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < 0 || column.Index >= active.Length || !active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            if (mapper.addedIndex(column.Index) < 0)
                return Input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
            return getters[column.Index] as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it was requested as {typeof(TValue).Name}.");
        }

        public sealed override ValueGetter<DataViewRowId> GetIdGetter() => Input.GetIdGetter();

        /// <summary>Creates the getters of the active added columns; called once, at the end of the derived constructor.</summary>
        /// <param name="create">The getter of the added column with the given index among the added columns.</param>
        protected void CreateAddedGetters(Func<int, Delegate> create)
        {
            for (int i = 0; i < getters.Length; i++)
            {
                int added = mapper.addedIndex(i);
                if (active[i] && added >= 0)
                    getters[i] = create(added);
            }
        }

        /// <summary>Disposes what computing the row holds natively, before the lease.</summary>
        protected virtual void DisposeComputation()
        {
        }

        protected sealed override void Dispose(bool disposing)
        {
            if (disposing)
            {
                DisposeComputation();
                lease.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
