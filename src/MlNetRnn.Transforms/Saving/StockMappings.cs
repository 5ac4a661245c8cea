using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlNetRnn.Transforms.Batching;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Saving;

// The CustomMapping steps of the stock-ML.NET form of a scorer (see StockChainBuilder). ML.NET finds each factory by
// its contract name when it loads a model, so the names and the column layouts below are a file format: never change
// them, add new versions instead. The arithmetic is the batched scorer's (ScoreMath), so both forms give the same numbers.

/// <summary>No input columns.</summary>
internal sealed class NoColumns
{
}

/// <summary>The constant key the settings <c>MapValue</c> looks up.</summary>
internal sealed class SettingsKeyRow
{
    [ColumnName(StockColumns.SettingsKey)]
    public string Key { get; set; } = StockColumns.SettingsKeyValue;
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SettingsKeyMapping : CustomMappingFactory<NoColumns, SettingsKeyRow>
{
    public const string ContractName = "MlNetRnn.SettingsKey.v1";

    public static void Map(NoColumns input, SettingsKeyRow output) => output.Key = StockColumns.SettingsKeyValue;

    public override Action<NoColumns, SettingsKeyRow> GetMapping() => Map;
}

internal sealed class RawIdsInput
{
    [ColumnName(StockColumns.In)]
    [VectorType]
    public long[] Ids { get; set; } = [];

    [ColumnName(StockColumns.Settings)]
    public ReadOnlyMemory<char> Settings { get; set; }
}

internal sealed class KeyIdsInput
{
    [ColumnName(StockColumns.In)]
    [VectorType]
    public uint[] Keys { get; set; } = [];

    [ColumnName(StockColumns.Settings)]
    public ReadOnlyMemory<char> Settings { get; set; }
}

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
        for (int i = 0; i < length; i++)
            Ids[i] = StockIds.ToId(long.CreateSaturating(values[i]), keys, i, settings);
        Length = length;

        // MlNetRnn graphs take length 0 (they clamp it); other models never see it: their output is masked afterwards.
        Lengths[0] = length == 0 && !settings.IsMlNetRnnFormat ? 1 : length;
        if (State.Length != settings.StateSize)
            State = new float[settings.StateSize];
    }
}

internal static class StockIds
{
    public static long ToId(long id, bool key, int position, SavedScorerSettings settings)
    {
        string column = settings.InputColumnName;
        if (key && id == 0)
        {
            return settings.UnkId >= 0 ? settings.UnkId
                : throw new InvalidDataException($"Column '{column}', token {position}: key 0 (a missing value), but the model has no unknown-token id to read it as.");
        }

        if (id < 0)
            throw new InvalidDataException($"Column '{column}', token {position}: the negative id {id}.");
        if (settings.VocabSize > 0 && id >= settings.VocabSize)
            throw new InvalidDataException($"Column '{column}', token {position}: {(key ? "key" : "id")} {id}, but the model's vocabulary has ids 0…{settings.VocabSize - 1}.");
        return id;
    }
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class PrepareIdsMapping : CustomMappingFactory<RawIdsInput, PreparedIds>
{
    public const string ContractName = "MlNetRnn.PrepareIds.v1";

    public static void Map(RawIdsInput input, PreparedIds output) =>
        output.Fill<long>(input.Ids, keys: false, SavedScorerSettings.FromColumn(input.Settings));

    public override Action<RawIdsInput, PreparedIds> GetMapping() => Map;
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class PrepareKeyIdsMapping : CustomMappingFactory<KeyIdsInput, PreparedIds>
{
    public const string ContractName = "MlNetRnn.PrepareKeyIds.v1";

    public static void Map(KeyIdsInput input, PreparedIds output) =>
        output.Fill<uint>(input.Keys, keys: true, SavedScorerSettings.FromColumn(input.Settings));

    public override Action<KeyIdsInput, PreparedIds> GetMapping() => Map;
}

internal sealed class RawScoresInput
{
    [ColumnName(StockColumns.RawScores)]
    [VectorType]
    public float[] Raw { get; set; } = [];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }

    [ColumnName(StockColumns.Settings)]
    public ReadOnlyMemory<char> Settings { get; set; }
}

internal sealed class SequenceClass
{
    [ColumnName(StockColumns.Scores)]
    [VectorType]
    public float[] Scores { get; set; } = [];

    [ColumnName(StockColumns.LabelName)]
    public string Label { get; set; } = string.Empty;
}

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
        if (input.Length == 0 && !settings.IsMlNetRnnFormat)
        {
            Array.Fill(output.Scores, float.NaN);
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

internal sealed class TokenClasses
{
    [ColumnName(StockColumns.Scores)]
    [VectorType]
    public float[] Scores { get; set; } = [];

    [ColumnName(StockColumns.LabelName)]
    [VectorType]
    public string[] Labels { get; set; } = [];
}

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

internal sealed class LanguageModelInput
{
    [ColumnName(StockColumns.RawLogProbs)]
    [VectorType]
    public float[] LogProbs { get; set; } = [];

    [ColumnName(StockColumns.Ids)]
    [VectorType]
    public long[] Ids { get; set; } = [];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }
}

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

internal sealed class RawHiddenInput
{
    [ColumnName(StockColumns.RawHidden)]
    [VectorType]
    public float[] Raw { get; set; } = [];

    [ColumnName(StockColumns.Length)]
    public int Length { get; set; }
}

internal sealed class TrimmedHidden
{
    [ColumnName(StockColumns.Hidden)]
    [VectorType]
    public float[] Hidden { get; set; } = [];
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class TrimHiddenMapping : CustomMappingFactory<RawHiddenInput, TrimmedHidden>
{
    public const string ContractName = "MlNetRnn.TrimHidden.v1";

    public static void Map(RawHiddenInput input, TrimmedHidden output)
    {
        int L = input.Length;
        int features = input.Raw.Length / Math.Max(L, 1);
        output.Hidden = input.Raw.AsSpan(0, L * features).ToArray();
    }

    public override Action<RawHiddenInput, TrimmedHidden> GetMapping() => Map;
}
