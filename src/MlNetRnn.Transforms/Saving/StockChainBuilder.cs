using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime.Tensors;
using MlNetRnn.Transforms.Data;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Saving;

/// <summary>
/// Builds the form a scorer is saved in: a chain of ML.NET's own transforms — column copies, <c>CustomMapping</c>s from this
/// assembly, a settings <c>MapValue</c>, <c>ApplyOnnxModel</c> over the model bytes (so they travel inside the zip) and
/// <c>MapValueToKey</c> for label keys — that <c>mlContext.Model.Load</c> restores and scores row by row with the same
/// numbers. Microsoft.ML 5.0.1 keeps the members a third-party transformer would need to save itself internal.
/// </summary>
/// <remarks>
/// Differences from the batched scorer, all in types, none in values: a sequence classifier's score column and the last
/// hidden state are <c>Vector&lt;Single, 1, n&gt;</c> (ONNX's <c>[batch, n]</c> shape) instead of <c>Vector&lt;Single, n&gt;</c>;
/// a generic model's sequence scores are a variable-size vector. Id errors are <see cref="TokenRules"/>' messages with
/// "Row unknown" in place of the row number: a <c>CustomMapping</c> sees one row at a time and cannot count rows reliably.
/// A model that reads characters gets each word padded to <see cref="MaxWordLength"/> characters; a longer word throws.
/// </remarks>
internal static class StockChainBuilder
{
    /// <summary>
    /// Characters per word the saved chain feeds a character model (<see cref="SavedScorerSettings.MaxWordLength"/>): ML.NET's
    /// <c>ApplyOnnxModel</c> infers only one unknown dimension per input, so the word axis of <c>char_ids</c> is fixed, and
    /// padding never changes a result. Longer words are refused there; the batched scorer has no limit.
    /// </summary>
    public const int MaxWordLength = 64;

    // ML.NET's own default for ApplyOnnxModel's protobuf recursion limit.
    private const int OnnxRecursionLimit = 100;

