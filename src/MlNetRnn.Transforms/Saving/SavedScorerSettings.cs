using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Saving;

/// <summary>
/// Everything the stock-ML.NET form of a scorer needs at run time, and everything <see cref="RnnModelLoader"/> needs to
/// rebuild the batched transformer. Stored as JSON in a <c>MapValue</c> transform inside the saved chain.
/// </summary>
internal sealed record SavedScorerSettings
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    // What the rows look like.
    public required string InputColumnName { get; init; }

    // How ids are checked and fed.
    public required bool IsMlNetRnnFormat { get; init; }

    public required RnnModelTask Task { get; init; }

    public long VocabSize { get; init; }

    public long PadId { get; init; }

    public long UnkId { get; init; } = -1;

    public int StateSize { get; init; }

    public bool ScoresAreLogits { get; init; }

    public IReadOnlyList<string> LabelNames { get; init; } = [];

    // The scorer's options (model bytes travel separately).
    public required RnnScoringOptionsData Options { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this);

    public static SavedScorerSettings FromJson(string json)
    {
        var settings = JsonSerializer.Deserialize<SavedScorerSettings>(json)
            ?? throw new InvalidDataException("The saved RNN scorer settings are empty.");
        if (settings.Version != CurrentVersion)
            throw new InvalidDataException($"The saved RNN scorer settings have version {settings.Version}; this library reads version {CurrentVersion}.");
        return settings;
    }

    private static readonly ConditionalWeakTable<string, SavedScorerSettings> ByString = new();
    private static readonly ConcurrentDictionary<string, SavedScorerSettings> ByContent = new(StringComparer.Ordinal);

    /// <summary>
    /// Parses the settings column of the current row. The column holds the same string for every row, so the parse is
    /// cached by reference (and by content when the text is not backed by a string).
    /// </summary>
    public static SavedScorerSettings FromColumn(ReadOnlyMemory<char> text)
    {
        if (MemoryMarshal.TryGetString(text, out string? whole, out int start, out int length) && start == 0 && length == whole.Length)
            return ByString.GetValue(whole, FromJson);
        string copy = text.ToString();
        return ByContent.Count < 64 ? ByContent.GetOrAdd(copy, FromJson) : FromJson(copy);
    }
}

/// <summary>The serializable subset of <see cref="RnnScoringOptions"/>.</summary>
internal sealed record RnnScoringOptionsData
{
    public string InputColumnName { get; init; } = RnnScoringOptions.DefaultInputColumnName;

    public string ScoreColumnName { get; init; } = "Score";

    public string PredictedLabelColumnName { get; init; } = "PredictedLabel";

    public string TokenLogProbabilitiesColumnName { get; init; } = "TokenLogProbabilities";

    public string LogLikelihoodColumnName { get; init; } = "LogLikelihood";

    public string PerplexityColumnName { get; init; } = "Perplexity";

    public string? LastHiddenColumnName { get; init; }

    public string? HiddenStatesColumnName { get; init; }

    public int BatchSize { get; init; }

    public int WindowSize { get; init; }

    public int MaxTokensPerBatch { get; init; }

    public int IntraOpThreads { get; init; }

    public int Concurrency { get; init; }

    public string? InputIdsName { get; init; }

    public string? LengthsName { get; init; }

    public string? OutputName { get; init; }

    public bool OutputIsLogits { get; init; }

    public IReadOnlyList<string>? LabelNames { get; init; }

    public long PadId { get; init; }

    public long? UnknownId { get; init; }

    public long? VocabularySize { get; init; }

    public static RnnScoringOptionsData From(RnnScoringOptions o) => new()
    {
        InputColumnName = o.InputColumnName,
        ScoreColumnName = o.ScoreColumnName,
        PredictedLabelColumnName = o.PredictedLabelColumnName,
        TokenLogProbabilitiesColumnName = o.TokenLogProbabilitiesColumnName,
        LogLikelihoodColumnName = o.LogLikelihoodColumnName,
        PerplexityColumnName = o.PerplexityColumnName,
        LastHiddenColumnName = o.LastHiddenColumnName,
        HiddenStatesColumnName = o.HiddenStatesColumnName,
        BatchSize = o.BatchSize,
        WindowSize = o.WindowSize,
        MaxTokensPerBatch = o.MaxTokensPerBatch,
        IntraOpThreads = o.IntraOpThreads,
        Concurrency = o.Concurrency,
        InputIdsName = o.InputIdsName,
        LengthsName = o.LengthsName,
        OutputName = o.OutputName,
        OutputIsLogits = o.OutputIsLogits,
        LabelNames = o.LabelNames?.ToArray(),
        PadId = o.PadId,
        UnknownId = o.UnknownId,
        VocabularySize = o.VocabularySize,
    };

    public RnnScoringOptions ToOptions() => new()
    {
        InputColumnName = InputColumnName,
        ScoreColumnName = ScoreColumnName,
        PredictedLabelColumnName = PredictedLabelColumnName,
        TokenLogProbabilitiesColumnName = TokenLogProbabilitiesColumnName,
        LogLikelihoodColumnName = LogLikelihoodColumnName,
        PerplexityColumnName = PerplexityColumnName,
        LastHiddenColumnName = LastHiddenColumnName,
        HiddenStatesColumnName = HiddenStatesColumnName,
        BatchSize = BatchSize,
        WindowSize = WindowSize,
        MaxTokensPerBatch = MaxTokensPerBatch,
        IntraOpThreads = IntraOpThreads,
        Concurrency = Concurrency,
        InputIdsName = InputIdsName,
        LengthsName = LengthsName,
        OutputName = OutputName,
        OutputIsLogits = OutputIsLogits,
        LabelNames = LabelNames?.ToArray(),
        PadId = PadId,
        UnknownId = UnknownId,
        VocabularySize = VocabularySize,
    };
}
