using MlNetRnn.Transforms.Generation;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

public sealed class GeneratorPackageTests
{
    [Fact]
    public void Read_ValidPackage_OpensBothGraphs()
    {
        var package = GeneratorPackage.Read(TestGeneratorPackages.SequenceToSequence(), "test");
        var sessions = GeneratorSessions.Open(package, intraOpThreads: 1);
        sessions.ReleaseOwner();

        Assert.True(package.IsSequenceToSequence);
        Assert.Equal(9, package.Manifest.Target.Tokens.Count);
    }

    [Fact]
    public void Read_MissingEntry_NamesTheEntry()
    {
        var bytes = TestGeneratorPackages.WithEntry(TestGeneratorPackages.SequenceToSequence(), GeneratorManifest.DecoderStepEntryName, null);

        var e = Assert.Throws<InvalidDataException>(() => GeneratorPackage.Read(bytes, "Generator package 'p.zip'"));
        Assert.Contains("Generator package 'p.zip'", e.Message);
        Assert.Contains("'decoder-step.onnx'", e.Message);
    }

    [Fact]
    public void Read_NotAZip_SaysSo()
    {
        var e = Assert.Throws<InvalidDataException>(() => GeneratorPackage.Read([1, 2, 3, 4], "Generator package 'p.zip'"));
        Assert.Contains("not a readable zip", e.Message);
    }

    public static TheoryData<string, string> ManifestErrors => new()
    {
        { "kind", "\"tagger\"" },
        { "decoderCell", "\"transformer\"" },
        { "formatVersion", "2" },
        { "target.eosId", "9" },
        { "target.padId", "2" },
        { "source.unknownId", "-1" },
        { "source.tokenization", "'{\"level\":\"byte\"}'" },
        { "states[0].shape", "[1, 4, 6]" },
        { "states[0].nextName", "\"state_h\"" },
        { "maxTargetLength", "-1" },
        { "condition", "a condition" },
    };

    [Theory]
    [MemberData(nameof(ManifestErrors))]
    public void Read_InvalidManifestField_NamesEntryFieldAndValue(string field, string got)
    {
        var bytes = TestGeneratorPackages.WithManifest(TestGeneratorPackages.SequenceToSequence(), m => field switch
        {
            "kind" => m with { Kind = "tagger" },
            "decoderCell" => m with { DecoderCell = "transformer" },
            "formatVersion" => m with { FormatVersion = 2 },
            "target.eosId" => m with { Target = m.Target with { EosId = 9 } },
            "target.padId" => m with { Target = m.Target with { PadId = 2 } },
            "source.unknownId" => m with { Source = m.Source! with { UnknownId = -1 } },
            "source.tokenization" => m with { Source = m.Source! with { Tokenization = "{\"level\":\"byte\"}" } },
            "states[0].shape" => m with { States = [m.States[0] with { Shape = [1, 4, 6] }] },
            "states[0].nextName" => m with { States = [m.States[0] with { NextName = "state_h" }] },
            "maxTargetLength" => m with { MaxTargetLength = -1 },
            "condition" => m with { Condition = new GeneratorCondition { Size = 2 } },
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        });

        var e = Assert.Throws<InvalidDataException>(() => GeneratorPackage.Read(bytes, "Generator package 'p.zip'"));
        Assert.Contains("Generator package 'p.zip', entry 'manifest.json'", e.Message);
        Assert.Contains($"field '{field}'", e.Message);
        Assert.Contains($"got {got}", e.Message);
    }

    [Fact]
    public void Open_StateShapeDiffersFromTheGraph_NamesEntryTensorAndShapes()
    {
        var bytes = TestGeneratorPackages.WithManifest(TestGeneratorPackages.SequenceToSequence(hidden: 6), m => m with { States = [m.States[0] with { Shape = [1, -1, 5] }] });
        var package = GeneratorPackage.Read(bytes, "Generator package 'p.zip'");

        var e = Assert.Throws<InvalidDataException>(() => GeneratorSessions.Open(package, 1));
        Assert.Contains("entry 'encoder.onnx'", e.Message);
        Assert.Contains("'state_h'", e.Message);
        Assert.Contains("[1, -1, 5]", e.Message);
        Assert.Contains("[1, -1, 6]", e.Message);
    }

    [Fact]
    public void Open_AttentionWithoutEncoderOutputs_NamesTheMissingOutput()
    {
        var bytes = TestGeneratorPackages.WithManifest(TestGeneratorPackages.SequenceToSequence(), m => m with { Attention = true });
        var package = GeneratorPackage.Read(bytes, "Generator package 'p.zip'");

        var e = Assert.Throws<InvalidDataException>(() => GeneratorSessions.Open(package, 1));
        Assert.Contains("entry 'encoder.onnx'", e.Message);
        Assert.Contains("'encoder_outputs'", e.Message);
    }

    [Fact]
    public void Open_GraphEntryIsNotOnnx_NamesTheEntry()
    {
        var bytes = TestGeneratorPackages.WithEntry(TestGeneratorPackages.SequenceToSequence(), GeneratorManifest.EncoderEntryName, [1, 2, 3]);
        var package = GeneratorPackage.Read(bytes, "Generator package 'p.zip'");

        var e = Assert.Throws<InvalidDataException>(() => GeneratorSessions.Open(package, 1));
        Assert.Contains("Generator package 'p.zip', entry 'encoder.onnx'", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OnnxSteps_DecodeARowTheSameAloneAndInABatch(bool conditioned)
    {
        var package = GeneratorPackage.Read(conditioned ? TestGeneratorPackages.Conditioned(conditionAtFirstStep: true) : TestGeneratorPackages.SequenceToSequence());
        var sessions = GeneratorSessions.Open(package, 1);
        using (var lease = sessions.Acquire("test"))
        {
            var steps = lease.Steps;
            long[][] sources = [[2, 3], [4, 5, 6, 7], [8], [9, 2, 1]];
            float[][] conditions = [[1, 0], [0, 1], [0.3f, 0.7f], [0, 0]];
            EncodedRows Encode(int[] rows) => conditioned ? steps.EncodeConditions(rows.Select(r => conditions[r]).ToArray()) : steps.EncodeSources(rows.Select(r => sources[r]).ToArray());
            var settings = new DecodingSettings(3, 10, 0.5, 3, 1, 2, 0);

            var together = BeamSearch.Run(steps, Encode([0, 1, 2, 3]), settings);
            for (int r = 0; r < 4; r++)
            {
                var alone = BeamSearch.Run(steps, Encode([r]), settings)[0];
                Assert.Equal(alone.Select(h => h.Tokens), together[r].Select(h => h.Tokens));
                Assert.Equal(alone[0].LogProbability, together[r][0].LogProbability, 5);
            }

            Assert.True(together.Select(t => string.Join(",", t[0].Tokens)).Distinct().Count() > 1, "The fixture should decode different rows differently: " + string.Join(" | ", together.Select(t => string.Join(",", t[0].Tokens))));
        }

        sessions.ReleaseOwner();
    }
}
