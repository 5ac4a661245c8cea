using MlNetRnn.Training.Data;
using MlNetRnn.Training.Export;
using MlNetRnn.Training.Generation;
using MlNetRnn.Training.Models;
using MlNetRnn.Transforms.Generation;
using TorchSharp;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

[Collection(TorchCollection.Name)]
public sealed class OnnxDecoderStepsTests
{
    [Fact]
    public void Step_AttentionInputsKeptBetweenSteps_GivesTheOutputsOfAFreshGather()
    {
        var source = Vocabulary.FromTokens([Vocabulary.PadToken, Vocabulary.UnkToken, .. "abcdefghij".Select(c => c.ToString())], new TokenizationSettings(TokenizationLevel.Character, lowercase: true));
        var target = TargetVocabulary.FromTokens("ABCDEFGH".Select(c => c.ToString()), "");
        byte[] bytes;
        torch.manual_seed(3);
        using (var model = new EncoderDecoderModel(new EncoderDecoderConfig(RnnCellType.Lstm, source.Count, target.Count, 6, 8, Bidirectional: true, Attention: true)))
        {
            model.eval();
            bytes = GeneratorExporter.Export(model, source, target, new GeneratorExportOptions { MaxSourceLength = 8, MaxTargetLength = 6 });
        }

        var package = GeneratorPackage.Read(bytes);
        var sessions = GeneratorSessions.Open(package, intraOpThreads: 1);
        try
        {
            using var lease = sessions.Acquire("test");
            var steps = lease.Steps;
            long[][] sources = [[2, 3, 4, 5], [6, 7], [8, 9, 10, 11, 2, 3]];
            var kept = steps.EncodeSources(sources);

            // The rows of a beam search's steps: one hypothesis per row, then beams, then hypotheses and rows finishing.
            int[][] stepRows = [[0, 1, 2], [0, 0, 0, 1, 1, 1, 2, 2, 2], [0, 0, 1, 1, 1, 2, 2, 2], [0, 1, 1, 2, 2], [0, 2, 2], [2]];
            for (int step = 0; step < stepRows.Length; step++)
            {
                int[] rows = stepRows[step];
                var states = kept.States.Select(s => s.Gather(rows)).ToArray();
                long[] previous = [.. rows.Select((r, i) => (long)(3 + ((r + i + step) % 5)))];

                var result = steps.Step(previous, states, kept, rows, step);
                var fresh = steps.Step(previous, states, steps.EncodeSources(sources), rows, step);

                Assert.Equal(fresh.LogProbabilities, result.LogProbabilities);
                for (int i = 0; i < states.Length; i++)
                    Assert.Equal(fresh.NextStates[i].Data, result.NextStates[i].Data);
            }
        }
        finally
        {
            sessions.ReleaseOwner();
        }
    }
}
