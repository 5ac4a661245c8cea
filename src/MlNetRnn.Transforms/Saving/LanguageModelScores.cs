using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

// Column layout of a CustomMapping step of the saved chain: a file format (see StockChainBuilder).
internal sealed class LanguageModelScores
{
    [ColumnName(StockColumns.TokenLogProbs)]
    [VectorType]
    public float[] TokenLogProbabilities { get; set; } = [];

    [ColumnName(StockColumns.LogLikelihood)]
    public float LogLikelihood { get; set; }

    [ColumnName(StockColumns.Perplexity)]
    public float Perplexity { get; set; }
}
