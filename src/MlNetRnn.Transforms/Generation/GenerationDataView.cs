using Microsoft.ML;

namespace MlNetRnn.Transforms.Generation;

/// <summary>The lazily generated output of <see cref="RnnGenerationTransformer.Transform"/>.</summary>
internal sealed class GenerationDataView(GenerationCore core, GeneratorSessions sessions, IDataView input, GenerationSchema schema) : IDataView
{
    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => schema.Output;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[schema.Output.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= active.Length || schema.Output[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' (index {column.Index}) does not belong to this data view's schema.", nameof(columnsNeeded));
            active[column.Index] = true;
        }

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
