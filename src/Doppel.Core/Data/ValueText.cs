using System.Globalization;
using Doppel.Execution;
using Doppel.Formats;

namespace Doppel.Data;

/// <summary>The one parser from text to a typed <see cref="Value"/> (recipe values, CSV lookups, validation).</summary>
internal static class ValueText
{
    /// <summary>Parses <paramref name="text"/> as <paramref name="type"/>: invariant numbers, <c>true</c>/<c>false</c>, YYYY-MM-DD, ISO 8601 UTC.</summary>
    public static bool TryParse(string text, DataType type, out Value value)
    {
        switch (type)
        {
            case DataType.Int when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i):
                value = Value.FromInt(i);
                return true;
            case DataType.Float when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                value = Value.FromFloat(d);
                return true;
            case DataType.Bool when text is "true" or "false":
                value = Value.FromBool(text == "true");
                return true;
            case DataType.Date when TextFormatting.TryParseDate(text, out var days):
                value = Value.FromDate(days);
                return true;
            case DataType.Timestamp when TextFormatting.TryParseTimestamp(text, out var micros):
                value = Value.FromTimestamp(micros);
                return true;
            case DataType.Json:
                value = Value.FromJson(text.AsMemory());
                return true;
            case DataType.String:
                value = Value.FromText(text);
                return true;
            default:
                value = Value.Null(type);
                return false;
        }
    }

    /// <summary>What a value of <paramref name="type"/> must look like, for error messages.</summary>
    public static string Expected(DataType type) => type switch
    {
        DataType.Int => "a whole number",
        DataType.Float => "a number",
        DataType.Bool => "true or false",
        DataType.Date => "a date YYYY-MM-DD",
        DataType.Timestamp => "an ISO 8601 timestamp such as 2026-03-14T00:00:00Z",
        _ => "text",
    };
}
