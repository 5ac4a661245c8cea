using Microsoft.ML.Transforms;

namespace MlNetRnn.Transforms.Generation;

// CustomMapping steps of a saved generator (see GenerationStockChain). ML.NET finds each factory by its contract name when
// it loads a model, so names and layouts are a file format: never change them, add new versions instead.

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SavedGeneratorKeyMapping : CustomMappingFactory<Saving.NoColumns, SavedGeneratorKey>
{
    public const string ContractName = "MlNetRnn.GeneratorKey.v1";

    public static void Map(Saving.NoColumns input, SavedGeneratorKey output)
    {
        output.Key = SavedGeneratorKey.Value;
        output.Seed = SavedGeneratorKey.NoSeed;
    }

    public override Action<Saving.NoColumns, SavedGeneratorKey> GetMapping() => Map;
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SavedTextGenerationMapping : CustomMappingFactory<SavedTextInput, SavedGeneratedRow>
{
    public const string ContractName = "MlNetRnn.GenerateFromText.v1";

    public static void Map(SavedTextInput input, SavedGeneratedRow output)
    {
        var generator = SavedGenerator.FromColumn(input.Package);
        var ids = string.IsNullOrEmpty(input.Text) ? null : generator.Core.SourceIds(input.Text);
        output.Fill(generator.Generate(new GenerationInput(ids, null, 0)));
    }

    public override Action<SavedTextInput, SavedGeneratedRow> GetMapping() => Map;
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SavedConditionGenerationMapping : CustomMappingFactory<SavedConditionInput, SavedGeneratedRow>
{
    public const string ContractName = "MlNetRnn.GenerateFromCondition.v1";

    public static void Map(SavedConditionInput input, SavedGeneratedRow output)
    {
        var generator = SavedGenerator.FromColumn(input.Package);
        var condition = new float[generator.Core.Package.Manifest.Condition!.Size];
        input.Condition.AsSpan(0, Math.Min(condition.Length, input.Condition.Length)).CopyTo(condition);
        output.Fill(generator.Generate(new GenerationInput(null, condition, SeedOf(input.Seed, generator.Core))));
    }

    public override Action<SavedConditionInput, SavedGeneratedRow> GetMapping() => Map;

    /// <summary>The row's seed, or an error when the generator seeds rows by position (which a one-row mapping cannot know).</summary>
    internal static int SeedOf(long seed, GenerationCore core) => seed != SavedGeneratorKey.NoSeed ? unchecked((int)seed)
        : throw new InvalidOperationException(
            $"This saved generator seeds each row with Seed ({core.Settings.Seed}) + the row's position, which ML.NET's row-by-row form of it cannot know. Load the model with mlContext.Model.LoadWithRnnFastPath, or generate with a seed column (SeedColumnName).");
}

[CustomMappingFactoryAttribute(ContractName)]
internal sealed class SavedClassGenerationMapping : CustomMappingFactory<SavedClassInput, SavedGeneratedRow>
{
    public const string ContractName = "MlNetRnn.GenerateFromClass.v1";

    public static void Map(SavedClassInput input, SavedGeneratedRow output)
    {
        var generator = SavedGenerator.FromColumn(input.Package);
        int size = generator.Core.Package.Manifest.Condition!.Size;
        float[]? oneHot = null;
        if (input.Class >= 1 && input.Class <= size)
        {
            oneHot = new float[size];
            oneHot[input.Class - 1] = 1;
        }

        int seed = SavedConditionGenerationMapping.SeedOf(input.Seed, generator.Core);
        output.Fill(generator.Generate(new GenerationInput(null, oneHot, seed)));
    }

    public override Action<SavedClassInput, SavedGeneratedRow> GetMapping() => Map;
}
