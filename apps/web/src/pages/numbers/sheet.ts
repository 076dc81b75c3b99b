import type { ReactNode } from 'react';

// One definition per table of the numbers page: the columns a person reads are the columns exported, so the
// table, the CSV and the Excel file cannot disagree.

export type CellValue = string | number;

export interface SheetColumn<R> {
  key: string;
  title: string;
  /** The cell as text or number: shown in the table (unless `render`), written to CSV and XLSX. */
  value: (row: R) => CellValue;
  /** A richer cell in the page (a link, a tag); its text must read as `value`. */
  render?: (row: R) => ReactNode;
}

export interface Sheet<R> {
  /** The table's Chinese name: the worksheet and the file are named after it. */
  name: string;
  columns: SheetColumn<R>[];
  rows: R[];
  rowKey: (row: R) => string;
}

/** The header row, then a row of values per row. */
export function sheetData<R>(sheet: Sheet<R>): CellValue[][] {
  return [sheet.columns.map((c) => c.title), ...sheet.rows.map((r) => sheet.columns.map((c) => c.value(r)))];
}

const BOM = '\uFEFF';

/**
 * CSV as Excel reads it: UTF-8 with a byte-order mark (else Excel takes the Chinese for the local code page),
 * CRLF, fields quoted when needed. A text starting with = + - @ gets a leading apostrophe so a spreadsheet never
 * runs it as a formula (a unit name comes from an import); numbers stay numbers, negative ones included.
 */
export function toCsv(data: CellValue[][]): string {
  return BOM + data.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

function csvField(v: CellValue): string {
  if (typeof v === 'number') return String(v);
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `编制总体情况_2026-05-01.csv`: the table's name and the date its figures stand at. */
export function exportFileName(name: string, date: string, extension: 'csv' | 'xlsx'): string {
  return `${name}_${date}.${extension}`;
}

export function csvBlob(data: CellValue[][]): Blob {
  return new Blob([toCsv(data)], { type: 'text/csv;charset=utf-8' });
}

/** Column widths in characters, a Chinese character counting two, so nothing opens cut off. */
export function columnWidths(data: CellValue[][]): number[] {
  const widths: number[] = [];
  for (const row of data)
    row.forEach((v, i) => {
      const w = [...String(v)].reduce((n, ch) => n + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);
      widths[i] = Math.max(widths[i] ?? 8, w + 2);
    });
  return widths;
}

/** An .xlsx of one worksheet, the header bold; the writer is loaded only when someone exports. */
export async function xlsxBlob(name: string, data: CellValue[][]): Promise<Blob> {
  const { default: writeXlsxFile } = await import('write-excel-file/browser');
  const rows = data.map((row, i) => (i === 0 ? row.map((v) => ({ value: v, fontWeight: 'bold' as const })) : row));
  return writeXlsxFile(rows, {
    sheet: name.slice(0, 31), // Excel's limit on a worksheet name
    columns: columnWidths(data).map((width) => ({ width })),
    stickyRowsCount: 1,
  }).toBlob();
}
