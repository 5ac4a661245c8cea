using Microsoft.ML;

namespace MlNetRnn.Transforms.Data;

/// <summary>The lazily scored output of <see cref="RnnScoringTransformer.Transform"/>: input columns plus the added ones.</summary>
internal sealed class RnnScoredDataView : IDataView
{
    private readonly RnnScoringCore core;
    private readonly IDataView input;
    private readonly RnnSchema schema;

    public RnnScoredDataView(RnnScoringCore core, IDataView input, RnnSchema schema)
    {
        this.core = core;
        this.input = input;
        this.schema = schema;
    }

    public bool CanShuffle => input.CanShuffle;

    public DataViewSchema Schema => schema.Output;

    public long? GetRowCount() => input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = WindowedRowCursor.ActiveColumns(schema.Output, columnsNeeded);

        var lease = core.Session.Acquire(nameof(RnnScoringTransformer));
        try
        {
            var kinds = RnnScoringCore.KindsFor(schema, i => active[i]);
            var upstreamColumns = new List<DataViewSchema.Column>();
            for (int i = 0; i < schema.Input.Count; i++)
            {
                if (active[i] || (kinds != 0 && (i == schema.TokenColumn.Index || i == schema.CharactersColumn?.Index)))
                    upstreamColumns.Add(schema.Input[i]);
            }

            var upstream = input.GetRowCursor(upstreamColumns, rand);
            return new RnnScoringCursor(core, schema, upstream, active, kinds, lease);
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
