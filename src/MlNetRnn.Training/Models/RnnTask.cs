namespace MlNetRnn.Training.Models;

/// <summary>What the head on top of the recurrent stack predicts.</summary>
public enum RnnTask
{
    /// <summary>Many-to-one: one class per sequence, from the last layer's final hidden state (both directions concatenated).</summary>
    SequenceClassification,
    /// <summary>Many-to-many: one class per token (for example part-of-speech tags), from every step's last-layer output.</summary>
    TokenClassification,
    /// <summary>Next-token language model: at each step a distribution over the vocabulary for the following token.</summary>
    LanguageModel,
}
