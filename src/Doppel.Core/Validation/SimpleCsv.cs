using System.Text;

namespace Doppel.Validation;

/// <summary>A small RFC 4180 reader for lookup files and validation (quoted fields, doubled quotes, embedded newlines).</summary>
public static class SimpleCsv
{
    public static List<string[]> Parse(IEnumerable<string> lines) => Read(new StringReader(string.Join('\n', lines))).Select(r => r.Fields).ToList();

    /// <summary>Streams records with the 1-based line number each starts on; a null field marks an empty unquoted field.</summary>
    public static IEnumerable<(int Line, string[] Fields, bool[] Quoted)> Read(TextReader reader)
    {
        var fields = new List<string>();
        var quoted = new List<bool>();
        var sb = new StringBuilder();
        var line = 1;
        var startLine = 1;
        var inQuotes = false;
        var wasQuoted = false;
        var any = false;
        int ch;
        while ((ch = reader.Read()) >= 0)
        {
            var c = (char)ch;
            any = true;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        sb.Append('"');
                        _ = reader.Read();
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    sb.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inQuotes = true;
                    wasQuoted = true;
                    break;
                case ',':
                    fields.Add(sb.ToString());
                    quoted.Add(wasQuoted);
                    sb.Clear();
                    wasQuoted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(sb.ToString());
                    quoted.Add(wasQuoted);
                    yield return (startLine, fields.ToArray(), quoted.ToArray());
                    fields.Clear();
                    quoted.Clear();
                    sb.Clear();
                    wasQuoted = false;
                    any = false;
                    line++;
                    startLine = line;
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        if (any)
        {
            fields.Add(sb.ToString());
            quoted.Add(wasQuoted);
            yield return (startLine, fields.ToArray(), quoted.ToArray());
        }
    }
}
