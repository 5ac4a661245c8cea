namespace MlNetRnn.Transforms.Interpretability;

/// <summary>Whether a <see cref="CharProperty"/> is a yes/no property or a number.</summary>
public enum CharPropertyKind
{
    /// <summary>Yes/no per character (values 0 and 1); units are scored by ROC AUC.</summary>
    Binary,

    /// <summary>A number per character; units are scored by Pearson correlation.</summary>
    Numeric,
}
