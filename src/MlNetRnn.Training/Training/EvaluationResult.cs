namespace MlNetRnn.Training.Training;

/// <summary>A model's loss and accuracy on a data set.</summary>
/// <param name="Loss">Mean cross-entropy in nats: per sequence for sequence classification, per token otherwise (a language model's nats per token).</param>
/// <param name="Accuracy">Fraction of correct argmax predictions: per sequence, per real token, or per next token.</param>
/// <param name="Count">Number of predictions the means are over (sequences or tokens).</param>
public sealed record EvaluationResult(double Loss, double Accuracy, long Count)
{
    /// <summary><c>exp(Loss)</c>: a language model's perplexity per token.</summary>
    public double Perplexity => Math.Exp(Loss);
}
