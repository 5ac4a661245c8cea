namespace MlNetRnn.Transforms.Interpretability;

/// <summary>Which way a unit moves with a property.</summary>
public enum UnitDirection
{
    /// <summary>The unit is higher where a binary property holds, or rises with a numeric one (AUC ≥ 0.5, r ≥ 0).</summary>
    Higher,

    /// <summary>The unit is lower where a binary property holds, or falls as a numeric one rises (AUC &lt; 0.5, r &lt; 0).</summary>
    Lower,
}
