using System.Text.Json.Serialization;
using Microsoft.ML.OnnxRuntime;
using MlNetRnn.Transforms.Batching;

namespace MlNetRnn.Transforms;

/// <summary>
/// The validated, immutable form of <see cref="RnnScoringOptions"/> (without the model itself): built once by
/// <see cref="From"/> when an estimator is created; everything below the public surface reads this, never the options.
/// Saved with a model as JSON (System.Text.Json); the members marked <see cref="JsonIgnoreAttribute"/> are not saved.
/// </summary>
internal sealed record RnnScorerSettings
{
    /// <summary>Most ONNX Runtime intra-op threads accepted; more only adds threads that wait (2 cores here) and memory.</summary>
    public const int MaxIntraOpThreads = 256;

    public required string InputColumnName { get; init; }

    public string? CharactersColumnName { get; init; }

    public required string ScoreColumnName { get; init; }

    public required string PredictedLabelColumnName { get; init; }

    public required string TokenLogProbabilitiesColumnName { get; init; }

    public required string LogLikelihoodColumnName { get; init; }

    public required string PerplexityColumnName { get; init; }

    public string? LastHiddenColumnName { get; init; }

    public string? HiddenStatesColumnName { get; init; }

    public string? LayerHiddenStatesColumnName { get; init; }

    public required int BatchSize { get; init; }

    public required int WindowSize { get; init; }

    public required int MaxTokensPerBatch { get; init; }

    public required int IntraOpThreads { get; init; }

    public required int Concurrency { get; init; }

    /// <summary>Not saved: a saved model must load on a machine without that device.</summary>
    [JsonIgnore]
    public int? GpuDeviceId { get; init; }

    /// <summary>Not saved: code cannot be serialized.</summary>
    [JsonIgnore]
    public Action<SessionOptions>? ConfigureSessionOptions { get; init; }

    public string? InputIdsName { get; init; }

    public string? LengthsName { get; init; }

    public string? OutputName { get; init; }

    public bool OutputIsLogits { get; init; } = true;

    public IReadOnlyList<string>? LabelNames { get; init; }

    public long PadId { get; init; }

    public long? UnknownId { get; init; }

    public long? VocabularySize { get; init; }

    /// <summary>The batching knobs, for <c>Batching/</c>.</summary>
    [JsonIgnore]
    public BatchSettings Batch => new(BatchSize, WindowSize, MaxTokensPerBatch, Concurrency);

    /// <summary>Copies and validates every knob of <paramref name="options"/> except the model (path or bytes).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range; the message names the option.</exception>
    /// <exception cref="ArgumentException">A column or graph name is blank, or a label name is null; the message names the option.</exception>
    public static RnnScorerSettings From(RnnScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RnnScorerSettings
        {
            InputColumnName = options.InputColumnName,
            CharactersColumnName = options.CharactersColumnName,
            ScoreColumnName = options.ScoreColumnName,
            PredictedLabelColumnName = options.PredictedLabelColumnName,
            TokenLogProbabilitiesColumnName = options.TokenLogProbabilitiesColumnName,
            LogLikelihoodColumnName = options.LogLikelihoodColumnName,
            PerplexityColumnName = options.PerplexityColumnName,
            LastHiddenColumnName = options.LastHiddenColumnName,
            HiddenStatesColumnName = options.HiddenStatesColumnName,
            LayerHiddenStatesColumnName = options.LayerHiddenStatesColumnName,
            BatchSize = options.BatchSize,
            WindowSize = options.WindowSize,
            MaxTokensPerBatch = options.MaxTokensPerBatch,
            IntraOpThreads = options.IntraOpThreads,
            Concurrency = options.Concurrency,
            GpuDeviceId = options.GpuDeviceId,
            ConfigureSessionOptions = options.ConfigureSessionOptions,
            InputIdsName = options.InputIdsName,
            LengthsName = options.LengthsName,
            OutputName = options.OutputName,
            OutputIsLogits = options.OutputIsLogits,
            LabelNames = options.LabelNames?.ToArray(),
            PadId = options.PadId,
            UnknownId = options.UnknownId,
            VocabularySize = options.VocabularySize,
        }.Validated();
    }

    /// <summary>Checks every knob (also after loading from JSON); returns this instance.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range; the message names the option.</exception>
    /// <exception cref="ArgumentException">A column or graph name is blank, or a label name is null; the message names the option.</exception>
    public RnnScorerSettings Validated()
    {
        Name(InputColumnName, nameof(InputColumnName));
        Name(ScoreColumnName, nameof(ScoreColumnName));
        Name(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        Name(TokenLogProbabilitiesColumnName, nameof(TokenLogProbabilitiesColumnName));
        Name(LogLikelihoodColumnName, nameof(LogLikelihoodColumnName));
        Name(PerplexityColumnName, nameof(PerplexityColumnName));
        OptionalName(CharactersColumnName, nameof(CharactersColumnName));
        OptionalName(LastHiddenColumnName, nameof(LastHiddenColumnName));
        OptionalName(HiddenStatesColumnName, nameof(HiddenStatesColumnName));
        OptionalName(LayerHiddenStatesColumnName, nameof(LayerHiddenStatesColumnName));
        OptionalName(InputIdsName, nameof(InputIdsName));
        OptionalName(LengthsName, nameof(LengthsName));
        OptionalName(OutputName, nameof(OutputName));

        AtLeastOne(BatchSize, nameof(BatchSize));
        AtLeastOne(WindowSize, nameof(WindowSize));
        AtLeastOne(MaxTokensPerBatch, nameof(MaxTokensPerBatch));
        AtLeastOne(Concurrency, nameof(Concurrency));
        if (IntraOpThreads is < 0 or > MaxIntraOpThreads)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, $"{nameof(IntraOpThreads)}: expected 0 (ONNX Runtime's default, one per core) to {MaxIntraOpThreads}, got {IntraOpThreads}.");
        if (GpuDeviceId is < 0)
            throw new ArgumentOutOfRangeException(nameof(GpuDeviceId), GpuDeviceId, $"{nameof(GpuDeviceId)}: expected a CUDA device number ≥ 0 or null, got {GpuDeviceId}.");

        if (LabelNames is { } labels && labels.Any(l => l is null))
            throw new ArgumentException($"{nameof(LabelNames)}: expected a name for every class, got null at index {labels.ToList().IndexOf(null!)}.", nameof(LabelNames));
        if (VocabularySize is < 1)
            throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, $"{nameof(VocabularySize)}: expected at least 1 or null, got {VocabularySize}.");
        string ids = VocabularySize is { } size ? $"[0, {size})" : "≥ 0";
        if (PadId < 0 || PadId >= (VocabularySize ?? long.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(PadId), PadId, $"{nameof(PadId)}: expected an id {ids}, got {PadId}.");
        if (UnknownId is { } unk && (unk < 0 || unk >= (VocabularySize ?? long.MaxValue)))
            throw new ArgumentOutOfRangeException(nameof(UnknownId), unk, $"{nameof(UnknownId)}: expected an id {ids} or null, got {unk}.");
        return this;
    }

    private static void Name(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{option}: expected a column name, got '{value}'.", option);
    }

    private static void OptionalName(string? value, string option)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{option}: expected a name or null, got '{value}'.", option);
    }

    private static void AtLeastOne(int value, string option)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(option, value, $"{option}: expected at least 1, got {value}.");
    }
}
