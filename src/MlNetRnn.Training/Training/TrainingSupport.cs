using System.Globalization;
using MlNetRnn.Training.Data;
using MlNetRnn.Training.Models;
using static TorchSharp.torch;

namespace MlNetRnn.Training.Training;

/// <summary>Small pieces shared by the trainers and the evaluator.</summary>
internal static class TrainingSupport
{
    public static optim.Optimizer CreateOptimizer(RnnTrainingOptions options, IEnumerable<TorchSharp.Modules.Parameter> parameters) => options.Optimizer switch
    {
        RnnOptimizer.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
        _ => optim.Adam(parameters, options.LearningRate, weight_decay: options.WeightDecay),
    };

    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
    }

    /// <summary>Runs the model on a batch, with the batch's characters when it has them.</summary>
    public static RnnOutput Forward(RnnSequenceModel model, SequenceBatch batch) =>
        batch.CharIds is null ? model.forward(batch.Ids, batch.Lengths) : model.forward(batch.Ids, batch.Lengths, (batch.CharIds, batch.CharLengths!));

    public static Device DeviceOf(RnnSequenceModel model) => model.parameters().First().device;

    public static void RequireTask(RnnSequenceModel model, RnnTask expected, string paramName)
    {
        ArgumentNullException.ThrowIfNull(model, paramName);
        if (model.Config.Task != expected)
            throw new ArgumentException($"{paramName}: expected a model with Task = {expected}, got Task = {model.Config.Task}.", paramName);
    }

    /// <summary>Checks that every id is in <c>[0, vocabSize)</c>, naming the first offending example and position.</summary>
    public static void CheckIds(IEnumerable<int[]> sequences, int vocabSize, string paramName)
    {
        int index = 0;
        foreach (int[] ids in sequences)
        {
            for (int t = 0; t < ids.Length; t++)
            {
                if ((uint)ids[t] >= (uint)vocabSize)
                    throw new ArgumentException(Invariant($"{paramName}[{index}]: expected token ids in [0, {vocabSize}) (the model's VocabSize), got {ids[t]} at position {t}."), paramName);
            }

            index++;
        }
    }

    /// <summary>Checks that every class index is below <paramref name="classCount"/>, naming the first offending example.</summary>
    public static void CheckClasses(IEnumerable<int[]> classes, int classCount, string paramName)
    {
        int index = 0;
        foreach (int[] labels in classes)
        {
            for (int t = 0; t < labels.Length; t++)
            {
                if ((uint)labels[t] >= (uint)classCount)
                    throw new ArgumentException(Invariant($"{paramName}[{index}]: expected class indices in [0, {classCount}) (the model's NumClasses), got {labels[t]} at position {t}."), paramName);
            }

            index++;
        }
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
