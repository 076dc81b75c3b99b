// What an uploaded file is, judged by its content (magic bytes), never by its name or the client's word:
// PDF, PNG, JPEG, and the ZIP-based DOCX, XLSX and OFD (GB/T 33190, 版式文档) told apart by their entries.

export const CONTENT_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ofd: 'application/ofd',
} as const;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PDF = Buffer.from('%PDF-', 'latin1');
const ZIP_LOCAL = 0x04034b50;
const ZIP_END = 0x06054b50;
const ZIP_CENTRAL = 0x02014b50;

/** The content type of these bytes, or null when they are none of the accepted kinds. */
export function sniffContentType(bytes: Buffer): string | null {
  const startsWith = (magic: Buffer) => bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);
  if (startsWith(PDF)) return CONTENT_TYPES.pdf;
  if (startsWith(PNG)) return CONTENT_TYPES.png;
  if (startsWith(JPEG)) return CONTENT_TYPES.jpeg;
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === ZIP_LOCAL) {
    const names = zipEntryNames(bytes);
    if (!names) return null;
    const has = (name: string) => names.includes(name);
    const under = (dir: string) => names.some((n) => n.startsWith(dir));
    if (has('[Content_Types].xml') && under('word/')) return CONTENT_TYPES.docx;
    if (has('[Content_Types].xml') && under('xl/')) return CONTENT_TYPES.xlsx;
    if (has('OFD.xml')) return CONTENT_TYPES.ofd;
  }
  return null;
}

/**
 * The entry names of a ZIP archive from its central directory (found through the end-of-central-directory
 * record, searched backwards over the longest possible comment), or null when the archive is malformed.
 */
export function zipEntryNames(bytes: Buffer): string[] | null {
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let i = bytes.length - 22; i >= earliest; i--)
    if (bytes.readUInt32LE(i) === ZIP_END) {
      end = i;
      break;
    }
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== ZIP_CENTRAL) return null;
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (at + 46 + nameLength > bytes.length) return null;
    names.push(bytes.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** A `Content-Disposition` header that carries any name safely: an ASCII fallback and the UTF-8 original. */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The name as given, without what no file name holds (control characters, path separators), within bounds. */
export function cleanName(given: string | undefined): string {
  const cleaned = (given ?? '')
    .replace(/[\x00-\x1f\x7f]/g, '') // eslint-disable-line no-control-regex
    .replace(/[/\\]/g, '_')
    // Format characters (bidi overrides such as U+202E) would make a name read other than it is.
    .replace(/\p{Cf}/gu, '')
    .trim();
  // At most 255 characters, cut between characters (code points), never inside a surrogate pair.
  const name = Array.from(cleaned).slice(0, 255).join('');
  return name || 'attachment';
}
