using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Generation;

// Column layouts of the CustomMapping steps of a saved generator (see GenerationStockChain): a file format, never change
// them; add new versions instead.

/// <summary>The constant key of the package <c>MapValue</c>, and the seed placeholder (no seed column: rows cannot be numbered).</summary>
internal sealed class SavedGeneratorKey
{
    public const string Value = "generator";
    public const long NoSeed = long.MinValue;

    [ColumnName(GenerationStockChain.Key)]
    public string Key { get; set; } = Value;

    [ColumnName(GenerationStockChain.Seed)]
    public long Seed { get; set; } = NoSeed;
}

/// <summary>A seq2seq row: the source text.</summary>
internal sealed class SavedTextInput
{
    [ColumnName(GenerationStockChain.In)]
    public string Text { get; set; } = "";

    [ColumnName(GenerationStockChain.Package)]
    public ReadOnlyMemory<char> Package { get; set; }
}

/// <summary>A conditioned row: the condition vector and the seed.</summary>
internal sealed class SavedConditionInput
{
    [ColumnName(GenerationStockChain.In)]
    public float[] Condition { get; set; } = [];

    [ColumnName(GenerationStockChain.Seed)]
    public long Seed { get; set; }

    [ColumnName(GenerationStockChain.Package)]
    public ReadOnlyMemory<char> Package { get; set; }
}

/// <summary>A conditioned row with a class key (as UInt32, 0 = missing) and the seed.</summary>
internal sealed class SavedClassInput
{
    [ColumnName(GenerationStockChain.In)]
    public uint Class { get; set; }

    [ColumnName(GenerationStockChain.Seed)]
    public long Seed { get; set; }

    [ColumnName(GenerationStockChain.Package)]
    public ReadOnlyMemory<char> Package { get; set; }
}

/// <summary>A generated row.</summary>
internal sealed class SavedGeneratedRow
{
    [ColumnName(GenerationStockChain.Text)]
    public string Text { get; set; } = "";

    [ColumnName(GenerationStockChain.LogProbability)]
    public float LogProbability { get; set; }

    [ColumnName(GenerationStockChain.NBestTexts)]
    public string[] NBestTexts { get; set; } = [];

    [ColumnName(GenerationStockChain.NBestLogProbabilities)]
    public float[] NBestLogProbabilities { get; set; } = [];

    public void Fill(GenerationOutput output)
    {
        Text = output.Text;
        LogProbability = output.LogProbability;
        NBestTexts = output.NBestTexts;
        NBestLogProbabilities = output.NBestLogProbabilities;
    }
}
