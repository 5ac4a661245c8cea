using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// Reads a window of rows ahead from the upstream cursor (ids and pass-through values), scores the window in
/// length-sorted batches, then serves its rows one by one in their original order.
/// Once reading or scoring a window has thrown, every later <see cref="MoveNext"/> throws too: the window's rows were not
/// all read or not all scored, so serving any of them (or skipping to the next window) would give zeros or a gap.
/// </summary>
internal sealed class RnnScoringCursor : DataViewRowCursor, IScoredRowSource
{
    private readonly RnnSchema schema;
    private readonly DataViewRowCursor upstream;
    private readonly bool[] active;
    private readonly SharedSession.Lease lease;
    private readonly int windowSize;
    private readonly TokenColumnReader? reader;
    private readonly CharacterColumnReader? charReader;
    private readonly WindowScorer? scorer;
    private readonly ColumnCache?[] caches;
    private readonly Delegate?[] getters;
    private readonly ValueGetter<DataViewRowId> upstreamIds;
    private readonly TokenWindow window;
    private long[] rowIndices = new long[16];
    private DataViewRowId[] ids = new DataViewRowId[16];
    private int slot = -1;
    private int windowCount;
    private long position = -1;
    private bool done;
    private Exception? failure;

    public RnnScoringCursor(RnnScoringCore core, RnnSchema schema, DataViewRowCursor upstream, bool[] active, RnnOutputKinds kinds, SharedSession.Lease lease)
    {
        this.schema = schema;
        this.upstream = upstream;
        this.active = active;
        this.lease = lease;
        windowSize = core.Settings.WindowSize;
        upstreamIds = upstream.GetIdGetter();
        window = new TokenWindow { Characters = schema.CharactersColumn is null ? null : new CharWindow() };
        if (kinds != RnnOutputKinds.None)
        {
            reader = TokenColumnReader.Create(upstream, schema.TokenColumn, TokenRules.For(schema.TokenColumn.Name, schema.TokensAreKeys, core.Model));
            if (schema.CharactersColumn is { } characters)
                charReader = CharacterColumnReader.Create(upstream, characters, schema.TokenColumn.Name, core.Model.CharVocabulary!);
            scorer = new WindowScorer(lease.Session, core.Model, core.Settings, kinds);
        }

        caches = new ColumnCache?[schema.Input.Count];
        getters = new Delegate?[schema.Output.Count];
        Func<int> currentSlot = () => slot;
        for (int i = 0; i < schema.Output.Count; i++)
        {
            if (!active[i])
                continue;
            int added = schema.AddedIndex(i);
            if (added < 0)
            {
                caches[i] = ColumnCache.Create(upstream, schema.Input[i]);
                getters[i] = caches[i]!.CreateGetter(currentSlot);
            }
            else
            {
                getters[i] = ResultGetters.Create(schema.Columns[added], core.Model, this);
            }
        }
    }

    public override DataViewSchema Schema => schema.Output;

    public override long Position => position;

    public override long Batch => 0;

    TokenWindow IScoredRowSource.Window => window;

    WindowResults IScoredRowSource.Results => scorer!.Results;

    int IScoredRowSource.Slot => slot;

    void IScoredRowSource.EnsureScored()
    {
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= getters.Length || getters[column.Index] is not { } getter)
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; request it when creating the cursor.");
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds {column.Type} ({getter.GetType().GetGenericArguments()[0].Name}); it was requested as {typeof(TValue).Name}.");
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) => value = ids[slot];

    public override bool MoveNext()
    {
        if (failure is not null)
        {
            throw new InvalidOperationException(
                $"This cursor cannot go on: reading or scoring the rows from row {position + 1} on failed earlier ({failure.Message}). Create a new cursor to read the data again.", failure);
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

    private bool FillWindow()
    {
        window.Clear();
        int count = 0;
        while (count < windowSize && upstream.MoveNext())
        {
            if (count == rowIndices.Length)
            {
                Array.Resize(ref rowIndices, Math.Min(windowSize, count * 2));
                Array.Resize(ref ids, rowIndices.Length);
            }

            rowIndices[count] = upstream.Position;
            reader?.Read(window, upstream.Position);
            charReader?.Read(window, upstream.Position);
            foreach (var cache in caches)
                cache?.Store(count);
            upstreamIds(ref ids[count]);
            count++;
        }

        windowCount = count;
        if (count == 0)
            return false;
        scorer?.Score(window, rowIndices.AsSpan(0, count), schema.TokenColumn.Name);
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            upstream.Dispose();
            scorer?.Dispose();
            lease.Dispose();
        }

        base.Dispose(disposing);
    }
}
