namespace Doppel.Planning;

/// <summary>The kinds of contract <c>doppel validate</c> checks.</summary>
public enum ContractKind
{
    Type,
    Required,
    Unique,
    Min,
    Max,
    Pattern,
    References,
    Within,
    After,
    Check,
    Values,
}

/// <summary>
/// One checkable rule on a column, from the recipe's <c>contract</c> or implied by its generator.
/// Arguments are text: bounds as written, a regex, <c>table.column</c>, or column names.
/// </summary>
public sealed record ContractRule(string Table, string Column, ContractKind Kind, IReadOnlyList<string> Args, string Origin)
{
    public string Arg => Args.Count > 0 ? Args[0] : string.Empty;

    public override string ToString() => Kind switch
    {
        ContractKind.Required => "required",
        ContractKind.Unique => "unique",
        ContractKind.Type => $"type {Arg}",
        ContractKind.Min => $"≥ {Arg}",
        ContractKind.Max => $"≤ {Arg}",
        ContractKind.Pattern => $"matches /{Arg}/",
        ContractKind.References => $"references {Arg}",
        ContractKind.Within => $"within [{string.Join(", ", Args)}]",
        ContractKind.After => $"≥ {Arg}",
        ContractKind.Check => $"check {Arg}",
        ContractKind.Values => $"one of {string.Join(", ", Args)}",
        _ => Kind.ToString(),
    };
}
