namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// The validated, immutable form of <see cref="RnnSequenceGenerationOptions"/> or <see cref="RnnConditionedGenerationOptions"/>
/// (without the package): built once when an estimator is created, saved with a model as JSON.
/// </summary>
internal sealed record GenerationSettings
{
    public const int MaxBeamSize = 64;

    /// <summary>Extra tokens allowed beyond the package's longest training target when MaxLength is not set.</summary>
    public const int DefaultLengthMargin = 10;

    public required bool Conditioned { get; init; }

    public required string InputColumnName { get; init; }

    public required string OutputColumnName { get; init; }

    public required string LogProbabilityColumnName { get; init; }

    public string? NBestTextsColumnName { get; init; }

    public string? NBestLogProbabilitiesColumnName { get; init; }

    public int BeamSize { get; init; } = 1;

    public int? MaxLength { get; init; }

    public double LengthPenalty { get; init; }

    public int NBest { get; init; }

    public double Temperature { get; init; } = 1;

    public int TopK { get; init; }

    public string? SeedColumnName { get; init; }

    public int Seed { get; init; }

    public required int BatchSize { get; init; }

    public required int IntraOpThreads { get; init; }

    public int Concurrency { get; init; } = 1;

    public int WindowSize { get; init; } = 256;

    /// <exception cref="ArgumentException">A name is blank; the message names the option.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range; the message names the option.</exception>
    public static GenerationSettings From(RnnSequenceGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GenerationSettings
        {
            Conditioned = false,
            InputColumnName = options.InputColumnName,
            OutputColumnName = options.OutputColumnName,
            LogProbabilityColumnName = options.LogProbabilityColumnName,
            NBestTextsColumnName = options.NBest > 0 ? options.NBestTextsColumnName : null,
            NBestLogProbabilitiesColumnName = options.NBest > 0 ? options.NBestLogProbabilitiesColumnName : null,
            BeamSize = options.BeamSize,
            MaxLength = options.MaxLength,
            LengthPenalty = options.LengthPenalty,
            NBest = options.NBest,
            BatchSize = options.BatchSize,
            IntraOpThreads = options.IntraOpThreads,
            Concurrency = options.Concurrency,
            WindowSize = options.WindowSize,
        }.Validated();
    }

    /// <exception cref="ArgumentException">A name is blank; the message names the option.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range; the message names the option.</exception>
    public static GenerationSettings From(RnnConditionedGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new GenerationSettings
        {
            Conditioned = true,
            InputColumnName = options.InputColumnName,
            OutputColumnName = options.OutputColumnName,
            LogProbabilityColumnName = options.LogProbabilityColumnName,
            Temperature = options.Temperature,
            TopK = options.TopK,
            SeedColumnName = options.SeedColumnName,
            Seed = options.Seed,
            MaxLength = options.MaxLength,
            BatchSize = options.BatchSize,
            IntraOpThreads = options.IntraOpThreads,
            Concurrency = options.Concurrency,
            WindowSize = options.WindowSize,
        }.Validated();
    }

    /// <summary>The added column names in schema order.</summary>
    public IEnumerable<string> OutputColumnNames =>
        new[] { OutputColumnName, LogProbabilityColumnName, NBestTextsColumnName, NBestLogProbabilitiesColumnName }.OfType<string>();

    /// <summary>The search knobs with the package's special ids and default length.</summary>
    /// <exception cref="ArgumentException">No <see cref="MaxLength"/> is set and the package records no maxTargetLength.</exception>
    public DecodingSettings Decoding(GeneratorManifest manifest) => new(
        BeamSize, MaxLength ?? (manifest.MaxTargetLength > 0 ? manifest.MaxTargetLength + DefaultLengthMargin
            : throw new ArgumentException("MaxLength: expected a value, because the package records no maxTargetLength (0: it was exported without GeneratorExportOptions.MaxTargetLength); got null.", "MaxLength")),
        LengthPenalty, Math.Max(NBest, 1), manifest.Target.BosId, manifest.Target.EosId, manifest.Target.PadId, Temperature, TopK);

    /// <summary>Checks every knob (also after loading from JSON); returns this instance.</summary>
    public GenerationSettings Validated()
    {
        Name(InputColumnName, "InputColumnName");
        Name(OutputColumnName, "OutputColumnName");
        Name(LogProbabilityColumnName, "LogProbabilityColumnName");
        if (NBest > 0)
        {
            Name(NBestTextsColumnName, "NBestTextsColumnName");
            Name(NBestLogProbabilitiesColumnName, "NBestLogProbabilitiesColumnName");
        }

        if (SeedColumnName is not null)
            Name(SeedColumnName, "SeedColumnName");
        var names = OutputColumnNames.ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new ArgumentException($"The output column names must differ, got {string.Join(", ", names.Select(n => $"'{n}'"))}.", "OutputColumnName");

        if (BeamSize is < 1 or > MaxBeamSize)
            throw new ArgumentOutOfRangeException("BeamSize", BeamSize, $"BeamSize: expected 1 (greedy) to {MaxBeamSize}, got {BeamSize}.");
        if (MaxLength is < 1)
            throw new ArgumentOutOfRangeException("MaxLength", MaxLength, $"MaxLength: expected at least 1 or null (the package's maxTargetLength + {DefaultLengthMargin}), got {MaxLength}.");
        if (!(LengthPenalty >= 0) || double.IsInfinity(LengthPenalty))
            throw new ArgumentOutOfRangeException("LengthPenalty", LengthPenalty, $"LengthPenalty: expected a finite alpha ≥ 0, got {LengthPenalty}.");
        if (NBest < 0 || NBest > BeamSize)
            throw new ArgumentOutOfRangeException("NBest", NBest, $"NBest: expected 0 (no n-best columns) to BeamSize ({BeamSize}), got {NBest}.");
        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException("Temperature", Temperature, $"Temperature: expected a finite temperature ≥ 0, got {Temperature}.");
        if (TopK < 0)
            throw new ArgumentOutOfRangeException("TopK", TopK, $"TopK: expected 0 (all tokens) or more, got {TopK}.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException("BatchSize", BatchSize, $"BatchSize: expected at least 1, got {BatchSize}.");
        if (WindowSize < 1)
            throw new ArgumentOutOfRangeException("WindowSize", WindowSize, $"WindowSize: expected at least 1, got {WindowSize}.");
        if (Concurrency < 1)
            throw new ArgumentOutOfRangeException("Concurrency", Concurrency, $"Concurrency: expected at least 1, got {Concurrency}.");
        if (IntraOpThreads is < 0 or > RnnScorerSettings.MaxIntraOpThreads)
            throw new ArgumentOutOfRangeException("IntraOpThreads", IntraOpThreads, $"IntraOpThreads: expected 0 (ONNX Runtime's default) to {RnnScorerSettings.MaxIntraOpThreads}, got {IntraOpThreads}.");
        return this;
    }

    private static void Name(string? value, string option)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{option}: expected a column name, got '{value}'.", option);
    }
}
