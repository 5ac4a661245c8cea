using Microsoft.ML;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>The lazily generated output of <see cref="RnnGenerationTransformer.Transform"/>.</summary>
internal sealed class GenerationDataView(GenerationCore core, GeneratorSessions sessions, IDataView input, GenerationSchema schema) : IDataView
{
    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => schema.Output;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = WindowedRowCursor.ActiveColumns(schema.Output, columnsNeeded);

        bool generate = Enumerable.Range(0, active.Length).Any(i => active[i] && schema.AddedIndex(i) >= 0);
        var upstreamColumns = new List<DataViewSchema.Column>();
        for (int i = 0; i < schema.Input.Count; i++)
        {
            if (active[i] || (generate && (i == schema.InputColumn.Index || i == schema.SeedColumn?.Index)))
                upstreamColumns.Add(schema.Input[i]);
        }

        var lease = sessions.Acquire(nameof(RnnGenerationTransformer));
        try
        {
            return new GenerationCursor(core, schema, input.GetRowCursor(upstreamColumns, rand), active, generate, lease);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
