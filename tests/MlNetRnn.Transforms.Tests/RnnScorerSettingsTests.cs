using System.Text.Json;
using MlNetRnn.Transforms.Saving;
using Xunit;

namespace MlNetRnn.Transforms.Tests;

public sealed class RnnScorerSettingsTests
{
    private static readonly string[] ModelSources = [nameof(RnnScoringOptions.ModelPath), nameof(RnnScoringOptions.ModelBytes)];

    private static RnnScoringOptions EveryOptionChanged() => new()
    {
        InputColumnName = "In", ScoreColumnName = "S", PredictedLabelColumnName = "P", TokenLogProbabilitiesColumnName = "T",
        LogLikelihoodColumnName = "L", PerplexityColumnName = "X", LastHiddenColumnName = "H", HiddenStatesColumnName = "A",
        BatchSize = 3, WindowSize = 5, MaxTokensPerBatch = 7, IntraOpThreads = 2, Concurrency = 9, GpuDeviceId = 1,
        ConfigureSessionOptions = _ => { }, InputIdsName = "ids", LengthsName = "lens", OutputName = "out", OutputIsLogits = false,
        LabelNames = ["a", "b"], PadId = 2, UnknownId = 3, VocabularySize = 40,
    };

    [Fact]
    public void From_CopiesEveryOptionButTheModel()
    {
        var options = EveryOptionChanged();
        var settings = RnnScorerSettings.From(options);

        foreach (var option in typeof(RnnScoringOptions).GetProperties().Where(p => !ModelSources.Contains(p.Name)))
        {
            var copy = typeof(RnnScorerSettings).GetProperty(option.Name);
            Assert.True(copy is not null, $"RnnScorerSettings has no {option.Name}.");
            object? expected = option.GetValue(options), actual = copy!.GetValue(settings);
            if (expected is IEnumerable<string> names)
                Assert.Equal(names, (IEnumerable<string>)actual!);
            else
                Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Json_RoundTripsEverySavedKnob_AndLeavesOutTheDeviceAndTheCallback()
    {
        var settings = RnnScorerSettings.From(EveryOptionChanged());

        string json = JsonSerializer.Serialize(settings);
        var back = JsonSerializer.Deserialize<RnnScorerSettings>(json)!;

        Assert.DoesNotContain(nameof(RnnScorerSettings.GpuDeviceId), json);
        Assert.DoesNotContain(nameof(RnnScorerSettings.ConfigureSessionOptions), json);
        Assert.Equal(settings with { GpuDeviceId = null, ConfigureSessionOptions = null, LabelNames = back.LabelNames }, back);
        Assert.Equal(settings.LabelNames, back.LabelNames);
    }

    [Fact]
    public void SavedSettings_ReadTheFormatWrittenBeforeSystemTextJsonSettings()
    {
        // Written by the hand-made options mirror this library used before (same property names).
        const string json = """
            {"Version":1,"InputColumnName":"Tokens","IsMlNetRnnFormat":true,"Task":0,"VocabSize":12,"PadId":0,"UnkId":1,"StateSize":0,
             "ScoresAreLogits":false,"LabelNames":["a","b","c"],"Options":{"InputColumnName":"Tokens","ScoreColumnName":"Score",
             "PredictedLabelColumnName":"PredictedLabel","TokenLogProbabilitiesColumnName":"TokenLogProbabilities",
             "LogLikelihoodColumnName":"LogLikelihood","PerplexityColumnName":"Perplexity","LastHiddenColumnName":null,
             "HiddenStatesColumnName":"States","BatchSize":64,"WindowSize":1024,"MaxTokensPerBatch":8192,"IntraOpThreads":1,
             "Concurrency":2,"InputIdsName":null,"LengthsName":null,"OutputName":null,"OutputIsLogits":true,"LabelNames":null,
             "PadId":0,"UnknownId":null,"VocabularySize":null}}
            """;

        var settings = SavedScorerSettings.FromJson(json);

        Assert.Equal("States", settings.Options.HiddenStatesColumnName);
        Assert.Equal(2, settings.Options.Concurrency);
        Assert.False(settings.InputIdsAreInt32);
    }

    [Fact]
    public void SavedSettings_OutOfRangeKnob_IsReportedAsDamagedData()
    {
        var settings = RnnScorerSettings.From(new RnnScoringOptions()) with { BatchSize = 0 };
        string json = JsonSerializer.Serialize(new SavedScorerSettings
        {
            InputColumnName = "Tokens", IsMlNetRnnFormat = true, Task = MlNetRnn.Transforms.Onnx.RnnModelTask.LanguageModel, Options = settings,
        });

        var error = Assert.Throws<InvalidDataException>(() => SavedScorerSettings.FromJson(json));
        Assert.Contains("BatchSize", error.Message);
    }

    [Theory]
    [InlineData(null, 64, "no character vocabulary")]
    [InlineData("ab", 64, "'ab' at id 3")]
    [InlineData("a", 0, "a word width of 0")]
    public void SavedSettings_DamagedCharacterSettings_AreReportedAsDamagedData(string? thirdCharacter, int maxWordLength, string expected)
    {
        var settings = RnnScorerSettings.From(new RnnScoringOptions { CharactersColumnName = "Words" });
        string json = JsonSerializer.Serialize(new SavedScorerSettings
        {
            InputColumnName = "Tokens", IsMlNetRnnFormat = true, Task = MlNetRnn.Transforms.Onnx.RnnModelTask.TokenClassification, Options = settings,
            CharVocabulary = thirdCharacter is null ? null : ["<pad>", "<unk>", "x", thirdCharacter], MaxWordLength = maxWordLength,
        });

        var error = Assert.Throws<InvalidDataException>(() => SavedScorerSettings.FromJson(json));
        Assert.Contains(expected, error.Message);
    }
}
