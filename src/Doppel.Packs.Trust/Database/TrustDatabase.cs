using System.Globalization;
using System.Net.Sockets;
using System.Numerics;
using System.Reflection;
using System.Text.Json;
using Npgsql;

namespace Doppel.Packs.Trust.Database;

/// <summary>
/// Upserts a generated trust data set into the trust_svc tables (DDL in Sql/trust_svc.sql) in one
/// transaction: trust anchors, master lists, DS certificates and CRLs. Keys are content-derived
/// (SHA-256 fingerprints, CSCA key ids), so a rerun with the same seed and as_of changes nothing.
/// </summary>
public static class TrustDatabase
{
    /// <summary>The DDL shipped with the pack.</summary>
    public static string Schema { get; } = ReadSchema();

    /// <summary>Inserts the data set in <paramref name="directory"/> (as written by <see cref="TrustGenerator"/>).</summary>
    public static async Task<TrustDatabaseResult> InsertAsync(string connection, string directory, CancellationToken cancellationToken = default)
    {
        string connectionString = ToConnectionString(connection);
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, TrustGenerator.DocumentFileName), cancellationToken).ConfigureAwait(false));
        JsonElement certificates = document.RootElement.GetProperty("certificates");
        DateOnly asOf = DateOnly.ParseExact(document.RootElement.GetProperty("metadata").GetProperty("asOf").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

        NpgsqlConnection? db = null;
        try
        {
            db = new NpgsqlConnection(connectionString);
            await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction tx = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var ddl = new NpgsqlCommand(Schema, db, tx))
            {
                await ddl.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var anchorFingerprints = new Dictionary<string, string>(StringComparer.Ordinal); // cert id -> fingerprint
            int anchors = 0;
            foreach (JsonElement c in certificates.GetProperty("csca").EnumerateArray())
            {
                byte[] der = await File.ReadAllBytesAsync(Path.Combine(directory, c.GetProperty("der").GetString()!), cancellationToken).ConfigureAwait(false);
                anchorFingerprints[c.GetProperty("id").GetString()!] = c.GetProperty("sha256").GetString()!;
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO trust_svc.trust_anchors (fingerprint_sha256, country_code, kind, subject, issuer, serial_number, subject_key_id, authority_key_id, not_before, not_after, certificate_der)
                    VALUES (@fp, @country, @kind, @subject, @issuer, @serial, @ski, @aki, @nb, @na, @der)
                    ON CONFLICT (fingerprint_sha256) DO UPDATE SET country_code = EXCLUDED.country_code, kind = EXCLUDED.kind, subject = EXCLUDED.subject,
                        issuer = EXCLUDED.issuer, serial_number = EXCLUDED.serial_number, subject_key_id = EXCLUDED.subject_key_id,
                        authority_key_id = EXCLUDED.authority_key_id, not_before = EXCLUDED.not_before, not_after = EXCLUDED.not_after, certificate_der = EXCLUDED.certificate_der
                    """, db, tx);
                cmd.Parameters.AddWithValue("fp", c.GetProperty("sha256").GetString()!);
                cmd.Parameters.AddWithValue("country", c.GetProperty("country").GetString()!);
                cmd.Parameters.AddWithValue("kind", c.GetProperty("kind").GetString()!);
                AddCertificateColumns(cmd, c, der);
                anchors += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int masterLists = 0;
            var signers = certificates.GetProperty("masterListSigners").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, StringComparer.Ordinal);
            foreach (JsonElement ml in certificates.GetProperty("masterLists").EnumerateArray())
            {
                byte[] der = await File.ReadAllBytesAsync(Path.Combine(directory, ml.GetProperty("file").GetString()!), cancellationToken).ConfigureAwait(false);
                JsonElement signer = signers[ml.GetProperty("signerId").GetString()!];
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO trust_svc.master_lists (id, country_code, signer_subject, signer_serial, signing_time, certificate_count, sha256, cms_der, as_of)
                    VALUES (@id, @country, @subject, @serial, @time, @count, @sha, @der, @asof)
                    ON CONFLICT (id) DO UPDATE SET country_code = EXCLUDED.country_code, signer_subject = EXCLUDED.signer_subject, signer_serial = EXCLUDED.signer_serial,
                        signing_time = EXCLUDED.signing_time, certificate_count = EXCLUDED.certificate_count, sha256 = EXCLUDED.sha256, cms_der = EXCLUDED.cms_der, as_of = EXCLUDED.as_of
                    """, db, tx);
                cmd.Parameters.AddWithValue("id", ml.GetProperty("id").GetString()!);
                cmd.Parameters.AddWithValue("country", ml.GetProperty("country").GetString()!);
                cmd.Parameters.AddWithValue("subject", signer.GetProperty("subject").GetString()!);
                cmd.Parameters.AddWithValue("serial", signer.GetProperty("serial").GetString()!);
                cmd.Parameters.AddWithValue("time", Timestamp(ml.GetProperty("signingTime")));
                cmd.Parameters.AddWithValue("count", ml.GetProperty("certificateCount").GetInt32());
                cmd.Parameters.AddWithValue("sha", ml.GetProperty("sha256").GetString()!);
                cmd.Parameters.AddWithValue("der", der);
                cmd.Parameters.AddWithValue("asof", asOf);
                masterLists += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int dscs = 0;
            foreach (JsonElement c in certificates.GetProperty("ds").EnumerateArray())
            {
                byte[] der = await File.ReadAllBytesAsync(Path.Combine(directory, c.GetProperty("der").GetString()!), cancellationToken).ConfigureAwait(false);
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO trust_svc.dsc_certificates (fingerprint_sha256, country_code, subject, issuer, serial_number, authority_key_id, issuer_fingerprint_sha256,
                        not_before, not_after, private_key_not_before, private_key_not_after, status, revoked_at, certificate_der)
                    VALUES (@fp, @country, @subject, @issuer, @serial, @aki, @issuerfp, @nb, @na, @pkunb, @pkuna, @status, @revoked, @der)
                    ON CONFLICT (fingerprint_sha256) DO UPDATE SET country_code = EXCLUDED.country_code, subject = EXCLUDED.subject, issuer = EXCLUDED.issuer,
                        serial_number = EXCLUDED.serial_number, authority_key_id = EXCLUDED.authority_key_id, issuer_fingerprint_sha256 = EXCLUDED.issuer_fingerprint_sha256,
                        not_before = EXCLUDED.not_before, not_after = EXCLUDED.not_after, private_key_not_before = EXCLUDED.private_key_not_before,
                        private_key_not_after = EXCLUDED.private_key_not_after, status = EXCLUDED.status, revoked_at = EXCLUDED.revoked_at, certificate_der = EXCLUDED.certificate_der
                    """, db, tx);
                cmd.Parameters.AddWithValue("fp", c.GetProperty("sha256").GetString()!);
                cmd.Parameters.AddWithValue("country", c.GetProperty("country").GetString()!);
                AddCertificateColumns(cmd, c, der, includeSubjectKeyId: false);
                cmd.Parameters.AddWithValue("issuerfp", (object?)(c.GetProperty("issuerId").GetString() is { } issuerId && anchorFingerprints.TryGetValue(issuerId, out string? fp) ? fp : null) ?? DBNull.Value);
                JsonElement usage = c.GetProperty("privateKeyUsage");
                cmd.Parameters.AddWithValue("pkunb", Timestamp(usage.GetProperty("notBefore")));
                cmd.Parameters.AddWithValue("pkuna", Timestamp(usage.GetProperty("notAfter")));
                cmd.Parameters.AddWithValue("status", c.GetProperty("status").GetString()!);
                cmd.Parameters.AddWithValue("revoked", c.TryGetProperty("revokedAt", out JsonElement revokedAt) ? Timestamp(revokedAt) : DBNull.Value);
                dscs += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int crls = 0;
            foreach (JsonElement crl in certificates.GetProperty("crls").EnumerateArray())
            {
                byte[] der = await File.ReadAllBytesAsync(Path.Combine(directory, crl.GetProperty("file").GetString()!), cancellationToken).ConfigureAwait(false);
                string issuerId = crl.GetProperty("issuerId").GetString()!;
                string issuerKeyId = certificates.GetProperty("csca").EnumerateArray().First(c => c.GetProperty("id").GetString() == issuerId).GetProperty("subjectKeyId").GetString()!;
                await using var cmd = new NpgsqlCommand("""
                    INSERT INTO trust_svc.crl_cache (issuer_key_id, country_code, issuer, crl_number, this_update, next_update, revoked_serials, sha256, crl_der)
                    VALUES (@keyid, @country, @issuer, @number, @this, @next, @revoked, @sha, @der)
                    ON CONFLICT (issuer_key_id) DO UPDATE SET country_code = EXCLUDED.country_code, issuer = EXCLUDED.issuer, crl_number = EXCLUDED.crl_number,
                        this_update = EXCLUDED.this_update, next_update = EXCLUDED.next_update, revoked_serials = EXCLUDED.revoked_serials, sha256 = EXCLUDED.sha256, crl_der = EXCLUDED.crl_der
                    WHERE EXCLUDED.crl_number >= trust_svc.crl_cache.crl_number
                    """, db, tx);
                cmd.Parameters.AddWithValue("keyid", issuerKeyId);
                cmd.Parameters.AddWithValue("country", crl.GetProperty("country").GetString()!);
                cmd.Parameters.AddWithValue("issuer", crl.GetProperty("issuer").GetString()!);
                cmd.Parameters.AddWithValue("number", (decimal)BigInteger.Parse(crl.GetProperty("crlNumber").GetString()!, CultureInfo.InvariantCulture));
                cmd.Parameters.AddWithValue("this", Timestamp(crl.GetProperty("thisUpdate")));
                cmd.Parameters.AddWithValue("next", Timestamp(crl.GetProperty("nextUpdate")));
                cmd.Parameters.AddWithValue("revoked", crl.GetProperty("revoked").EnumerateArray().Select(r => r.GetProperty("serial").GetString()!).ToArray());
                cmd.Parameters.AddWithValue("sha", crl.GetProperty("sha256").GetString()!);
                cmd.Parameters.AddWithValue("der", der);
                crls += await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new TrustDatabaseResult(masterLists, anchors, dscs, crls);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            throw new TrustDatabaseException($"database insert failed ({Describe(connectionString)}): {OneLine(e)}", null, e);
        }
        finally
        {
            if (db is not null)
            {
                await db.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void AddCertificateColumns(NpgsqlCommand cmd, JsonElement c, byte[] der, bool includeSubjectKeyId = true)
    {
        cmd.Parameters.AddWithValue("subject", c.GetProperty("subject").GetString()!);
        cmd.Parameters.AddWithValue("issuer", c.GetProperty("issuer").GetString()!);
        cmd.Parameters.AddWithValue("serial", c.GetProperty("serial").GetString()!);
        if (includeSubjectKeyId)
        {
            cmd.Parameters.AddWithValue("ski", c.GetProperty("subjectKeyId").GetString()!);
        }

        cmd.Parameters.AddWithValue("aki", c.GetProperty("authorityKeyId").GetString()!);
        cmd.Parameters.AddWithValue("nb", Timestamp(c.GetProperty("notBefore")));
        cmd.Parameters.AddWithValue("na", Timestamp(c.GetProperty("notAfter")));
        cmd.Parameters.AddWithValue("der", der);
    }

    private static DateTime Timestamp(JsonElement value) =>
        DateTime.ParseExact(value.GetString()!, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>Accepts postgres://user:pass@host:port/db?sslmode=… (also postgresql+asyncpg://) or an Npgsql key=value string.</summary>
    public static string ToConnectionString(string connection)
    {
        string value = connection.Trim();
        int scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(value).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new TrustOptionException("database_url", Describe(value), "postgres://user:password@host:port/database or Host=…;Port=…;Username=…;Database=… (" + e.Message + ")");
            }
        }

        string prefix = value[..scheme].ToLowerInvariant();
        if (prefix is not ("postgres" or "postgresql" or "postgresql+asyncpg" or "postgresql+psycopg" or "postgresql+psycopg2"))
        {
            throw new TrustOptionException("database_url", prefix + "://…", "a postgres:// or postgresql:// URL");
        }

        var uri = new Uri("postgres" + value[scheme..]);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            string[] parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            if (kv.Length == 2 && kv[0].Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                builder.SslMode = Enum.Parse<SslMode>(kv[1], ignoreCase: true);
            }
        }

        return builder.ConnectionString;
    }

    /// <summary>Host:port/database for messages (never the password).</summary>
    private static string Describe(string connectionString)
    {
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return $"{b.Host}:{b.Port}/{b.Database}";
        }
        catch (ArgumentException)
        {
            return "unparseable connection string";
        }
    }

    private static string OneLine(Exception e)
    {
        Exception inner = e;
        while (inner.InnerException is not null && inner is not PostgresException)
        {
            inner = inner.InnerException;
        }

        string message = inner == e ? e.Message : $"{e.Message} {inner.Message}";
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
    }

    private static string ReadSchema()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Doppel.Packs.Trust.Sql.trust_svc.sql")
            ?? throw new InvalidOperationException("embedded trust_svc.sql missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
