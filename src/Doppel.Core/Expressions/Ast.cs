namespace Doppel.Expressions;

/// <summary>The parsed form of an expression; <see cref="Offset"/> points into the expression text for errors.</summary>
internal abstract record Node(int Offset);

internal sealed record LiteralNode(int Offset, object? Value) : Node(Offset);

/// <summary>A name or dotted path: <c>status</c>, <c>parent.admit_time</c>, <c>station.location_lat</c>, <c>params.rows</c>.</summary>
internal sealed record NameNode(int Offset, IReadOnlyList<string> Path) : Node(Offset);

internal sealed record UnaryNode(int Offset, string Op, Node Operand) : Node(Offset);

internal sealed record BinaryNode(int Offset, string Op, Node Left, Node Right) : Node(Offset);

internal sealed record ConditionalNode(int Offset, Node Condition, Node WhenTrue, Node WhenFalse) : Node(Offset);

internal sealed record CallNode(int Offset, string Name, IReadOnlyList<Node> Args) : Node(Offset);

internal sealed record InNode(int Offset, Node Item, IReadOnlyList<Node> Set, bool Negated) : Node(Offset);
