using System.Globalization;
using MlNetRnn.Transforms.Onnx;

namespace MlNetRnn.Transforms.Saving;

/// <summary>
/// Checks that the ONNX model found in a saved scorer is the one its settings were saved with: an entry swapped for another
/// model (a tagger in place of a classifier) would otherwise load and silently change the output's meaning and shape.
/// </summary>
internal static class SavedModelConsistency
{
    /// <summary>Creates the estimator for the saved ONNX model and refuses it when it does not match the saved settings.</summary>
    /// <param name="saved">The settings saved next to the model.</param>
    /// <param name="create">Creates the estimator (which inspects the model).</param>
    /// <param name="where">The file and entry of the ONNX model, for messages.</param>
    /// <exception cref="InvalidDataException">The model cannot be used with the saved settings, or differs from them.</exception>
    public static RnnScoringEstimator CreateChecked(SavedScorerSettings saved, Func<RnnScoringEstimator> create, string where)
    {
        RnnScoringEstimator estimator;
        try
        {
            estimator = create();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"{where}: the ONNX model does not fit the saved scorer's settings ({e.Message}); the entry was replaced or the file is damaged.", e);
        }

        string? differences = Differences(saved, estimator.Model);
        if (differences is not null)
            throw new InvalidDataException($"{where}: the ONNX model is not the one the scorer was saved with ({differences}); the entry was replaced or the file is damaged.");
        return estimator;
    }

    /// <summary>"what: saved x, model y" for each differing property, or null when task, class count, labels and vocabulary sizes agree.</summary>
    internal static string? Differences(SavedScorerSettings saved, RnnModelDescription model)
    {
        var differences = new List<string>();
        void Compare<T>(string what, T savedValue, T modelValue, Func<T, string>? format = null)
        {
            if (!EqualityComparer<T>.Default.Equals(savedValue, modelValue))
            {
                format ??= v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty;
                differences.Add($"{what}: saved {format(savedValue)}, model {format(modelValue)}");
            }
        }

        Compare("task", saved.Task, model.Task);
        Compare("class count", saved.LabelNames.Count, model.NumClasses);
        if (saved.LabelNames.Count == model.LabelNames.Count && !saved.LabelNames.SequenceEqual(model.LabelNames, StringComparer.Ordinal))
            differences.Add($"labels: saved [{string.Join(", ", saved.LabelNames)}], model [{string.Join(", ", model.LabelNames)}]");
        Compare("vocabulary size", saved.VocabSize, model.VocabSize);
        Compare("character vocabulary size", saved.CharVocabulary?.Count ?? 0, model.CharVocabulary?.Count ?? 0);
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }
}
