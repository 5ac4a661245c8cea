using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetRnn.Transforms.Data;

namespace MlNetRnn.Transforms.Generation;

/// <summary>
/// A generator's view of an input schema: the checked input (and seed) column and the output schema (every input column
/// in place, then the added columns, which hide input columns of the same names).
/// </summary>
internal sealed class GenerationSchema
{
    private GenerationSchema(DataViewSchema input, DataViewSchema output, DataViewSchema.Column inputColumn, DataViewSchema.Column? seedColumn)
    {
        Input = input;
        Output = output;
        InputColumn = inputColumn;
        SeedColumn = seedColumn;
    }

    public DataViewSchema Input { get; }

    public DataViewSchema Output { get; }

    public DataViewSchema.Column InputColumn { get; }

    public DataViewSchema.Column? SeedColumn { get; }

    public bool InputIsKey => InputColumn.Type is KeyDataViewType;

    /// <summary>Index of an output column among the added ones, or -1 for a pass-through column.</summary>
    public int AddedIndex(int outputColumnIndex) => outputColumnIndex < Input.Count ? -1 : outputColumnIndex - Input.Count;

    /// <exception cref="ArgumentException">The input or seed column is missing or has the wrong type; the message names it.</exception>
    public static GenerationSchema Create(DataViewSchema input, GenerationCore core)
    {
        ArgumentNullException.ThrowIfNull(input);
        var settings = core.Settings;
        var column = input.GetColumnOrNull(settings.InputColumnName)
            ?? throw Missing(settings.InputColumnName, Expected(core), input.Where(c => !c.IsHidden).Select(c => c.Name), nameof(input));
        CheckInput(core, column.Type is VectorDataViewType { ItemType: NumberDataViewType item } v && item.RawType == typeof(float) ? v.Size : null,
            column.Type is KeyDataViewType key ? (long)key.Count : null, column.Type is TextDataViewType, column.Type.ToString() ?? "", nameof(input));

        DataViewSchema.Column? seed = null;
        if (settings.SeedColumnName is { } seedName)
        {
            seed = input.GetColumnOrNull(seedName) ?? throw Missing(seedName, ExpectedSeed, input.Where(c => !c.IsHidden).Select(c => c.Name), nameof(input));
            if (!IsSeedType(seed.Value.Type.RawType) || seed.Value.Type is KeyDataViewType)
                throw new ArgumentException($"Seed column '{seedName}': {ExpectedSeed}, got {seed.Value.Type}.", nameof(input));
        }

        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var (name, type) in AddedColumns(settings))
            builder.AddColumn(name, type);
        return new GenerationSchema(input, builder.ToSchema(), column, seed);
    }

    /// <summary>The schema-shape form of <see cref="Create(DataViewSchema, GenerationCore)"/>, for <c>GetOutputSchema(SchemaShape)</c>.</summary>
    public static SchemaShape Create(SchemaShape input, GenerationCore core)
    {
        var settings = core.Settings;
        var column = input.LastOrDefault(c => c.Name == settings.InputColumnName);
        if (column.Name is null)
            throw Missing(settings.InputColumnName, Expected(core), input.Select(c => c.Name), nameof(input));
        bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        int? vectorSize = null;
        if (column.Kind == SchemaShape.Column.VectorKind.Vector && !column.IsKey && column.ItemType.RawType == typeof(float))
            vectorSize = 0; // the shape does not carry the size: Fit checks it
        long? keyCount = scalar && column.IsKey ? 0 : null;
        string actual = column.Kind switch
        {
            SchemaShape.Column.VectorKind.Scalar => column.IsKey ? $"Key<{column.ItemType}>" : $"{column.ItemType}",
            SchemaShape.Column.VectorKind.Vector => $"Vector<{column.ItemType}, n>",
            _ => $"Vector<{column.ItemType}>",
        };
        CheckInput(core, vectorSize, keyCount, scalar && column.ItemType is TextDataViewType, actual, nameof(input));
        if (settings.SeedColumnName is { } seedName)
        {
            var seed = input.LastOrDefault(c => c.Name == seedName);
            if (seed.Name is null)
                throw Missing(seedName, ExpectedSeed, input.Select(c => c.Name), nameof(input));
            if (seed.Kind != SchemaShape.Column.VectorKind.Scalar || seed.IsKey || !IsSeedType(seed.ItemType.RawType))
                throw new ArgumentException($"Seed column '{seedName}': {ExpectedSeed}, got {seed.ItemType}.", nameof(input));
        }

        var builder = new DataViewSchema.Builder();
        foreach (var (name, type) in AddedColumns(settings))
            builder.AddColumn(name, type);
        var added = SchemaShapes.FromSchema(builder.ToSchema());
        var names = settings.OutputColumnNames.ToHashSet(StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    private static IEnumerable<(string Name, DataViewType Type)> AddedColumns(GenerationSettings settings)
    {
        yield return (settings.OutputColumnName, TextDataViewType.Instance);
        yield return (settings.LogProbabilityColumnName, NumberDataViewType.Single);
        if (settings.NBest > 0)
        {
            yield return (settings.NBestTextsColumnName!, new VectorDataViewType(TextDataViewType.Instance, settings.NBest));
            yield return (settings.NBestLogProbabilitiesColumnName!, new VectorDataViewType(NumberDataViewType.Single, settings.NBest));
        }
    }

    private const string ExpectedSeed = "expected a scalar Int32, Int64 or UInt32 seed";

    private static bool IsSeedType(Type raw) => raw == typeof(int) || raw == typeof(long) || raw == typeof(uint);

    private static string Expected(GenerationCore core)
    {
        if (!core.Settings.Conditioned)
            return "expected a Text column (the source text)";
        int size = core.Package.Manifest.Condition!.Size;
        return $"expected a Vector<Single, {size}> (the package's condition size) or a key of {size} classes";
    }

    /// <summary>Checks the input column's kind; sizes of 0 mean "not known yet" (schema shapes) and pass.</summary>
    private static void CheckInput(GenerationCore core, int? vectorSize, long? keyCount, bool isText, string actual, string paramName)
    {
        var settings = core.Settings;
        if (!settings.Conditioned)
        {
            if (!isText)
                throw new ArgumentException($"Input column '{settings.InputColumnName}': {Expected(core)}, got {actual}.", paramName);
            return;
        }

        int size = core.Package.Manifest.Condition!.Size;
        bool ok = vectorSize is { } v ? v == size || v == 0 : keyCount is { } k && (k == size || k == 0);
        if (!ok)
            throw new ArgumentException($"Input column '{settings.InputColumnName}': {Expected(core)}, got {actual}.", paramName);
    }

    private static ArgumentException Missing(string name, string expected, IEnumerable<string> columns, string paramName) =>
        new($"Input column '{name}' not found; {expected}. The input has {string.Join(", ", columns.Select(c => $"'{c}'"))}.", paramName);
}
