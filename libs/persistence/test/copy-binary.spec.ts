import * as fc from 'fast-check';
import { Readable } from 'node:stream';
import { copyBinaryRows } from '../src/copy-binary';

/** A binary COPY stream as PostgreSQL writes it (header, rows, trailer). */
function encode(rows: (string | null)[][]): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])];
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(row.length);
    parts.push(count);
    for (const field of row) {
      const bytes = field === null ? null : Buffer.from(field, 'utf8');
      const len = Buffer.alloc(4);
      len.writeInt32BE(bytes ? bytes.length : -1);
      parts.push(len, ...(bytes ? [bytes] : []));
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

/** The buffer cut at the given offsets, as a socket might deliver it. */
function chunked(buf: Buffer, cuts: number[]): Readable {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of [...at, buf.length]) {
    if (c > from) chunks.push(buf.subarray(from, c));
    from = Math.max(from, c);
  }
  return Readable.from(chunks, { objectMode: false });
}

async function read(stream: Readable): Promise<(string | null)[][]> {
  const out: (string | null)[][] = [];
  for await (const rows of copyBinaryRows(stream))
    for (const r of rows) out.push(r.map((f) => (f === null ? null : f.toString('utf8'))));
  return out;
}

const rowsArb = fc.array(
  fc.array(fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }), { minLength: 1, maxLength: 5 }),
  { maxLength: 30 },
);

it('gives back every row and field however the stream is cut into chunks', async () => {
  await fc.assert(
    fc.asyncProperty(rowsArb, fc.array(fc.nat(), { maxLength: 20 }), async (rows, cuts) => {
      expect(await read(chunked(encode(rows), cuts))).toEqual(rows);
    }),
  );
});

it('tells an empty field from NULL', async () => {
  expect(await read(chunked(encode([['', null, '编']]), [3, 20, 21]))).toEqual([['', null, '编']]);
});

it('refuses a stream cut short or not in binary COPY format', async () => {
  const whole = encode([
    ['a', 'b'],
    ['c', null],
  ]);
  await expect(read(chunked(whole.subarray(0, whole.length - 2), []))).rejects.toThrow(/ended early/);
  await expect(read(chunked(whole.subarray(0, whole.length - 5), [30]))).rejects.toThrow(/ended early/);
  await expect(read(chunked(Buffer.from('seq\thash\n1\tabcdefghijklmnop\n'), []))).rejects.toThrow(/not a binary COPY/);
});
