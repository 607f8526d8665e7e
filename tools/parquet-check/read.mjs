#!/usr/bin/env node
// Prints every row of a Parquet file as JSON lines in a normal form (see normalise.mjs).
// Usage: node read.mjs <file> --reader duckdb|hyparquet
import { createWriteStream } from 'node:fs'
import { rowJson, dateOf, timestampOf } from './normalise.mjs'

const args = process.argv.slice(2)
const file = args.find(a => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--reader')
const readerIndex = args.indexOf('--reader')
const reader = readerIndex >= 0 ? args[readerIndex + 1] : 'duckdb'
if (!file || !['duckdb', 'hyparquet'].includes(reader)) {
  console.error('usage: node read.mjs <file> --reader duckdb|hyparquet')
  process.exit(2)
}

// Buffered stdout: millions of small writes to a pipe are slow otherwise.
const out = process.stdout
let pending = []
let pendingLength = 0
async function emit(line) {
  pending.push(line)
  pendingLength += line.length
  if (pendingLength > 1 << 20) await flush()
}
async function flush() {
  if (pending.length === 0) return
  const text = pending.join('\n') + '\n'
  pending = []
  pendingLength = 0
  if (!out.write(text)) await new Promise(resolve => out.once('drain', resolve))
}

async function readDuckDb() {
  const { DuckDBInstance, DuckDBDateValue, DuckDBTimestampTZValue, DuckDBTimestampValue } = await import('@duckdb/node-api')
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const escaped = file.replaceAll("'", "''")
  const result = await connection.stream(`SELECT * FROM read_parquet('${escaped}')`)
  const names = result.columnNames()
  for await (const rows of result.yieldRows()) {
    for (const row of rows) {
      const values = row.map(v => {
        if (v instanceof DuckDBDateValue) return dateOf(v.days)
        if (v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimestampValue) return timestampOf(v.micros)
        return v
      })
      await emit(rowJson(names, values))
    }
  }
  connection.closeSync?.()
}

async function readHyparquet() {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead } = await import('hyparquet')
  const { compressors } = await import('hyparquet-compressors')
  const source = await asyncBufferFromFile(file)
  const metadata = await parquetMetadataAsync(source)
  const names = metadata.schema.slice(1).map(e => e.name)
  // Keep raw day numbers and microseconds instead of lossy JS Dates.
  const parsers = { dateFromDays: dateOf, timestampFromMicroseconds: timestampOf }
  // Read one row group at a time to bound memory.
  let start = 0
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows)
    let rows = []
    await parquetRead({ file: source, metadata, compressors, parsers, rowStart: start, rowEnd: end, onComplete: r => { rows = r } })
    for (const row of rows) await emit(rowJson(names, row))
    start = end
  }
}

try {
  if (reader === 'duckdb') await readDuckDb()
  else await readHyparquet()
  await flush()
} catch (error) {
  console.error(`${reader} failed to read ${file}: ${error?.message ?? error}`)
  process.exit(1)
}