    public static ITransformer Build(RnnScoringCore core, byte[] modelBytes, DataViewSchema inputSchema)
    {
        var model = core.Model;
        var tokenColumn = inputSchema[core.Scorer.InputColumnName];
        var tokenItem = ((VectorDataViewType)tokenColumn.Type).ItemType;
        bool keys = tokenItem is KeyDataViewType;
        if (keys && tokenItem.RawType != typeof(uint))
            throw new NotSupportedException($"Saving needs a token key column of UInt32 keys; column '{tokenColumn.Name}' is {tokenColumn.Type}.");
        if (model.LabelNames.Distinct(StringComparer.Ordinal).Count() != model.LabelNames.Count)
            throw new NotSupportedException("Saving needs distinct label names; the model's label names repeat.");

        var settings = Settings(core, tokenColumn);
        var ml = new MLContext(seed: 0);
        var t = ml.Transforms;
        var steps = new StockChainSteps(inputSchema);

        // Graph inputs and outputs become columns of the same names (and ApplyOnnxModel drops its input columns):
        // keep any input column with such a name and put it back at the end.
        var fetched = FetchedOutputs(core);
        var finalNames = core.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var graphNames = new[] { model.InputIdsName, model.LengthsName, model.CharIdsName, model.CharLengthsName, model.InitialHName, model.InitialCName }
            .Concat(fetched).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var kept = inputSchema.Where(c => !c.IsHidden && graphNames.Contains(c.Name) && !finalNames.Contains(c.Name)).Select(c => c.Name).ToList();
        foreach (string name in kept)
            steps.Add(t.CopyColumns(StockColumns.Keep + name, name));

        steps.Add(keys ? t.CopyColumns(StockColumns.In, tokenColumn.Name) : t.Conversion.ConvertType(StockColumns.In, tokenColumn.Name, DataKind.Int64));
        steps.Add(t.CustomMapping<NoColumns, SettingsKeyRow>(SettingsKeyMapping.Map, SettingsKeyMapping.ContractName));
        steps.Add(t.Conversion.MapValue(StockColumns.Settings, [new KeyValuePair<string, string>(StockColumns.SettingsKeyValue, settings.ToJson())], StockColumns.SettingsKey));
        steps.Add(keys
            ? t.CustomMapping<KeyIdsInput, PreparedIds>(PrepareKeyIdsMapping.Map, PrepareKeyIdsMapping.ContractName)
            : t.CustomMapping<RawIdsInput, PreparedIds>(PrepareIdsMapping.Map, PrepareIdsMapping.ContractName));

        var graphInputs = new List<string> { model.InputIdsName };
        steps.Add(Feed(t, model.InputIdsName, StockColumns.Ids, model.InputIdsType));
        if (model.LengthsName is not null)
        {
            graphInputs.Add(model.LengthsName);
            steps.Add(Feed(t, model.LengthsName, StockColumns.Lengths, model.LengthsType));
        }

        if (model.CharIdsName is not null)
        {
            steps.Add(t.CopyColumns(StockColumns.Words, core.Scorer.CharactersColumnName!));
            steps.Add(t.CustomMapping<WordsInput, PreparedChars>(PrepareCharsMapping.Map, PrepareCharsMapping.ContractName));
            graphInputs.AddRange([model.CharIdsName, model.CharLengthsName!]);
            steps.Add(t.CopyColumns(model.CharIdsName, StockColumns.CharIds));
            steps.Add(t.CopyColumns(model.CharLengthsName!, StockColumns.CharLengths));
        }

        foreach (string? state in new[] { model.InitialHName, model.InitialCName })
        {
            if (state is null)
                continue;
            graphInputs.Add(state);
            steps.Add(t.CopyColumns(state, StockColumns.State));
        }

        var modelStream = new MemoryStream(modelBytes, writable: false);
        steps.Add(model.CharIdsName is null
            ? t.ApplyOnnxModel([.. fetched], [.. graphInputs], modelStream)
            : t.ApplyOnnxModel([.. fetched], [.. graphInputs], modelStream,
                new Dictionary<string, int[]> { [model.CharIdsName] = [-1, -1, settings.MaxWordLength] }, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: OnnxRecursionLimit));

        var temporaries = new List<string>
        {
            StockColumns.In, StockColumns.SettingsKey, StockColumns.Settings, StockColumns.Ids, StockColumns.Lengths,
            StockColumns.Length, StockColumns.State,
        };
        if (model.CharIdsName is not null)
            temporaries.AddRange([StockColumns.Words, StockColumns.CharIds, StockColumns.CharLengths]);
        bool classified = false, languageModel = false;
        foreach (var column in core.Columns)
            AddOutput(column);

        void AddOutput(RnnOutputColumn column)
        {
            switch (column.Role)
            {
                case RnnColumnRole.Score when model.Task == RnnModelTask.SequenceClassification && model.IsMlNetRnnFormat:
                    steps.Add(t.CopyColumns(column.Name, model.ScoresName!));
                    break;
                case RnnColumnRole.Score:
                    AddClassification();
                    steps.Add(t.CopyColumns(column.Name, StockColumns.Scores));
                    break;
                case RnnColumnRole.PredictedLabel:
                    AddClassification();
                    steps.Add(t.Conversion.MapValueToKey(column.Name, StockColumns.LabelName, keyData: LabelData(ml, model.LabelNames)));
                    break;
                case RnnColumnRole.TokenLogProbabilities:
                    AddLanguageModel();
                    steps.Add(t.CopyColumns(column.Name, StockColumns.TokenLogProbs));
                    break;
                case RnnColumnRole.LogLikelihood:
                    AddLanguageModel();
                    steps.Add(t.CopyColumns(column.Name, StockColumns.LogLikelihood));
                    break;
                case RnnColumnRole.Perplexity:
                    AddLanguageModel();
                    steps.Add(t.CopyColumns(column.Name, StockColumns.Perplexity));
                    break;
                case RnnColumnRole.LastHidden:
                    steps.Add(t.CopyColumns(column.Name, model.LastHiddenName!));
                    break;
                case RnnColumnRole.HiddenStates:
                case RnnColumnRole.LayerHiddenStates:
                    // [1, seq, …] of one row, trimmed to the row's length: hidden_states and layer_hidden_states alike.
                    steps.Add(t.CopyColumns(StockColumns.RawHidden, GraphOutput(column.Role, model)!));
                    steps.Add(t.CustomMapping<RawHiddenInput, TrimmedHidden>(TrimHiddenMapping.Map, TrimHiddenMapping.ContractName));
                    temporaries.AddRange([StockColumns.RawHidden, StockColumns.Hidden]);
                    steps.Add(t.CopyColumns(column.Name, StockColumns.Hidden));
                    break;
            }
        }

        void AddClassification()
        {
            if (classified)
                return;
            classified = true;
            steps.Add(t.CopyColumns(StockColumns.RawScores, model.ScoresName!));
            steps.Add(model.Task == RnnModelTask.SequenceClassification
                ? t.CustomMapping<RawScoresInput, SequenceClass>(ClassifySequenceMapping.Map, ClassifySequenceMapping.ContractName)
                : t.CustomMapping<RawScoresInput, TokenClasses>(ClassifyTokensMapping.Map, ClassifyTokensMapping.ContractName));
            temporaries.AddRange([StockColumns.RawScores, StockColumns.Scores, StockColumns.LabelName]);
        }

        void AddLanguageModel()
        {
            if (languageModel)
                return;
            languageModel = true;
            steps.Add(t.CopyColumns(StockColumns.RawLogProbs, model.LogProbsName!));
            steps.Add(t.CustomMapping<LanguageModelInput, LanguageModelScores>(ScoreLanguageModelMapping.Map, ScoreLanguageModelMapping.ContractName));
            temporaries.AddRange([StockColumns.RawLogProbs, StockColumns.TokenLogProbs, StockColumns.LogLikelihood, StockColumns.Perplexity]);
        }

        steps.Add(t.DropColumns([.. temporaries.Concat(fetched.Where(n => !finalNames.Contains(n))).Distinct()]));
        foreach (string name in kept)
            steps.Add(t.CopyColumns(name, StockColumns.Keep + name));
        if (kept.Count > 0)
            steps.Add(t.DropColumns([.. kept.Select(n => StockColumns.Keep + n)]));

        return steps.ToChain();
    }

