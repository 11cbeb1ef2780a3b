/** How numbers and tables are written in the bench's output. */

export const ms = (v) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '–');
export const rate = (v, unit = 'msg/s') => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ${unit}` : '–');
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '–');
export const pct = (v) => `${(v * 100).toFixed(0)}%`;

/** A GitHub-flavoured markdown table from rows of cells, the first row being the header. */
export function markdownTable(rows) {
  const [head, ...body] = rows;
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
