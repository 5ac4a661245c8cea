using MlNetRnn.Training.Models;
using ScottPlot;

/// <summary>A cell and how its gates start, with the name and file stem the tables and pictures use.</summary>
/// <param name="Name">The name in tables and legends.</param>
/// <param name="File">The file-name stem of its heat maps.</param>
/// <param name="Cell">The recurrent cell.</param>
/// <param name="KeepGateBias">The LSTM forget / GRU update gate bias to start from, or <see langword="null"/> for PyTorch's initialisation.</param>
/// <param name="Color">Its colour in the pictures.</param>
internal sealed record Variant(string Name, string File, RnnCellType Cell, double? KeepGateBias, Color Color);
