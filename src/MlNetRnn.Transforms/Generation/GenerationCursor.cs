using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Reads <c>WindowSize</c> rows ahead (inputs and pass-through values), decodes them in length-ordered batches of
/// <c>BatchSize</c> rows (<c>Concurrency</c> batches at a time, <see cref="GenerationCore.GenerateWindow"/>), then serves
/// them one by one in their original order. Once reading or decoding has thrown, every later
/// <see cref="MoveNext"/> throws too, as in the scorer's cursor: a row that was not generated is never served or skipped.
/// </summary>
internal sealed class GenerationCursor : DataViewRowCursor
{
    private readonly GenerationSchema schema;
    private readonly GenerationCore core;
    private readonly DataViewRowCursor upstream;
    private readonly bool[] active;
    private readonly GeneratorSessions.Lease lease;
    private readonly GenerationInputReader? reader;
    private readonly ColumnCache?[] caches;
    private readonly Delegate?[] getters;
    private readonly ValueGetter<DataViewRowId> upstreamIds;
    private readonly List<GenerationInput> inputs = [];
    private readonly List<DataViewRowId> ids = [];
    private GenerationOutput[] outputs = [];
    private int slot = -1;
    private long position = -1;
    private bool done;
    private Exception? failure;

    public GenerationCursor(GenerationCore core, GenerationSchema schema, DataViewRowCursor upstream, bool[] active, bool generate, GeneratorSessions.Lease lease)
    {
        this.core = core;
        this.schema = schema;
        this.upstream = upstream;
        this.active = active;
        this.lease = lease;
        upstreamIds = upstream.GetIdGetter();
        if (generate)
            reader = new GenerationInputReader(upstream, schema, core);
        caches = new ColumnCache?[schema.Input.Count];
        getters = new Delegate?[schema.Output.Count];
        for (int i = 0; i < schema.Output.Count; i++)
        {
            if (!active[i])
                continue;
            int added = schema.AddedIndex(i);
            if (added < 0)
            {
                caches[i] = ColumnCache.Create(upstream, schema.Input[i]);
                getters[i] = caches[i]!.CreateGetter(() => slot);
            }
            else
            {
                getters[i] = GenerationGetters.Create(added, () => outputs[slot]);
            }
        }
    }

    public override DataViewSchema Schema => schema.Output;

    public override long Position => position;

    public override long Batch => 0;

    public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= getters.Length || getters[column.Index] is not { } getter)
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it when creating the cursor.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type}; it was requested as {typeof(TValue).Name}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = ids[slot];

    public override bool MoveNext()
    {
        if (failure is not null)
        {
            throw new InvalidOperationException(
                $"This cursor cannot go on: reading or generating the rows from row {position + 1} on failed earlier ({failure.Message}). Create a new cursor to read the data again.", failure);
        }

        if (done)
            return false;
        if (slot + 1 < ids.Count)
        {
            slot++;
            position++;
            return true;
        }

        try
        {
            FillWindow();
        }
        catch (Exception e)
        {
            failure = e;
            ids.Clear();
            slot = -1;
            throw;
        }

        if (ids.Count == 0)
        {
            done = true;
            slot = -1;
            return false;
        }

        slot = 0;
        position++;
        return true;
    }

    private void FillWindow()
    {
        inputs.Clear();
        ids.Clear();
        while (ids.Count < core.Settings.WindowSize && upstream.MoveNext())
        {
            if (reader is not null)
                inputs.Add(reader.Read(upstream.Position));
            foreach (var cache in caches)
                cache?.Store(ids.Count);
            DataViewRowId id = default;
            upstreamIds(ref id);
            ids.Add(id);
        }

        if (reader is not null && inputs.Count > 0)
            outputs = core.GenerateWindow(lease.Steps, inputs);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            upstream.Dispose();
            lease.Dispose();
        }

        base.Dispose(disposing);
    }
}