    private static IEstimator<ITransformer> Feed(TransformsCatalog t, string graphInput, string column, TensorElementType type) =>
        type == TensorElementType.Int32
            ? t.Conversion.ConvertType(graphInput, column, DataKind.Int32)
            : t.CopyColumns(graphInput, column);

    private static List<string> FetchedOutputs(RnnScoringCore core)
    {
        var model = core.Model;
        var names = new List<string>();
        foreach (var column in core.Columns)
        {
            string? name = GraphOutput(column.Role, model);
            if (name is not null && !names.Contains(name))
                names.Add(name);
        }

        return names;
    }

    /// <summary>The graph output a column is computed from.</summary>
    private static string? GraphOutput(RnnColumnRole role, RnnModelDescription model) => role switch
    {
        RnnColumnRole.Score or RnnColumnRole.PredictedLabel => model.ScoresName,
        RnnColumnRole.LastHidden => model.LastHiddenName,
        RnnColumnRole.HiddenStates => model.HiddenStatesName,
        RnnColumnRole.LayerHiddenStates => model.LayerHiddenStatesName,
        _ => model.LogProbsName,
    };

    private static IDataView LabelData(MLContext ml, IReadOnlyList<string> labels) =>
        ml.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Label = l }).ToList());

    internal static SavedScorerSettings Settings(RnnScoringCore core, DataViewSchema.Column tokenColumn)
    {
        var model = core.Model;
        return new SavedScorerSettings
        {
            InputColumnName = tokenColumn.Name,
            IsMlNetRnnFormat = model.IsMlNetRnnFormat,
            Task = model.Task,
            VocabSize = model.VocabSize,
            PadId = model.PadId,
            UnkId = model.UnkId,
            StateSize = model.StateLayers * model.StateHidden,
            ScoresAreLogits = model.ScoresAreLogits,
            LabelNames = model.LabelNames,
            InputIdsAreInt32 = model.InputIdsType == TensorElementType.Int32,
            CharVocabulary = model.CharVocabulary,
            MaxWordLength = model.CharIdsName is null ? 0 : MaxWordLength,
            Options = core.Scorer,
        };
    }

    private sealed class LabelRow
    {
        public string Label { get; set; } = string.Empty;
    }
}
