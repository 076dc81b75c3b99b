import type { Readable } from 'node:stream';

// PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4):
// a signature, flags and a header extension, then per row a 16-bit field count and per field a 32-bit
// length (-1 for NULL) and that many bytes, ending with a field count of -1. Text arrives as its UTF-8
// bytes, untouched: what verification hashes is what PostgreSQL stores, with no driver decoding between.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** One row: each field's bytes (a view into the chunk, valid until the next batch), or null. */
export type CopyRow = (Buffer | null)[];

/**
 * The rows of a `COPY (...) TO STDOUT (FORMAT binary)` stream, a batch per chunk received. Reading is
 * driven by the consumer, so memory holds one chunk whatever the table's size.
 */
export async function* copyBinaryRows(stream: Readable): AsyncGenerator<CopyRow[]> {
  let pending: Buffer = Buffer.alloc(0);
  let headerRead = false;
  let ended = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    if (!headerRead) {
      if (buf.length < 19) {
        pending = buf;
        continue;
      }
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      at = 19 + buf.readUInt32BE(15); // signature, flags, extension length, extension
      headerRead = true;
    }
    const rows: CopyRow[] = [];
    for (;;) {
      if (buf.length - at < 2) break;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        ended = true;
        at += 2;
        break;
      }
      // A whole row or nothing: walk its lengths first.
      let end = at + 2;
      let complete = true;
      for (let f = 0; f < fields; f++) {
        if (buf.length - end < 4) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(end);
        end += 4 + (len > 0 ? len : 0);
        if (end > buf.length) {
          complete = false;
          break;
        }
      }
      if (!complete) break;
      const row: CopyRow = new Array(fields);
      let p = at + 2;
      for (let f = 0; f < fields; f++) {
        const len = buf.readInt32BE(p);
        p += 4;
        row[f] = len < 0 ? null : buf.subarray(p, p + len);
        if (len > 0) p += len;
      }
      rows.push(row);
      at = end;
    }
    // The unread tail is copied, so the chunk's memory is not kept alive by the views of the next batch.
    pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    if (rows.length) yield rows;
  }
  if (!ended || pending.length) throw new Error('binary COPY stream ended early');
}
