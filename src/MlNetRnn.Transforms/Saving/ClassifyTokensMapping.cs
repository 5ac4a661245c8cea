using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ClassifyTokensMapping : CustomMappingFactory<RawScoresInput, TokenClasses>
{
    public const string ContractName = "MlNetRnn.ClassifyTokens.v1";

    public static void Map(RawScoresInput input, TokenClasses output)
    {
        var settings = SavedScorerSettings.FromColumn(input.Settings);
        int L = input.Length, C = settings.LabelNames.Count;
        output.Scores = new float[L * C];
        output.Labels = new string[L];
        for (int t = 0; t < L; t++)
        {
            var source = input.Raw.AsSpan(t * C, C);
            var destination = output.Scores.AsSpan(t * C, C);
            if (settings.ScoresAreLogits)
                ScoreMath.Softmax(source, destination);
            else
                source.CopyTo(destination);
            int best = ScoreMath.ArgMax(destination);
            output.Labels[t] = best < 0 ? StockColumns.MissingLabel : settings.LabelNames[best];
        }
    }

    public override Action<RawScoresInput, TokenClasses> GetMapping() => Map;
}
