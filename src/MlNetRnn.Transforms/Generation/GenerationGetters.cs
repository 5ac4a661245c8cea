using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>Getters of the added columns, in <see cref="GenerationSettings.OutputColumnNames"/> order, over the current row's output.</summary>
internal static class GenerationGetters
{
    public static Delegate Create(int addedIndex, Func<GenerationOutput> current) => addedIndex switch
    {
        0 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = current().Text.AsMemory()),
        1 => (ValueGetter<float>)((ref float value) => value = current().LogProbability),
        2 => (ValueGetter<VBuffer<ReadOnlyMemory<char>>>)((ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(current().NBestTexts.Length, current().NBestTexts.Select(t => t.AsMemory()).ToArray())),
        3 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
            value = new VBuffer<float>(current().NBestLogProbabilities.Length, (float[])current().NBestLogProbabilities.Clone())),
        _ => throw new ArgumentOutOfRangeException(nameof(addedIndex)),
    };
}
