using Microsoft.ML.Data;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class PreparedIds
{
    [ColumnName(StockColumns.Ids)]
    [VectorType]
    public long[] Ids { get; set; } = [];

    [ColumnName(StockColumns.Lengths)]
    [VectorType(1)]
    public long[] Lengths { get; set; } = [0];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }

    [ColumnName(StockColumns.State)]
    [VectorType]
    public float[] State { get; set; } = [];

    /// <summary>Checks and converts one row's ids exactly as the batched scorer does; pads an empty row to one pad id.</summary>
    public void Fill<T>(ReadOnlySpan<T> values, bool keys, SavedScorerSettings settings)
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        int length = values.Length;
        if (Ids.Length != Math.Max(length, 1))
            Ids = new long[Math.Max(length, 1)];
        Ids[0] = settings.PadId;
        var rules = settings.Rules(keys);
        for (int i = 0; i < length; i++)
            Ids[i] = rules.ToId(long.CreateSaturating(values[i]), i, rowIndex: -1);
        Length = length;

        // An unscored empty row still runs through the graph (one pad id); its output is replaced afterwards.
        Lengths[0] = EmptyRows.FedLength(length, settings.IsMlNetRnnFormat);
        if (State.Length != settings.StateSize)
            State = new float[settings.StateSize];
    }
}
