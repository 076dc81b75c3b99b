import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnyJson } from './support/api-client';
import { County, PASSWORD, seedCounty } from './support/county';
import { createSubmitted, forwardAndApprove, settled } from './support/procedure';
import { startStack, Stack } from './support/stack';

// Attachments (附件): uploaded as multipart, judged by content, kept in PostgreSQL with their SHA-256 in the
// audit trail, listed and downloaded by whoever may see the request.

let stack: Stack;
let c: County;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

async function tokenOf(username: string): Promise<string> {
  tokens[username] ??= (await stack.api.post('/v1/auth/login', { username, password: PASSWORD })).body.accessToken;
  return tokens[username];
}

async function upload(username: string, requestId: string, bytes: Buffer, name: string, headers = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await fetch(`${stack.api.baseUrl}/v1/change-requests/${requestId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenOf(username)}`, ...headers },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as AnyJson };
}

async function download(username: string, id: string) {
  const res = await fetch(`${stack.api.baseUrl}/v1/attachments/${id}`, {
    headers: { authorization: `Bearer ${await tokenOf(username)}` },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A ZIP archive holding empty stored entries of these names (enough for judging by content). */
function zip(names: string[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const n = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n);
    centrals.push(central, n);
    offset += local.length + n.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(32, 2)]);
const DOCX = zip(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
const XLSX = zip(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml']);
const OFD = zip(['OFD.xml', 'Doc_0/Document.xml']);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let draftId: string;

describe('uploading', () => {
  beforeAll(async () => {
    const res = await c.users.clerk_housing.api.post('/v1/change-requests', {
      type: 'RENAME_UNIT',
      unitId: c.units.housing,
      title: '更名',
      justification: '理由',
      payload: { unitId: c.units.housing, newName: '县建设局' },
    });
    draftId = res.body.id;
  });

  it.each([
    ['请示.pdf', PDF, 'application/pdf'],
    ['照片.png', PNG, 'image/png'],
    ['scan.jpg', JPEG, 'image/jpeg'],
    ['三定方案.docx', DOCX, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['编制表.xlsx', XLSX, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['批复.ofd', OFD, 'application/ofd'],
    // Judged by the content, not the name.
    ['misnamed.txt', PDF, 'application/pdf'],
  ])('takes %s as %s', async (name, bytes, contentType) => {
    const res = await upload('clerk_housing', draftId, bytes, name);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name, size: bytes.length, contentType, sha256: sha256(bytes) });
  });

  it.each([
    ['virus.pdf', Buffer.from('MZ\x90\x00 this is a program', 'latin1')],
    ['notes.docx', Buffer.from('plain text pretending', 'utf8')],
    ['archive.docx', zip(['readme.txt'])],
    ['half.docx', zip(['word/document.xml'])],
    ['truncated.xlsx', zip(['[Content_Types].xml', 'xl/workbook.xml']).subarray(0, 60)],
  ])('refuses %s by its content (415)', async (name, bytes) => {
    const res = await upload('clerk_housing', draftId, bytes, name);
    expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('refuses a file over 20 MiB (413) and a body without the file (400)', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]);
    const res = await upload('clerk_housing', draftId, big, 'big.pdf');
    expect([res.status, res.body.code, res.body.details[0].field]).toEqual([413, 'PAYLOAD_TOO_LARGE', 'file']);
    const atLimit = Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024 - PDF.length)]);
    expect((await upload('clerk_housing', draftId, atLimit, 'limit.pdf')).status).toBe(201);
    const none = await c.users.clerk_housing.api.post(`/v1/change-requests/${draftId}/attachments`, {});
    expect([none.status, none.body.code, none.body.details[0].field]).toEqual([400, 'VALIDATION_FAILED', 'file']);
  });

  it('keeps a name with a path as a name only, never touching the file system', async () => {
    const res = await upload('clerk_housing', draftId, PDF, '../../etc/passwd');
    expect(res.status).toBe(201);
    expect(res.body.name).not.toContain('/');
    expect(res.body.name).toContain('passwd');
  });

  it('cuts a long name between characters and drops bidi overrides: record and header stay valid', async () => {
    const long = await upload('clerk_housing', draftId, PDF, `${'a'.repeat(254)}😀.pdf`);
    expect(long.status).toBe(201);
    expect(Array.from(long.body.name as string)).toHaveLength(255);
    expect((long.body.name as string).endsWith('a😀')).toBe(true);
    expect((await download('clerk_housing', long.body.id)).status).toBe(200);
    const bidi = await upload('clerk_housing', draftId, PDF, '请示\u202Efdp.exe');
    expect([bidi.status, bidi.body.name]).toEqual([201, '请示fdp.exe']);
    expect((await c.users.auditor.api.get('/v1/audit/verify')).body.valid).toBe(true);
  });

  it("refuses another unit's clerk (404), a non-clerk (403) and a request past demonstration (409)", async () => {
    expect((await upload('clerk_health', draftId, PDF, 'a.pdf')).status).toBe(404);
    const reviewer = await upload('reviewer', draftId, PDF, 'a.pdf');
    expect([reviewer.status, reviewer.body.code]).toEqual([403, 'FORBIDDEN']);
    const id = await createSubmitted(c, 'clerk_health', {
      type: 'RENAME_UNIT',
      unitId: c.units.health,
      payload: { unitId: c.units.health, newName: '县卫生健康委员会' },
    });
    expect((await upload('clerk_health', id, PDF, '请示.pdf')).status).toBe(201); // demonstration
    await forwardAndApprove(c, id);
    await settled(c, id);
    const late = await upload('clerk_health', id, PDF, '补充.pdf');
    expect([late.status, late.body.code]).toEqual([409, 'WRONG_STAGE']);
  });

  it('answers a retry with the same Idempotency-Key and file with its first answer, another file 409', async () => {
    const key = { 'idempotency-key': 'upload-once-1' };
    const first = await upload('clerk_housing', draftId, PNG, 'once.png', key);
    const again = await upload('clerk_housing', draftId, PNG, 'once.png', key);
    expect(first.status).toBe(201);
    expect(again).toEqual(first);
    const list = (await c.users.clerk_housing.api.get(`/v1/change-requests/${draftId}/attachments`)).body;
    expect(list.filter((a: AnyJson) => a.name === 'once.png')).toHaveLength(1);
    const other = await upload('clerk_housing', draftId, JPEG, 'once.png', key);
    expect([other.status, other.body.code]).toEqual([409, 'IDEMPOTENCY_MISMATCH']);
    const renamed = await upload('clerk_housing', draftId, PNG, 'twice.png', key);
    expect([renamed.status, renamed.body.code]).toEqual([409, 'IDEMPOTENCY_MISMATCH']);
  });
});

