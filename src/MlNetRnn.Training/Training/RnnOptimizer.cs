namespace MlNetRnn.Training.Training;

/// <summary>The optimizer a trainer updates the weights with.</summary>
public enum RnnOptimizer
{
    /// <summary>Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8), with L2 weight decay added to the gradient.</summary>
    Adam,
    /// <summary>Stochastic gradient descent with optional momentum and weight decay.</summary>
    Sgd,
}
