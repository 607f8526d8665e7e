#!/usr/bin/env node
// Prints what DuckDB sees in a Parquet file, as one JSON document:
// { "file": parquet_file_metadata, "schema": parquet_schema rows, "columns": parquet_metadata rows }.
// With --sql "<query>" it instead runs the query (the file is the view `t`) and prints JSON lines.
// Usage: node meta.mjs <file> [--sql "SELECT count(*) AS n FROM t"]
import { DuckDBInstance } from '@duckdb/node-api'

const args = process.argv.slice(2)
const file = args[0]
const sqlIndex = args.indexOf('--sql')
if (!file || file.startsWith('--')) {
  console.error('usage: node meta.mjs <file> [--sql "<query over view t>"]')
  process.exit(2)
}

// DuckDB's JSON conversion keeps 64-bit integers exact by turning them into strings.
try {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const escaped = file.replaceAll("'", "''")
  const all = async sql => (await connection.runAndReadAll(sql)).getRowObjectsJson()
  if (sqlIndex >= 0) {
    await connection.run(`CREATE VIEW t AS SELECT * FROM read_parquet('${escaped}')`)
    for (const row of await all(args[sqlIndex + 1])) process.stdout.write(JSON.stringify(row) + '\n')
  } else {
    const document = {
      file: (await all(`SELECT * FROM parquet_file_metadata('${escaped}')`))[0],
      schema: await all(`SELECT * FROM parquet_schema('${escaped}')`),
      columns: await all(`SELECT * FROM parquet_metadata('${escaped}') ORDER BY row_group_id, column_id`),
    }
    process.stdout.write(JSON.stringify(document, null, 1) + '\n')
  }
} catch (error) {
  console.error(`duckdb failed on ${file}: ${error?.message ?? error}`)
  process.exit(1)
}
