using Doppel.Data;
using Doppel.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Doppel.Recipes;

/// <summary>A scalar as the user wrote it, with where they wrote it. May contain <c>${expression}</c> over params.</summary>
public sealed record RawValue(string Text, SourceSpan Span);

/// <summary>A recipe exactly as written: the user's model, with source spans for every diagnostic.</summary>
/// <remarks>The planner turns it into a <see cref="Planning.GenerationPlan"/>; nothing downstream reads YAML.</remarks>
public sealed class RecipeDocument
{
    public required string File { get; init; }

    public required string Text { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public RawValue? Seed { get; init; }

    public IReadOnlyList<ParamDecl> Params { get; init; } = [];

    /// <summary>Conditions on the params that must hold before anything is generated (<c>checks:</c>).</summary>
    public IReadOnlyList<CheckDecl> Checks { get; init; } = [];

    public IReadOnlyList<TableDecl> Tables { get; init; } = [];

    public OutputDecl Output { get; init; } = new();
}

/// <summary>A recipe parameter: typed, with a default, overridable with <c>--set name=value</c>.</summary>
public sealed record ParamDecl(string Name, SourceSpan Span, DataType Type, RawValue? Default, string? Description, IReadOnlyList<string>? Allowed, double? Min, double? Max, string? Env, string? Flag);

/// <summary>Recipe-wide output defaults (the CLI may override).</summary>
/// <summary>A condition on the params (<c>checks:</c>), checked at plan time; <paramref name="Message"/> says what must hold.</summary>
public sealed record CheckDecl(RawValue Expr, string? Message);

public sealed record OutputDecl(string? Format = null, bool? Checksums = null, bool? Gzip = null);

/// <summary>A table: a root table with a row count, or a child table generated per parent row.</summary>
public sealed record TableDecl(
    string Name,
    SourceSpan Span,
    RawValue? Rows,
    string? Parent,
    SourceSpan ParentSpan,
    CountDecl? PerParent,
    RawValue? File,
    bool FilePerParent,
    RawValue? ChecksumFile,
    RawValue? Enabled,
    string? Description,
    IReadOnlyList<ColumnDecl> Columns)
{
    /// <summary>This table's file format (<c>csv</c>, <c>jsonl</c>, <c>json</c>), overriding the run's format; null = the run's.</summary>
    public RawValue? Format { get; init; }
}

/// <summary>How many child rows each parent row gets.</summary>
public sealed record CountDecl(SourceSpan Span, string Dist, IReadOnlyDictionary<string, RawValue> Args, string? Expr, SourceSpan ExprSpan);

/// <summary>A column: a generator (<c>gen</c>) or an expression (<c>expr</c>), plus nulls, faults and contracts.</summary>
public sealed record ColumnDecl(
    string Name,
    SourceSpan Span,
    string? Gen,
    SourceSpan GenSpan,
    IReadOnlyDictionary<string, YamlNode> Options,
    string? Expr,
    SourceSpan ExprSpan,
    DataType? Type,
    RawValue? NullRate,
    string? NullWhen,
    SourceSpan NullWhenSpan,
    InvalidDecl? Invalid,
    ContractDecl Contract,
    bool Hidden,
    string? Description);

/// <summary>Labelled invalid-value injection: a fraction of values is made invalid in a named way.</summary>
/// <remarks>With <see cref="When"/>, only rows where the condition holds are candidates (and <see cref="Rate"/> defaults to 1), so exact fault counts can be built by construction.</remarks>
public sealed record InvalidDecl(SourceSpan Span, RawValue Rate, IReadOnlyList<(string Kind, SourceSpan Span)> Kinds, string? When = null, SourceSpan WhenSpan = default);

/// <summary>Explicit contracts checked by <c>doppel validate</c> (generators add implied ones).</summary>
public sealed record ContractDecl(
    SourceSpan Span,
    bool? Required = null,
    bool? Unique = null,
    RawValue? Min = null,
    RawValue? Max = null,
    RawValue? Pattern = null,
    RawValue? References = null,
    IReadOnlyList<RawValue>? Within = null,
    RawValue? After = null,
    RawValue? Check = null,
    IReadOnlyList<RawValue>? Values = null);
