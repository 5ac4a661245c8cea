using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Onnx;
using MlNetRnn.Transforms.Saving;

namespace MlNetRnn.Transforms.Text;

/// <summary>
/// The raw-text front of <see cref="RnnCatalog.ScoreRnnText(TransformsCatalog, string, string)"/>: ML.NET's own transforms
/// that turn a text column into a key vector whose key <c>k</c> is vocabulary id <c>k</c> (unknown tokens: key 0, which the
/// scorer reads as the unknown id). Built from ML.NET transforms, it saves and loads like any ML.NET pipeline.
/// </summary>
internal static class TextTokenizerChain
{
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="textColumn">The raw text column.</param>
    /// <param name="tokensColumn">The key vector column to create.</param>
    /// <param name="wordsColumn">For a model that reads characters: a text vector column to create with the tokens as written (case kept); otherwise null.</param>
    /// <param name="model">The model.</param>
    public static EstimatorChain<ITransformer> Create(TransformsCatalog catalog, string textColumn, string tokensColumn, string? wordsColumn, RnnModelDescription model)
    {
        if (model.Vocabulary is not { } vocabulary || model.Tokenization is not { } tokenization)
        {
            throw new ArgumentException(
                $"Scoring raw text needs the model's vocabulary and tokenization settings (metadata '{MetadataKeys.Vocabulary}' and '{MetadataKeys.Tokenization}'), but the model has {(model.Vocabulary is null ? "no vocabulary" : "no tokenization settings")}. Tokenize the text yourself and use ScoreRnn. Model {model.Signature}.");
        }

        if (vocabulary.Count != model.VocabSize || model.UnkId < 0 || model.PadId != 0)
            throw new ArgumentException($"Scoring raw text needs a vocabulary of {model.VocabSize} tokens with padding id 0 and an unknown id; the model has {vocabulary.Count} tokens, pad id {model.PadId}, unknown id {model.UnkId}.");

        // MapValueToKey numbers the terms of keyData from key 1 in order, so vocabulary[1..] gives key k = id k.
        var terms = new MLContext(seed: 0).Data.LoadFromEnumerable(vocabulary.Skip(1).Select(t => new TermRow { Term = t }).ToList());
        var chain = new EstimatorChain<ITransformer>()
            .Append(new TextColumnCopyEstimator(catalog, TokenizeInput.TextColumn, textColumn))
            .Append(catalog.CustomMapping<NoColumns, TokenizerKeyRow>(TokenizerKeyMapping.Map, TokenizerKeyMapping.ContractName))
            .Append(catalog.Conversion.MapValue(TokenizeInput.SettingsColumn, [new KeyValuePair<string, string>(TokenizerKeyRow.Value, tokenization.ToJson())], TokenizerKeyRow.Column))
            .Append(catalog.CustomMapping<TokenizeInput, TokenizeOutput>(TokenizeMapping.Map, TokenizeMapping.ContractName))
            .Append<ITransformer>(catalog.Conversion.MapValueToKey(tokensColumn, TokenizeOutput.Column, keyData: terms));
        if (wordsColumn is not null)
        {
            chain = chain
                .Append<ITransformer>(catalog.CustomMapping<TokenizeInput, WordsOutput>(WordsMapping.Map, WordsMapping.ContractName))
                .Append<ITransformer>(catalog.CopyColumns(wordsColumn, WordsOutput.Column))
                .Append<ITransformer>(catalog.DropColumns(WordsOutput.Column));
        }
        return chain.Append<ITransformer>(catalog.DropColumns(TokenizeInput.TextColumn, TokenizerKeyRow.Column, TokenizeInput.SettingsColumn, TokenizeOutput.Column));
    }

    private sealed class TermRow
    {
        public string Term { get; set; } = string.Empty;
    }
}