describe('listing, downloading and the audit trail', () => {
  it('lists the attachments, oldest first, to whoever may see the request, and 404 to others', async () => {
    const list = await c.users.clerk_housing.api.get(`/v1/change-requests/${draftId}/attachments`);
    expect(list.status).toBe(200);
    expect(list.body[0]).toMatchObject({ name: '请示.pdf', contentType: 'application/pdf', sha256: sha256(PDF) });
    expect(list.body[0].uploadedBy).toBe(c.users.clerk_housing.id);
    const times = list.body.map((a: AnyJson) => a.createdAt);
    expect(times).toEqual([...times].sort());
    expect((await c.users.auditor.api.get(`/v1/change-requests/${draftId}/attachments`)).status).toBe(200);
    expect((await c.users.clerk_health.api.get(`/v1/change-requests/${draftId}/attachments`)).status).toBe(404);
    expect((await c.users.consultee_finance.api.get(`/v1/change-requests/${draftId}/attachments`)).status).toBe(404);
  });

  it('gives the bytes back with the content type and a safe Content-Disposition', async () => {
    const list = (await c.users.clerk_housing.api.get(`/v1/change-requests/${draftId}/attachments`)).body;
    const docx = list.find((a: AnyJson) => a.name === '三定方案.docx');
    const res = await download('reviewer', docx.id);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(DOCX)).toBe(true);
    expect(res.headers.get('content-type')).toBe(docx.contentType);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="____.docx"; filename*=UTF-8''${encodeURIComponent('三定方案.docx')}`,
    );
    const odd = list.find((a: AnyJson) => a.name.includes('passwd'));
    expect((await download('clerk_housing', odd.id)).headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"/\\]*passwd"; filename\*=UTF-8''[^/\\]*passwd$/,
    );
    expect((await download('clerk_health', docx.id)).status).toBe(404);
    expect((await download('clerk_housing', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it("records each upload's SHA-256 in the request's audit trail, which still rebuilds the request", async () => {
    const trail = (await c.users.auditor.api.get(`/v1/change-requests/${draftId}/audit`)).body;
    const added = trail.filter((r: AnyJson) => r.action === 'attachment_added');
    const list = (await c.users.auditor.api.get(`/v1/change-requests/${draftId}/attachments`)).body;
    expect(added.map((r: AnyJson) => r.after.sha256)).toEqual(list.map((a: AnyJson) => a.sha256));
    expect(added[0]).toMatchObject({
      actor: 'clerk_housing',
      role: 'clerk',
      after: { name: '请示.pdf', size: PDF.length, sha256: sha256(PDF), attachmentId: list[0].id },
    });
    const verify = await c.users.auditor.api.get('/v1/audit/verify');
    expect(verify.body.valid).toBe(true);
    const asOf = await c.users.auditor.api.get(
      `/v1/change-requests/${draftId}?asOf=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(asOf.body).toMatchObject({ status: 'draft', rebuiltFromAudit: true });
    const done = (await c.users.clerk_housing.api.get('/v1/work-items/done')).body.items;
    expect(done.find((i: AnyJson) => i.requestId === draftId)).toMatchObject({ action: 'attachment_added' });
  });

  it("puts the uploads' records in the auditor's dossier, which the offline verifier accepts", async () => {
    const dossier = await c.users.auditor.api.get(`/v1/change-requests/${draftId}/dossier`);
    expect(dossier.status).toBe(200);
    const records = dossier.body.auditRecords;
    expect(records[records.length - 1].action).toBe('attachment_added');
    const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'dossier-'));
    fs.writeFileSync(path.join(dir, 'dossier.json'), JSON.stringify(dossier.body));
    fs.writeFileSync(path.join(dir, 'key.pem'), (await c.users.auditor.api.get('/v1/audit/public-key')).body.publicKey);
    // The built verifier, as test/audit.e2e-spec.ts runs it (npm test builds first).
    const verifier = path.resolve(__dirname, '../dist/scripts/verify-dossier.js');
    const out = execFileSync(
      process.execPath,
      [verifier, path.join(dir, 'dossier.json'), '--public-key', path.join(dir, 'key.pem')],
      { encoding: 'utf8' },
    );
    expect(out).toContain('the dossier is intact');
  });

  it('describes the routes in the OpenAPI document', async () => {
    const doc = (await stack.api.get('/docs-json')).body;
    const post = doc.paths['/v1/change-requests/{id}/attachments'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(post.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AttachmentResponse',
    );
    expect(doc.paths['/v1/attachments/{id}'].get.responses['200']).toBeDefined();
  });
});
