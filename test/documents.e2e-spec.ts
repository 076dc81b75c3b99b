import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDocumentActivities } from '../apps/worker/src/document.activities';
import { readPdf } from '../libs/documents/test/read-pdf';
import { AnyJson } from './support/api-client';
import { County, seedCounty, until } from './support/county';
import { createSubmitted, forwardAndApprove, refuseImplementations, settled } from './support/procedure';
import { recordHistory } from './support/histories';
import { startStack, Stack } from './support/stack';

// Official documents (公文) through HTTP, on real Temporal and PostgreSQL (issue 14, docs/domain.md "Official
// documents"): the 批复 of the seed-002 CDC case read back from its PDF, refusal notices with their reasons, the
// office's 编制使用通知, the 审批表, who may download them, and the dossier verifier rendering them again.

let stack: Stack;
let c: County;

beforeAll(async () => {
  stack = await startStack();
  c = await seedCounty(stack);
});
afterAll(() => stack?.stop());

const u = (name: string) => c.users[name].api;
const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

async function download(username: string, path: string) {
  const client = username === 'admin' ? c.admin : u(username);
  const token = (client as unknown as { token: string }).token; // the signed-in user's bearer token
  const res = await fetch(`${stack.api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The request's documents once issued (after its decision, by the workflow). */
async function documentsOf(id: string, n = 1): Promise<AnyJson[]> {
  const res = await until(
    'the document to be issued',
    () => u('auditor').get(`/v1/change-requests/${id}/documents`),
    (r) => r.status === 200 && r.body.length >= n,
    60_000,
  );
  return res.body;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The PDF's text in one string, without the spaces and breaks the layout puts in. */
const textOf = (pdf: Buffer) => readPdf(pdf).pages.join('').replace(/\s+/g, '');

describe('the 批复 of the CDC case (seed 002): 5 事业编制 to the 疾病预防控制中心', () => {
  let id: string;
  let doc: AnyJson;
  let pdf: Buffer;

  beforeAll(async () => {
    id = await createSubmitted(c, 'clerk_health', {
      type: 'TRANSFER_QUOTA',
      unitId: c.units.health,
      title: '关于调剂5名事业编制给县疾病预防控制中心的请示',
      justification: '为加强基层疾病预防控制体系建设，县疾病预防控制中心急需补充专业技术人员。',
      referenceNumber: '清卫健〔2026〕5号',
      copyTo: [c.units.finance, c.units.hr],
      payload: {
        lines: [{ fromUnitId: c.units.health, toUnitId: c.units.cdc, category: 'PUBLIC_INSTITUTION', count: 5 }],
      },
    });
    await forwardAndApprove(c, id);
    expect((await settled(c, id)).body.status).toBe('implemented');
    [doc] = await documentsOf(id);
    pdf = (await download('clerk_health', `/v1/documents/${doc.id}`)).bytes;
  });

  it('is listed with the implementation number, its title and its hash', async () => {
    const request = (await u('auditor').get(`/v1/change-requests/${id}`)).body;
    expect(doc).toMatchObject({
      kind: 'APPROVAL_REPLY',
      documentNumber: request.documentNumber,
      title: expect.stringMatching(/^关于同意.+的批复$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(request.documentNumber).toMatch(new RegExp(`^清编(办)?〔${year}〕\\d+号$`));
    expect(request.documents).toEqual([
      {
        id: doc.id,
        kind: 'APPROVAL_REPLY',
        documentNumber: doc.documentNumber,
        sha256: doc.sha256,
        issuedAt: doc.issuedAt,
      },
    ]);
  });

  it('is a PDF whose bytes are those hashed in the audit record of the step that issued it', async () => {
    const res = await download('clerk_health', `/v1/documents/${doc.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(res.bytes)).toBe(doc.sha256);
    const trail = (await u('auditor').get(`/v1/audit?requestId=${id}`)).body as AnyJson[];
    const issued = trail.filter((r) => r.action === 'document_issued');
    expect(issued).toHaveLength(1);
    expect(issued[0].after.document).toMatchObject({ id: doc.id, sha256: doc.sha256, kind: 'APPROVAL_REPLY' });
    expect(issued[0].comment).toContain(doc.sha256);
    // The log filtered by action finds the same record alone; a malformed action is refused naming the field.
    const byAction = (await u('auditor').get(`/v1/audit?requestId=${id}&action=document_issued`)).body as AnyJson[];
    expect(byAction.map((r) => r.seq)).toEqual([issued[0].seq]);
    expect((await u('auditor').get('/v1/audit?action=DROP%20TABLE')).body.details).toEqual([
      expect.objectContaining({ field: 'action' }),
    ]);
  });

  it('is issued once: an attempt whose answer was lost, retried under a later step, finds the same one', async () => {
    const activities = createDocumentActivities(stack.db, {
      officeCode: '清',
      utcOffsetHours: 8,
      countyName: '清源县',
    });
    const count = async () =>
      (
        await stack.db.query(
          `SELECT (SELECT count(*) FROM documents WHERE request_id = $1)::int AS documents,
                  (SELECT count(*) FROM audit_records WHERE request_id = $1)::int AS records`,
          [id],
        )
      )[0];
    const before = await count();
    const [row] = await stack.db.query('SELECT workflow_id, procedure, last_step FROM change_requests WHERE id = $1', [
      id,
    ]);
    const again = await activities.issueDocument({
      requestId: id,
      workflowId: row.workflow_id,
      runId: 'a-retry',
      step: row.last_step + 2, // the stalled step and the retry's came between
      state: { ...row.procedure, documents: [] }, // the workflow's state: its answer never came
    });
    expect(again).toMatchObject({ id: doc.id, sha256: doc.sha256, documentNumber: doc.documentNumber });
    expect(await count()).toEqual(before);
  });

  it('reads: its number, the requesting unit as 主送 with its 来文号, the CDC and 事业编制5名', () => {
    const text = textOf(pdf);
    expect(text).toContain(doc.documentNumber);
    expect(text).toContain('清源县机构编制委员会');
    expect(text).toContain('县卫生健康局：');
    expect(text).toContain('清卫健〔2026〕5号');
    expect(text).toContain('疾病预防控制中心');
    expect(text).toContain('事业编制5名');
    expect(text).toContain('抄送：县财政局，县人力资源和社会保障局');
  });

  it('is downloaded only by whoever may see the request: a 404 alike for others and for no document', async () => {
    expect((await download('clerk_police', `/v1/documents/${doc.id}`)).status).toBe(404);
    expect((await u('clerk_police').get(`/v1/change-requests/${id}/documents`)).status).toBe(404);
    expect((await download('clerk_health', '/v1/documents/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await download('admin', `/v1/documents/${doc.id}`)).status).toBe(403); // 三员分立: no request
    expect((await download('reviewer', `/v1/documents/${doc.id}`)).status).toBe(200);
  });

  it('gives a 审批表 with every step, the same bytes twice; ballots by name only to whoever sees ballots', async () => {
    const form = await download('auditor', `/v1/change-requests/${id}/approval-form`);
    expect(form.status).toBe(200);
    expect(form.headers.get('content-type')).toBe('application/pdf');
    const text = textOf(form.bytes);
    expect(text).toContain('机构编制事项审批表');
    expect(text).toContain('提交');
    expect(text).toContain('印发公文');
    const again = await download('auditor', `/v1/change-requests/${id}/approval-form`);
    expect(sha256(again.bytes)).toBe(sha256(form.bytes));
    const clerks = textOf((await download('clerk_health', `/v1/change-requests/${id}/approval-form`)).bytes);
    expect(clerks).toContain('编委会成员');
    expect(clerks).not.toContain('member3');
    expect((await download('clerk_police', `/v1/change-requests/${id}/approval-form`)).status).toBe(404);
  });

  it('goes in the dossier, which the verifier renders again and accepts, and rejects with a byte changed', async () => {
    const dossier = await u('auditor').get(`/v1/change-requests/${id}/dossier`);
    expect(dossier.status).toBe(200);
    expect(dossier.body.documents).toEqual([
      expect.objectContaining({ id: doc.id, sha256: doc.sha256, pdf: pdf.toString('base64') }),
    ]);
    const dir = fs.mkdtempSync(path.join(process.env.TEST_TMP_DIR!, 'documents-'));
    fs.writeFileSync(path.join(dir, 'key.pem'), (await u('auditor').get('/v1/audit/public-key')).body.publicKey);
    const verifier = path.resolve(__dirname, '../dist/scripts/verify-dossier.js');
    const run = (body: AnyJson) => {
      const file = path.join(dir, `dossier-${Math.random()}.json`);
      fs.writeFileSync(file, JSON.stringify(body));
      try {
        const out = execFileSync(process.execPath, [verifier, file, '--public-key', path.join(dir, 'key.pem')], {
          encoding: 'utf8',
        });
        return { code: 0, out };
      } catch (err) {
        const e = err as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const good = run(dossier.body);
    expect(good.out).toContain(`document ${doc.documentNumber}: rendered again from the trail, the same bytes`);
    expect(good.out).toContain('the dossier is intact');
    expect(good.code).toBe(0);
    // One byte of the PDF changed (inside its content, not its header).
    const changed = Buffer.from(pdf);
    changed[changed.length >> 1] ^= 0x01;
    const tampered = structuredClone(dossier.body);
    tampered.documents[0].pdf = changed.toString('base64');
    const bad = run(tampered);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`document ${doc.documentNumber}: its PDF is not the one the trail recorded`);
  });
});

describe('refusals give a 不予批准 notice with the reason', () => {
  it('by the committee vote: numbered from the committee series, the tally as the reason', async () => {
    const id = await createSubmitted(c, 'clerk_police', {
      type: 'RENAME_UNIT',
      unitId: c.units.police,
      title: '关于县公安局更名为县公安治安局的请示',
      payload: { unitId: c.units.police, newName: '县公安治安局' },
    });
    const fwd = await u('reviewer').post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
    expect(fwd.body.status).toBe('committee');
    for (const m of fwd.body.eligibleMembers as { username: string }[])
      expect((await u(m.username).post(`/v1/change-requests/${id}/votes`, { vote: 'reject' })).status).toBe(200);
    expect((await settled(c, id)).body.status).toBe('rejected');
    const [notice] = await documentsOf(id);
    expect(notice).toMatchObject({
      kind: 'REJECTION_NOTICE',
      documentNumber: expect.stringMatching(new RegExp(`^清编〔${year}〕\\d+号$`)),
      title: '关于不予批准县公安局更名为县公安治安局的通知',
    });
    const text = textOf((await download('clerk_police', `/v1/documents/${notice.id}`)).bytes);
    expect(text).toContain('县公安局：');
    expect(text).toContain('该事项未获通过');
    expect(text).toMatch(/赞成0票，未超过有表决权的\d+名委员的半数/);
  });

  it("by the office director: from the office series, the director's reason; an approval a 编制使用通知", async () => {
    const useQuota = (count: number) => ({
      type: 'USE_QUOTA',
      unitId: c.units.housing,
      title: '关于县住房和城乡建设局使用行政编制的请示',
      payload: { unitId: c.units.housing, category: 'ADMIN', count },
    });
    const refused = await createSubmitted(c, 'clerk_housing', useQuota(1));
    expect(
      (await u('reviewer').post(`/v1/change-requests/${refused}/review`, { decision: 'forward' })).body.status,
    ).toBe('office_decision');
    const reason = '年度用编计划已满，明年统筹安排';
    expect(
      (await u('director').post(`/v1/change-requests/${refused}/decide`, { decision: 'reject', comment: reason }))
        .status,
    ).toBe(200);
    const [notice] = await documentsOf(refused);
    expect(notice).toMatchObject({
      kind: 'REJECTION_NOTICE',
      documentNumber: expect.stringMatching(new RegExp(`^清编办〔${year}〕\\d+号$`)),
    });
    const text = textOf((await download('clerk_housing', `/v1/documents/${notice.id}`)).bytes);
    expect(text).toContain('中共清源县委机构编制委员会办公室');
    expect(text).toContain(`理由：${reason}`);

    const approved = await createSubmitted(c, 'clerk_housing', useQuota(1));
    await forwardAndApprove(c, approved);
    expect((await settled(c, approved)).body.status).toBe('implemented');
    const [use] = await documentsOf(approved);
    expect(use).toMatchObject({
      kind: 'QUOTA_USE_NOTICE',
      documentNumber: expect.stringMatching(new RegExp(`^清编用〔${year}〕\\d+号$`)),
    });
    const useText = textOf((await download('clerk_housing', `/v1/documents/${use.id}`)).bytes);
    expect(useText).toContain('同意县住房和城乡建设局使用行政编制空编1名');
  });
});

describe('a notice that cannot be issued', () => {
  it("stalls visibly on the rejected request, waits in the director's list, and is issued on retry", async () => {
    const refusal = await refuseImplementations(stack.ownerDb, 'documents frozen for the audit', 'documents');
    let id: string;
    try {
      id = await createSubmitted(c, 'clerk_poverty', {
        type: 'RENAME_UNIT',
        unitId: c.units.poverty,
        title: '关于县扶贫开发局更名的请示',
        payload: { unitId: c.units.poverty, newName: '县乡村振兴局' },
      });
      const rejected = await u('reviewer').post(`/v1/change-requests/${id}/review`, {
        decision: 'reject',
        comment: '机构改革方案尚未明确',
      });
      expect(rejected.status).toBe(200);
      const stalled = await until(
        'the notice to stall',
        () => u('auditor').get(`/v1/change-requests/${id}`),
        (r) => !!r.body.stalled,
        60_000,
      );
      expect(stalled.body).toMatchObject({ status: 'rejected', stalled: { step: 'document' }, documents: [] });
      expect(stalled.body.stalled.reason).toMatch(/SQLSTATE 23514.*documents frozen for the audit/);
      const work = (await u('director').get('/v1/work-items')).body.items as AnyJson[];
      expect(work.filter((i) => i.requestId === id).map((i) => i.action)).toEqual(['retry']);
    } finally {
      await refusal.lift();
    }
    const retried = await u('director').post(`/v1/change-requests/${id}/retry`, { comment: '已恢复' });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'rejected', stalled: null });
    const [notice] = await documentsOf(id);
    expect(notice).toMatchObject({
      kind: 'REJECTION_NOTICE',
      documentNumber: expect.stringMatching(new RegExp(`^清编办〔${year}〕\\d+号$`)),
    });
    const text = textOf((await download('clerk_poverty', `/v1/documents/${notice.id}`)).bytes);
    expect(text).toContain('经审核，该事项不符合办理条件，不予提请审议。理由：机构改革方案尚未明确。');
    await recordHistory(stack.temporalAddress, id, 'notice-stalled-then-retried');
  });
});
