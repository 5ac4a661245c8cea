using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// The cursor skeleton shared by the scorer and the generators: reads up to a window of rows ahead from the upstream
/// cursor (pass-through values into <see cref="ColumnCache"/>s, row positions and ids), has the derived class compute
/// the window, then serves its rows one by one in their original order.
/// Once reading or computing a window has thrown, every later <see cref="MoveNext"/> throws too: the window's rows were
/// not all read or not all computed, so serving any of them (or skipping to the next window) would give zeros or a gap.
/// </summary>
/// <remarks>
/// A derived constructor must end with <see cref="CreateAddedGetters"/>. The cursor owns the upstream cursor and the
/// lease and disposes them (upstream first, then <see cref="DisposeComputation"/>, then the lease).
/// </remarks>
internal abstract class WindowedRowCursor : DataViewRowCursor
{
    private readonly DataViewSchema outputSchema;
    private readonly Func<int, int> addedIndex;
    private readonly DataViewRowCursor upstream;
    private readonly bool[] active;
    private readonly IDisposable lease;
    private readonly int windowSize;
    private readonly string computing;
    private readonly bool namesGetterType;
    private readonly ColumnCache?[] caches;
    private readonly Delegate?[] getters;
    private readonly ValueGetter<DataViewRowId> upstreamIds;
    private long[] rowIndices = new long[16];
    private DataViewRowId[] ids = new DataViewRowId[16];
    private int slot = -1;
    private int windowCount;
    private long position = -1;
    private bool done;
    private Exception? failure;

    /// <summary>
    /// Which columns of <paramref name="outputSchema"/> a <c>GetRowCursor</c> call asked for; a column of another schema is
    /// refused by name and index.
    /// </summary>
    internal static bool[] ActiveColumns(DataViewSchema outputSchema, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[outputSchema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= active.Length || outputSchema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' (index {column.Index}) does not belong to this data view's schema.", nameof(columnsNeeded));
            active[column.Index] = true;
        }

        return active;
    }

    /// <param name="inputSchema">The upstream schema; output columns below its count are passed through.</param>
    /// <param name="outputSchema">The cursor's schema.</param>
    /// <param name="addedIndex">An output column's index among the added columns, or -1 for a pass-through column.</param>
    /// <param name="upstream">The upstream cursor, owned from here on.</param>
    /// <param name="active">Which output columns are active.</param>
    /// <param name="windowSize">How many rows are read ahead and computed together.</param>
    /// <param name="lease">The sessions' lease, owned from here on.</param>
    /// <param name="computing">What computing a window is called in the failure message ("scoring", "generating").</param>
    /// <param name="namesGetterType">Whether the wrong-type message also names the getter's value type.</param>
    protected WindowedRowCursor(
        DataViewSchema inputSchema, DataViewSchema outputSchema, Func<int, int> addedIndex, DataViewRowCursor upstream, bool[] active,
        int windowSize, IDisposable lease, string computing, bool namesGetterType)
    {
        this.outputSchema = outputSchema;
        this.addedIndex = addedIndex;
        this.upstream = upstream;
        this.active = active;
        this.lease = lease;
        this.windowSize = windowSize;
        this.computing = computing;
        this.namesGetterType = namesGetterType;
        upstreamIds = upstream.GetIdGetter();
        caches = new ColumnCache?[inputSchema.Count];
        getters = new Delegate?[outputSchema.Count];
        for (int i = 0; i < outputSchema.Count; i++)
        {
            if (active[i] && addedIndex(i) < 0)
            {
                caches[i] = ColumnCache.Create(upstream, inputSchema[i]);
                getters[i] = caches[i]!.CreateGetter(() => slot);
            }
        }
    }

    public sealed override DataViewSchema Schema => outputSchema;

    public sealed override long Position => position;

    public sealed override long Batch => 0;

    /// <summary>The current row's index in the window.</summary>
    protected int Slot => slot;

    public sealed override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

    public sealed override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= getters.Length || getters[column.Index] is not { } getter)
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it when creating the cursor.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException(namesGetterType
                ? $"Column '{column.Name}' holds {column.Type} ({getter.GetType().GetGenericArguments()[0].Name}); it was requested as {typeof(TValue).Name}."
                : $"Column '{column.Name}' holds {column.Type}; it was requested as {typeof(TValue).Name}.");
    }

    public sealed override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) => value = ids[slot];

    public sealed override bool MoveNext()
    {
        if (failure is not null)
        {
            throw new InvalidOperationException(
                $"This cursor cannot go on: reading or {computing} the rows from row {position + 1} on failed earlier ({failure.Message}). Create a new cursor to read the data again.", failure);
        }

        if (done)
            return false;
        if (slot + 1 < windowCount)
        {
            slot++;
            position++;
            return true;
        }

        bool filled;
        try
        {
            filled = FillWindow();
        }
        catch (Exception e)
        {
            failure = e;
            windowCount = 0;
            slot = -1;
            throw;
        }

        if (!filled)
        {
            done = true;
            slot = -1;
            return false;
        }

        slot = 0;
        position++;
        return true;
    }

    /// <summary>Creates the getters of the active added columns; called once, at the end of the derived constructor.</summary>
    /// <param name="create">The getter of the added column with the given index among the added columns.</param>
    protected void CreateAddedGetters(Func<int, Delegate> create)
    {
        for (int i = 0; i < getters.Length; i++)
        {
            int added = addedIndex(i);
            if (active[i] && added >= 0)
                getters[i] = create(added);
        }
    }

    /// <summary>Forgets the previous window's inputs.</summary>
    protected abstract void BeginWindow();

    /// <summary>Reads the computed inputs of the upstream row at <paramref name="rowPosition"/>, the window's next row.</summary>
    protected abstract void ReadRow(long rowPosition);

    /// <summary>Computes the window's results; <paramref name="rowPositions"/> holds its rows' upstream positions (never empty).</summary>
    protected abstract void ComputeWindow(ReadOnlySpan<long> rowPositions);

    /// <summary>Disposes what computing windows holds natively, between the upstream cursor and the lease.</summary>
    protected virtual void DisposeComputation()
    {
    }

    private bool FillWindow()
    {
        BeginWindow();
        int count = 0;
        while (count < windowSize && upstream.MoveNext())
        {
            if (count == rowIndices.Length)
            {
                Array.Resize(ref rowIndices, Math.Min(windowSize, count * 2));
                Array.Resize(ref ids, rowIndices.Length);
            }

            rowIndices[count] = upstream.Position;
            ReadRow(upstream.Position);
            foreach (var cache in caches)
                cache?.Store(count);
            upstreamIds(ref ids[count]);
            count++;
        }

        windowCount = count;
        if (count == 0)
            return false;
        ComputeWindow(rowIndices.AsSpan(0, count));
        return true;
    }

    protected sealed override void Dispose(bool disposing)
    {
        if (disposing)
        {
            upstream.Dispose();
            DisposeComputation();
            lease.Dispose();
        }

        base.Dispose(disposing);
    }
}
