namespace MlNetRnn.Transforms; internal static class Placeholder { }
