using MlNetRnn.Training.Baselines;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Datasets;

namespace MlNetRnn.Samples;

/// <summary>
/// The generator's baseline: one interpolated Kneser–Ney character n-gram model per gender, counted on the training names
/// (each name between two boundary symbols), scoring a name's characters and its end from the start of the name.
/// </summary>
internal sealed class NameNGramBaseline
{
    private readonly Vocabulary vocabulary;
    private readonly int boundary;
    private readonly KneserNeyNGramModel[] perGender;
    private readonly KneserNeyNGramModel pooled;

    public NameNGramBaseline(IReadOnlyList<LabeledText> train, int order)
    {
        Order = order;
        vocabulary = Vocabulary.BuildCharacterLevel(train.Select(n => n.Text), lowercase: false);
        boundary = vocabulary.Count;
        perGender = FirstNames.Labels.Select((_, g) => Count(train.Where(n => n.Label == g))).ToArray();
        pooled = Count(train);
    }

    /// <summary>The n-gram order.</summary>
    public int Order { get; }

    /// <summary>Mean nats per name under the model of each name's own gender (<paramref name="swapped"/> = false) or of the other one.</summary>
    public double NatsPerName(IReadOnlyList<LabeledText> names, bool swapped) =>
        names.Average(n => Nats(perGender[swapped ? 1 - n.Label : n.Label], n.Text));

    /// <summary>Mean nats per name under one model counted on both genders' training names.</summary>
    public double PooledNatsPerName(IReadOnlyList<LabeledText> names) => names.Average(n => Nats(pooled, n.Text));

    private KneserNeyNGramModel Count(IEnumerable<LabeledText> names)
    {
        var stream = new List<int> { boundary };
        foreach (var name in names)
        {
            stream.AddRange(vocabulary.Encode(name.Text));
            stream.Add(boundary);
        }
        return KneserNeyNGramModel.Train(stream, Order, vocabulary.Count + 1);
    }

    private double Nats(KneserNeyNGramModel model, string name)
    {
        int[] ids = [boundary, .. vocabulary.Encode(name), boundary];
        double nats = 0;
        for (int k = 1; k < ids.Length; k++)
            nats -= Math.Log(model.Probability(new ArraySegment<int>(ids, 0, k), ids[k]));
        return nats;
    }
}
