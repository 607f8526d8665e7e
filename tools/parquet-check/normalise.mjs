// Shared normal form for values read by any reader, so two readers (and the C# tests) can be
// compared line by line. Each reader hands over raw values: dates as day numbers and
// timestamps as microsecond bigints, wrapped in tagged objects; this module formats them.

/** A DATE value: days since 1970-01-01. */
export const dateOf = days => ({ kind: 'date', days: Number(days) })

/** A TIMESTAMP(MICROS, UTC) value: microseconds since 1970-01-01T00:00:00Z. */
export const timestampOf = micros => ({ kind: 'timestamp', micros: BigInt(micros) })

const pad = (n, width) => String(n).padStart(width, '0')

// Proleptic Gregorian calendar from a day number (Howard Hinnant's civil_from_days algorithm).
function civilFromDays(z) {
  z += 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  // ISO 8601 expanded years outside 0000..9999.
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6)
  return `${year}-${pad(m, 2)}-${pad(d, 2)}`
}

export function formatDate(days) {
  return civilFromDays(days)
}

export function formatTimestamp(micros) {
  const perDay = 86400000000n
  let days = micros / perDay
  let rest = micros % perDay
  if (rest < 0n) {
    rest += perDay
    days -= 1n
  }
  const seconds = rest / 1000000n
  const fraction = rest % 1000000n
  const hh = seconds / 3600n
  const mm = (seconds / 60n) % 60n
  const ss = seconds % 60n
  return `${civilFromDays(Number(days))}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}.${pad(fraction, 6)}Z`
}

/** Formats one value as JSON text. bigint stays exact; NaN/±Infinity become strings; -0 stays -0. */
export function valueJson(v) {
  if (v === null || v === undefined) return 'null'
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false'
    case 'bigint':
      return v.toString()
    case 'number':
      if (Number.isNaN(v)) return '"NaN"'
      if (v === Infinity) return '"Infinity"'
      if (v === -Infinity) return '"-Infinity"'
      if (Object.is(v, -0)) return '-0'
      return JSON.stringify(v)
    case 'string':
      return JSON.stringify(v)
    default:
      if (v.kind === 'date') return JSON.stringify(formatDate(v.days))
      if (v.kind === 'timestamp') return JSON.stringify(formatTimestamp(v.micros))
      throw new Error(`unsupported value ${String(v)} (${v?.constructor?.name})`)
  }
}

/** One JSON line for a row given as an array of values in column order. */
export function rowJson(names, values) {
  let line = '{'
  for (let i = 0; i < names.length; i++) {
    if (i > 0) line += ','
    line += JSON.stringify(names[i]) + ':' + valueJson(values[i])
  }
  return line + '}'
}
