using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ClassifySequenceMapping : CustomMappingFactory<RawScoresInput, SequenceClass>
{
    public const string ContractName = "MlNetRnn.ClassifySequence.v1";

    public static void Map(RawScoresInput input, SequenceClass output)
    {
        var settings = SavedScorerSettings.FromColumn(input.Settings);
        int C = input.Raw.Length;
        if (output.Scores.Length != C)
            output.Scores = new float[C];
        if (EmptyRows.IsUnscored(input.Length, settings.IsMlNetRnnFormat))
        {
            EmptyRows.FillUnscored(output.Scores);
            output.Label = StockColumns.MissingLabel;
            return;
        }

        if (settings.ScoresAreLogits)
            ScoreMath.Softmax(input.Raw, output.Scores);
        else
            input.Raw.CopyTo(output.Scores, 0);
        int best = ScoreMath.ArgMax(output.Scores);
        output.Label = best < 0 ? StockColumns.MissingLabel : settings.LabelNames[best];
    }

    public override Action<RawScoresInput, SequenceClass> GetMapping() => Map;
}
