using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Saving;

/// <summary>
/// Builds a saved chain of ML.NET's own transforms one fitted step at a time, each on the previous step's output schema
/// (from an empty view of the input schema). An <c>EstimatorChain</c> cannot be used: CustomMappingEstimator's
/// schema-shape check refuses a key vector for a <c>uint[]</c> field that CustomMappingTransformer itself reads fine.
/// </summary>
internal sealed class StockChainSteps(DataViewSchema inputSchema)
{
    private readonly List<ITransformer> steps = [];
    private IDataView data = new EmptyDataView(inputSchema);

    /// <summary>Fits the estimator on the chain's current output schema and appends it.</summary>
    public void Add(IEstimator<ITransformer> estimator)
    {
        var step = estimator.Fit(data);
        steps.Add(step);
        data = step.Transform(data);
    }

    /// <summary>The fitted steps as one chain.</summary>
    public TransformerChain<ITransformer> ToChain() => new([.. steps]);
}
