using System.Reflection;
using Microsoft.ML;

namespace MlNetRnn.Transforms.Data;

/// <summary>
/// Builds a <see cref="SchemaShape"/> from a <see cref="DataViewSchema"/>. Microsoft.ML 5.0.1 keeps both
/// <c>SchemaShape.Create</c> and the <c>SchemaShape.Column</c> constructor internal, so a third-party estimator has no
/// public way to describe new columns in <c>GetOutputSchema</c>; this calls the internal factory once, by reflection.
/// </summary>
internal static class SchemaShapes
{
    private static readonly Func<DataViewSchema, SchemaShape> Create = Bind();

    public static SchemaShape FromSchema(DataViewSchema schema) => Create(schema);

    private static Func<DataViewSchema, SchemaShape> Bind()
    {
        var method = typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)]);
        if (method is null || method.ReturnType != typeof(SchemaShape))
            return _ => throw new InvalidOperationException($"SchemaShape.Create(DataViewSchema) was not found in {typeof(SchemaShape).Assembly.FullName}; this library was built against Microsoft.ML 5.0.1.");
        return method.CreateDelegate<Func<DataViewSchema, SchemaShape>>();
    }
}
