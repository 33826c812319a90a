import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | null;

/**
 * OWASP CSV injection: a spreadsheet executes a cell that starts with `=`, `+`, `-`, `@`, tab or
 * carriage return as a formula. Text cells get a leading apostrophe (shown by no spreadsheet,
 * and which turns the cell into plain text); real numbers are left alone.
 */
export function neutraliseCell(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * A whole CSV document: UTF-8 with a byte-order mark so Excel reads names as written, CRLF
 * line ends as RFC 4180 asks, every text cell neutralised.
 */
export function csvDocument(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `\ufeff${stringify([header.map(neutraliseCell), ...rows.map((row) => row.map(neutraliseCell))], { record_delimiter: 'windows', quoted_match: /[\s,"]/ })}`;
}
