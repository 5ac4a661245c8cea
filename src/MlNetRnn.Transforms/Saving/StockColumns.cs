namespace MlNetRnn.Transforms.Saving;

/// <summary>Names of the temporary columns of the stock-ML.NET form of a scorer; all are dropped at its end.</summary>
internal static class StockColumns
{
    public const string Prefix = "__MlNetRnn.";
    public const string In = Prefix + "In";
    public const string SettingsKey = Prefix + "SettingsKey";
    public const string Settings = Prefix + "Settings";
    public const string Ids = Prefix + "Ids";
    public const string Lengths = Prefix + "Lengths";
    public const string Length = Prefix + "Length";
    public const string State = Prefix + "State";
    public const string Words = Prefix + "Words";
    public const string CharIds = Prefix + "CharIds";
    public const string CharLengths = Prefix + "CharLengths";
    public const string RawScores = Prefix + "RawScores";
    public const string Scores = Prefix + "Scores";
    public const string LabelName = Prefix + "LabelName";
    public const string RawLogProbs = Prefix + "RawLogProbs";
    public const string TokenLogProbs = Prefix + "TokenLogProbs";
    public const string LogLikelihood = Prefix + "LogLikelihood";
    public const string Perplexity = Prefix + "Perplexity";
    public const string RawHidden = Prefix + "RawHidden";
    public const string Hidden = Prefix + "Hidden";
    public const string Keep = Prefix + "Keep.";

    /// <summary>The value of <see cref="SettingsKey"/>, mapped to the settings JSON by a <c>MapValue</c> transform.</summary>
    public const string SettingsKeyValue = "settings";

    /// <summary>Label name written for a row without a prediction; never a label, so <c>MapValueToKey</c> gives key 0 (missing).</summary>
    public const string MissingLabel = "\u0000MlNetRnn.missing";
}
