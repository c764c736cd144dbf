// CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote or line break is quoted and
// its quotes doubled) and as spreadsheets read it safely: a cell starting with = + - @ (or a tab or
// carriage return, which some spreadsheets skip before reading a formula) gets a leading apostrophe,
// so a finding title such as "=HYPERLINK(…)" written by a scanned image is text, not a formula.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === "string" && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: readonly (string | number | boolean | Date | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
