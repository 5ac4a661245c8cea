using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// Builds the form a generator is saved in: ML.NET's own transforms only — a key <c>CustomMapping</c>, a <c>MapValue</c>
/// holding the settings and the whole package (so it travels inside the zip), a generating <c>CustomMapping</c> and column
/// copies — which <c>mlContext.Model.Load</c> restores and runs one row per call with the batched transformer's outputs.
/// </summary>
/// <remarks>
/// Differences from the batched transformer, in types only: the n-best columns are variable-size vectors. A conditioned
/// generator without a seed column throws there (see <see cref="SavedConditionGenerationMapping.SeedOf"/>).
/// <see cref="RnnModelLoader"/> recognizes the chain by its key step and puts the batched transformer back.
/// </remarks>
internal static class GenerationStockChain
{
    public const string In = "__MlNetRnnGenerator_In";
    public const string Key = "__MlNetRnnGenerator_Key";
    public const string Seed = "__MlNetRnnGenerator_Seed";
    public const string Package = "__MlNetRnnGenerator_Package";
    public const string Text = "__MlNetRnnGenerator_Text";
    public const string LogProbability = "__MlNetRnnGenerator_LogProbability";
    public const string NBestTexts = "__MlNetRnnGenerator_NBestTexts";
    public const string NBestLogProbabilities = "__MlNetRnnGenerator_NBestLogProbabilities";

    public static ITransformer Build(GenerationCore core, DataViewSchema inputSchema)
    {
        var settings = core.Settings;
        var schema = GenerationSchema.Create(inputSchema, core);
        var saved = new SavedGenerator { Settings = settings, Package = Convert.ToBase64String(core.Package.Bytes) };
        var t = new MLContext(seed: 0).Transforms;

        var steps = new StockChainSteps(inputSchema);

        steps.Add(t.CustomMapping<NoColumns, SavedGeneratorKey>(SavedGeneratorKeyMapping.Map, SavedGeneratorKeyMapping.ContractName));
        steps.Add(t.Conversion.MapValue(Package, [new KeyValuePair<string, string>(SavedGeneratorKey.Value, saved.ToJson())], Key));
        if (schema.SeedColumn is { } seed)
            steps.Add(t.Conversion.ConvertType(Seed, seed.Name, DataKind.Int64));
        if (!settings.Conditioned)
        {
            steps.Add(t.CopyColumns(In, settings.InputColumnName));
            steps.Add(t.CustomMapping<SavedTextInput, SavedGeneratedRow>(SavedTextGenerationMapping.Map, SavedTextGenerationMapping.ContractName));
        }
        else if (schema.InputIsKey)
        {
            steps.Add(t.Conversion.ConvertType(In, settings.InputColumnName, DataKind.UInt32));
            steps.Add(t.CustomMapping<SavedClassInput, SavedGeneratedRow>(SavedClassGenerationMapping.Map, SavedClassGenerationMapping.ContractName));
        }
        else
        {
            steps.Add(t.CopyColumns(In, settings.InputColumnName));
            steps.Add(t.CustomMapping<SavedConditionInput, SavedGeneratedRow>(SavedConditionGenerationMapping.Map, SavedConditionGenerationMapping.ContractName));
        }

        steps.Add(t.CopyColumns(settings.OutputColumnName, Text));
        steps.Add(t.CopyColumns(settings.LogProbabilityColumnName, LogProbability));
        if (settings.NBest > 0)
        {
            steps.Add(t.CopyColumns(settings.NBestTextsColumnName!, NBestTexts));
            steps.Add(t.CopyColumns(settings.NBestLogProbabilitiesColumnName!, NBestLogProbabilities));
        }

        steps.Add(t.DropColumns(In, Key, Seed, Package, Text, LogProbability, NBestTexts, NBestLogProbabilities));
        return steps.ToChain();
    }

    /// <summary>True for the chain this class builds (its first step is the generator key mapping).</summary>
    public static bool IsGeneratorChain(IReadOnlyList<ITransformer> elements) =>
        elements.Count > 1 && elements[0] is Microsoft.ML.Transforms.CustomMappingTransformer<NoColumns, SavedGeneratorKey>;

    /// <summary>Rebuilds the batched transformer from a saved chain (see <see cref="IsGeneratorChain"/>).</summary>
    /// <exception cref="InvalidDataException">The saved settings or package are invalid.</exception>
    public static RnnGenerationTransformer Restore(IReadOnlyList<ITransformer> elements, DataViewSchema inputSchema)
    {
        var ml = new MLContext(seed: 0);
        var keyRow = ml.Data.LoadFromEnumerable(new[] { new SavedGeneratorKey() });
        string json = elements[1].Transform(keyRow).GetColumn<string>(Package).Single();
        var saved = SavedGenerator.FromJson(json);
        var core = saved.Core();
        return new RnnGenerationEstimator(core).Fit(new EmptyDataView(inputSchema));
    }
}
