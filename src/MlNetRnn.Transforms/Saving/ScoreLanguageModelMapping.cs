using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms.Saving;

// A CustomMapping step of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds the factory by its
// contract name when it loads a model, so the name and the column layouts are a file format: never change them, add new
// versions instead.
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ScoreLanguageModelMapping : CustomMappingFactory<LanguageModelInput, LanguageModelScores>
{
    public const string ContractName = "MlNetRnn.ScoreLanguageModel.v1";

    public static void Map(LanguageModelInput input, LanguageModelScores output)
    {
        int L = input.Length;
        int vocab = input.LogProbs.Length / Math.Max(L, 1);
        output.TokenLogProbabilities = new float[Math.Max(0, L - 1)];
        double ll = ScoreMath.NextTokenLogProbabilities(input.LogProbs, vocab, input.Ids.AsSpan(0, L), output.TokenLogProbabilities);
        output.LogLikelihood = (float)ll;
        output.Perplexity = ScoreMath.Perplexity(ll, L);
    }

    public override Action<LanguageModelInput, LanguageModelScores> GetMapping() => Map;
}
