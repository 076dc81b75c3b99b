import { describe, expect, it } from 'vitest';
import { columnWidths, csvBlob, exportFileName, sheetData, toCsv, xlsxBlob, type Sheet } from './sheet';

// The exports of the numbers page: what Excel opens is what the table shows.

interface Row {
  name: string;
  n: number;
}
const sheet: Sheet<Row> = {
  name: '超编单位',
  rowKey: (r) => r.name,
  rows: [
    { name: '县信访局', n: 2 },
    { name: '县"融媒体"中心, 二部', n: -1 },
  ],
  columns: [
    { key: 'name', title: '单位', value: (r) => r.name },
    { key: 'n', title: '超出', value: (r) => r.n },
  ],
};

describe('CSV', () => {
  it('starts with the UTF-8 byte-order mark so Excel reads the Chinese, rows in CRLF', () => {
    const csv = toCsv([
      ['编制类别', '核定编制'],
      ['行政编制', 500],
    ]);
    expect(csv).toBe('\uFEFF编制类别,核定编制\r\n行政编制,500\r\n');
  });

  it('writes the BOM as bytes EF BB BF in the file', async () => {
    const bytes = new Uint8Array(await csvBlob([['合计', 1]]).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('合计,1\r\n');
  });

  it('quotes a field with a comma, a quote or a line break, doubling the quotes', () => {
    expect(toCsv(sheetData(sheet)).split('\r\n')).toEqual([
      '\uFEFF单位,超出',
      '县信访局,2',
      '"县""融媒体""中心, 二部",-1',
      '',
    ]);
    expect(toCsv([['一\n二']])).toBe('\uFEFF"一\n二"\r\n');
  });

  it('never lets a text run as a formula; numbers, negative ones too, stay numbers', () => {
    expect(toCsv([['=1+2', '+x', '-y', '@z', -3, '—']])).toBe("\uFEFF'=1+2,'+x,'-y,'@z,-3,—\r\n");
  });
});

describe('the sheet', () => {
  it('is the header, then the values of each row in column order', () => {
    expect(sheetData(sheet)).toEqual([
      ['单位', '超出'],
      ['县信访局', 2],
      ['县"融媒体"中心, 二部', -1],
    ]);
  });

  it('names the file after the table and the date, in Chinese', () => {
    expect(exportFileName('编制总体情况', '2026-05-01', 'csv')).toBe('编制总体情况_2026-05-01.csv');
    expect(exportFileName('编制总体情况', '2026-05-01', 'xlsx')).toBe('编制总体情况_2026-05-01.xlsx');
  });

  it('widens a column for Chinese text, two per character', () => {
    expect(
      columnWidths([
        ['单位', 'n'],
        ['县人力资源和社会保障局', 12345678901],
      ]),
    ).toEqual([24, 13]);
  });

  it('writes an .xlsx (a zip: PK) with the rows', async () => {
    const blob = await xlsxBlob('编制总体情况', sheetData(sheet));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(String.fromCharCode(bytes[0], bytes[1])).toBe('PK');
  });
});
