using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Generation;
using MlNetRnn.Transforms.Tests.Fixtures;
using Xunit;

namespace MlNetRnn.Transforms.Tests.Generation;

public sealed class RnnGenerationTransformerTests
{
    private static readonly string[] Words = ["abc", "bad", "c", "hedge", "fig", "gab", "ace", "dab", "beef", "cafe"];

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class ConditionRow
    {
        [VectorType(2)]
        public float[] Condition { get; set; } = [];

        public int RowSeed { get; set; }
    }

    private static IDataView Texts(MLContext ml, IEnumerable<string> texts) => ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToList());

    private static RnnGenerationEstimator Seq2Seq(MLContext ml, int beam = 3, int batch = 64, int nBest = 0) =>
        ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = TestGeneratorPackages.SequenceToSequence(), BeamSize = beam, BatchSize = batch, NBest = nBest, LengthPenalty = 0.6 });

    private static (string[] Texts, float[] LogProbabilities) Outputs(IDataView scored) =>
        (scored.GetColumn<string>("GeneratedText").ToArray(), scored.GetColumn<float>("GeneratedLogProbability").ToArray());

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void GenerateSequence_GivesEachRowWhatItGivesAloneInInputOrder(int batch)
    {
        var ml = new MLContext(seed: 1);
        using var transformer = Seq2Seq(ml, batch: batch).Fit(Texts(ml, Words));
        var (texts, logProbs) = Outputs(transformer.Transform(Texts(ml, Words)));

        for (int i = 0; i < Words.Length; i++)
        {
            var (alone, aloneLogProb) = Outputs(transformer.Transform(Texts(ml, [Words[i]])));
            Assert.Equal(alone[0], texts[i]);
            Assert.Equal(aloneLogProb[0], logProbs[i], 5);
        }

        Assert.True(texts.Distinct().Count() > 1, "The fixture should generate different texts: " + string.Join(" | ", texts));
        Assert.Equal(Words, transformer.Transform(Texts(ml, Words)).GetColumn<string>("Text"));
    }

    [Fact]
    public void MoveNext_AfterReadingFailedMidStream_ThrowsAgainInsteadOfServingOrSkippingRows()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions
        {
            PackageBytes = TestGeneratorPackages.SequenceToSequence(), BeamSize = 2, BatchSize = 4, WindowSize = 8,
        }).Fit(Texts(ml, Words));

        // Row 13 (the second window) cannot be read.
        static IEnumerable<TextRow> FailingAt(int bad)
        {
            for (int i = 0; i < 24; i++)
            {
                if (i == bad)
                    throw new InvalidDataException($"row {i} cannot be read");
                yield return new TextRow { Text = Words[i % Words.Length] };
            }
        }

        var scored = transformer.Transform(ml.Data.LoadFromEnumerable(FailingAt(13)));
        using var cursor = scored.GetRowCursor(scored.Schema);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema["GeneratedText"]);
        ReadOnlyMemory<char> text = default;
        int served = 0;
        var first = Assert.ThrowsAny<Exception>(() =>
        {
            while (cursor.MoveNext())
            {
                getter(ref text);
                served++;
            }
        });
        Assert.Equal(8, served);
        Assert.Contains("row 13 cannot be read", first.ToString());

        var again = Assert.Throws<InvalidOperationException>(() => cursor.MoveNext());
        Assert.Same(first, again.InnerException);
        Assert.Contains("from row 8", again.Message);
        Assert.Throws<InvalidOperationException>(() => cursor.MoveNext());
    }

    [Fact]
    public void GenerateSequence_LengthOrderedConcurrentBatchesGiveTheSameOutputsInInputOrder()
    {
        var ml = new MLContext(seed: 1);
        using var serial = Seq2Seq(ml, batch: 64).Fit(Texts(ml, Words));
        using var concurrent = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions
        {
            PackageBytes = TestGeneratorPackages.SequenceToSequence(), BeamSize = 3, BatchSize = 2, WindowSize = 7, Concurrency = 2, LengthPenalty = 0.6,
        }).Fit(Texts(ml, Words));

        Assert.Equal(Outputs(serial.Transform(Texts(ml, Words))).Texts, Outputs(concurrent.Transform(Texts(ml, Words))).Texts);
    }

    [Fact]
    public void GenerateSequence_BadInputGivesADefinedOutput()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = Seq2Seq(ml).Fit(Texts(ml, Words));
        string longer = new('a', 40); // the manifest's source.maxLength is 6: decoded anyway
        var (texts, logProbs) = Outputs(transformer.Transform(Texts(ml, ["", "x?z", longer, "abc"])));

        Assert.Equal("", texts[0]);
        Assert.True(float.IsNaN(logProbs[0]));
        Assert.True(logProbs[1] < 0, "unknown characters read as the unknown id and are decoded");
        Assert.True(logProbs[2] < 0, "a source longer than any seen in training is decoded");
        Assert.Equal(Outputs(transformer.Transform(Texts(ml, ["abc"]))).Texts[0], texts[3]);
    }

    [Fact]
    public void GenerateSequence_NBestColumnsHoldTheBestFirst()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = TestGeneratorPackages.SequenceToSequence(), BeamSize = 4, NBest = 3 }).Fit(Texts(ml, Words));
        var scored = transformer.Transform(Texts(ml, Words));
        var best = scored.GetColumn<string>("GeneratedText").ToArray();
        var nBest = scored.GetColumn<string[]>("NBestTexts").ToArray();
        var nBestLogProbs = scored.GetColumn<float[]>("NBestLogProbabilities").ToArray();

        Assert.Equal(new VectorDataViewType(TextDataViewType.Instance, 3), scored.Schema["NBestTexts"].Type);
        for (int i = 0; i < Words.Length; i++)
        {
            Assert.Equal(best[i], nBest[i][0]);
            Assert.True(nBestLogProbs[i][0] >= nBestLogProbs[i][1] && nBestLogProbs[i][1] >= nBestLogProbs[i][2]); // LengthPenalty 0 ranks by log-probability
        }
    }

    [Fact]
    public void GenerateSequence_BeamSizeZero_ThrowsNamingTheOption()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = TestGeneratorPackages.SequenceToSequence(), BeamSize = 0 }));
        Assert.Contains("BeamSize", e.Message);
        Assert.Contains("got 0", e.Message);
    }

    [Fact]
    public void GenerateSequence_ConditionedPackage_ThrowsNamingTheKind()
    {
        var ml = new MLContext(seed: 1);
        var e = Assert.Throws<ArgumentException>(() => ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned() }));
        Assert.Contains("\"conditioned\"", e.Message);
    }

    [Fact]
    public void SchemaErrors_AtPipelineBuildTime_NameTheColumn()
    {
        var ml = new MLContext(seed: 1);
        var numbers = ml.Data.LoadFromEnumerable(new[] { new ConditionRow { Condition = [1, 0] } });

        var missing = Assert.Throws<ArgumentException>(() => Seq2Seq(ml).GetOutputSchema(MlNetRnn.Transforms.Data.SchemaShapes.FromSchema(numbers.Schema)));
        Assert.Contains("'Text' not found", missing.Message);
        var wrongType = Assert.Throws<ArgumentException>(() => ml.Transforms.GenerateSequence(new RnnSequenceGenerationOptions { PackageBytes = TestGeneratorPackages.SequenceToSequence(), InputColumnName = "Condition" }).Fit(numbers));
        Assert.Contains("Input column 'Condition': expected a Text column", wrongType.Message);

        var three = ml.Data.LoadFromEnumerable(new[] { new ThreeRow { Condition = [1, 0, 0] } });
        var size = Assert.Throws<ArgumentException>(() => ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned() }).Fit(three));
        Assert.Contains("Input column 'Condition'", size.Message);
        Assert.Contains("Vector<Single, 2>", size.Message);
        Assert.Contains("got Vector<Single, 3>", size.Message);
    }

    private sealed class ThreeRow
    {
        [VectorType(3)]
        public float[] Condition { get; set; } = [];
    }

    private static IDataView Conditions(MLContext ml, int count) => ml.Data.LoadFromEnumerable(Enumerable.Range(0, count)
        .Select(i => new ConditionRow { Condition = i % 2 == 0 ? [1, 0] : [0, 1], RowSeed = 100 + (i / 2) }).ToList());

    [Fact]
    public void GenerateFromCondition_SeedColumn_ReproducibleAndIndependentOfTheBatch()
    {
        var ml = new MLContext(seed: 1);
        var options = new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned(conditionAtFirstStep: true), SeedColumnName = "RowSeed", Temperature = 1.5, TopK = 5 };
        var data = Conditions(ml, 12);
        using var batched = ml.Transforms.GenerateFromCondition(options).Fit(data);
        options.BatchSize = 1;
        using var single = ml.Transforms.GenerateFromCondition(options).Fit(data);

        var first = Outputs(batched.Transform(data));
        Assert.Equal(first.Texts, Outputs(batched.Transform(data)).Texts);
        Assert.Equal(first.Texts, Outputs(single.Transform(data)).Texts);
        Assert.True(first.Texts.Distinct().Count() > 3, "Different seeds should sample different texts: " + string.Join(" | ", first.Texts));
    }

    [Fact]
    public void GenerateFromCondition_BaseSeed_SeedsRowsByPosition()
    {
        var ml = new MLContext(seed: 1);
        var data = Conditions(ml, 6);
        using var transformer = ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned(), Seed = 100, BatchSize = 4 }).Fit(data);
        using var withColumn = ml.Transforms.GenerateFromCondition(new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned(), SeedColumnName = "Position" }).Fit(WithPosition(ml, data));

        Assert.Equal(Outputs(withColumn.Transform(WithPosition(ml, data))).Texts, Outputs(transformer.Transform(data)).Texts);
    }

    private sealed class PositionRow
    {
        [VectorType(2)]
        public float[] Condition { get; set; } = [];

        public int Position { get; set; }
    }

    private static IDataView WithPosition(MLContext ml, IDataView data) => ml.Data.LoadFromEnumerable(
        data.GetColumn<float[]>("Condition").Select((c, i) => new PositionRow { Condition = c, Position = 100 + i }).ToList());

    private sealed class ClassRow
    {
        public string Gender { get; set; } = "";
    }

    [Fact]
    public void GenerateFromCondition_KeyColumn_IsTheOneHotCondition()
    {
        var ml = new MLContext(seed: 1);
        var classes = ml.Data.LoadFromEnumerable(new[] { "class0", "class1", "class1", "class0" }.Select(g => new ClassRow { Gender = g }).ToList());
        var keyed = ml.Transforms.Conversion.MapValueToKey("Condition", "Gender", keyData: ml.Data.LoadFromEnumerable(new[] { new ClassRow { Gender = "class0" }, new ClassRow { Gender = "class1" } })).Fit(classes).Transform(classes);
        var vectors = ml.Data.LoadFromEnumerable(new[] { new PositionRow { Condition = [1, 0] }, new PositionRow { Condition = [0, 1] }, new PositionRow { Condition = [0, 1] }, new PositionRow { Condition = [1, 0] } });
        var options = new RnnConditionedGenerationOptions { PackageBytes = TestGeneratorPackages.Conditioned(), Seed = 7 };

        using var fromKeys = ml.Transforms.GenerateFromCondition(options).Fit(keyed);
        using var fromVectors = ml.Transforms.GenerateFromCondition(options).Fit(vectors);

        Assert.Equal(Outputs(fromVectors.Transform(vectors)).Texts, Outputs(fromKeys.Transform(keyed)).Texts);
    }

    [Fact]
    public void PredictionEngine_GivesTheBatchedOutput()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = Seq2Seq(ml).Fit(Texts(ml, Words));
        var batched = Outputs(transformer.Transform(Texts(ml, Words))).Texts;
        var engine = ml.Model.CreatePredictionEngine<TextRow, GeneratedRow>(transformer);

        Assert.Equal(batched, Words.Select(w => engine.Predict(new TextRow { Text = w }).GeneratedText));
    }

    private sealed class GeneratedRow
    {
        public string GeneratedText { get; set; } = "";
    }

    [Fact]
    public void DisposeTwiceDoesNotThrow_AndTransformAfterDisposeThrows()
    {
        var ml = new MLContext(seed: 1);
        var transformer = Seq2Seq(ml).Fit(Texts(ml, Words));
        transformer.Dispose();
        transformer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => transformer.Transform(Texts(ml, Words)));
    }
}
