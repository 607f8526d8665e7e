using System.Net.Sockets;
using Npgsql;

namespace Doppel.Sinks.PostgreSql;

/// <summary>Turns Npgsql/PostgreSQL exceptions into one-line, actionable text.</summary>
internal static class PostgresErrors
{
    /// <summary><c>message (detail) [SQLSTATE]</c>, on one line.</summary>
    public static string Describe(PostgresException ex)
    {
        var text = OneLine(ex.MessageText);
        if (ex.SqlState == PostgresErrorCodes.CardinalityViolation)
        {
            text = "the run contains the same natural key more than once (" + text + ")";
        }

        if (!string.IsNullOrEmpty(ex.Detail))
        {
            text += " (" + OneLine(ex.Detail) + ")";
        }

        if (!string.IsNullOrEmpty(ex.TableName) && !text.Contains('"' + ex.TableName + '"', StringComparison.Ordinal))
        {
            text += " in table " + ex.TableName;
        }

        return text + " [SQLSTATE " + ex.SqlState + "]";
    }

    /// <summary>The reason a connection attempt failed, without the stack or inner-exception noise.</summary>
    public static string ConnectReason(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return OneLine(pg.MessageText + " [SQLSTATE " + pg.SqlState + "]");
                case SocketException socket:
                    return OneLine(socket.Message);
                case TimeoutException:
                    return "timed out";
            }
        }

        return OneLine(ex.Message);
    }

    /// <summary>The exception message for anything else Npgsql throws mid-run.</summary>
    public static string Describe(Exception ex) => ex is PostgresException pg ? Describe(pg) : OneLine(ex.Message);

    /// <summary>The first line, capped in length: server details can quote a whole failing row.</summary>
    public static string OneLine(string s)
    {
        const int Max = 400;
        s = s.Trim();
        var nl = s.IndexOfAny(['\r', '\n']);
        if (nl >= 0)
        {
            s = s[..nl] + " …";
        }

        return s.Length > Max ? s[..Max] + " …" : s;
    }
}
