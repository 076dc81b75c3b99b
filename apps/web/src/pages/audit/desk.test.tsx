import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { AuditPage } from '../AuditDesk';
import { VerificationResult } from './ChainVerify';
import type { AuditRecord } from './logic';
import { AuditLog } from './AuditLog';
import { Proofs } from './Proofs';
import { RequestCheck } from './RequestCheck';

// The auditor's desk as the auditor sees it, against a stand-in API: the chain's verdict, the log filtered and
// paged as GET /v1/audit takes it, a record opened to its JSON and hashes, proofs with their paths, a request
// replayed, exported and rebuilt at a moment — and every refusal in words.

function wrap(node: ReactNode) {
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ConfigProvider button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queries}>
          <MemoryRouter>{node}</MemoryRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>,
  );
}

type Call = { path: string; query?: Record<string, unknown>; id?: string };
type Answer = { status?: number; body: unknown };

/** Stands in for the API: `answer` sees each call (path, query, path id) and gives its status and body. */
function fakeApi(answer: (c: Call) => Answer) {
  const calls: Call[] = [];
  vi.spyOn(api, 'GET').mockImplementation((async (
    path: string,
    init?: { params?: { query?: object; path?: { id: string } }; parseAs?: string },
  ) => {
    const call = { path, query: init?.params?.query as Record<string, unknown>, id: init?.params?.path?.id };
    calls.push(call);
    const { status = 200, body } = answer(call);
    const response = new Response(null, { status });
    if (status >= 400) return { error: body, response };
    return { data: init?.parseAs === 'blob' ? new Blob([JSON.stringify(body)]) : body, response };
  }) as never);
  return calls;
}

const REQUEST = '0e1f3c1a-7d53-4a8e-9f5b-2b7a0a9d6c11';
const rec = (seq: number, over: Partial<AuditRecord> = {}): AuditRecord => ({
  seq,
  at: '2026-03-01T02:00:00Z',
  actor: 'clerk_housing',
  actorId: null,
  role: 'clerk',
  action: 'submitted',
  requestId: REQUEST,
  workflowId: null,
  runId: null,
  stepKey: null,
  before: null,
  after: null,
  comment: null,
  prevHash: 'a'.repeat(64),
  hashAlg: 'sha256',
  hash: 'b'.repeat(64),
  signatureKeyId: null,
  signature: null,
  ...over,
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the chain verified', () => {
  it('intact: the count, the time it took, the head', () => {
    wrap(
      <VerificationResult
        v={{ valid: true, records: 118, headHash: 'c'.repeat(64), ms: 412, checkedAt: '2026-03-01T02:00:00Z' }}
      />,
    );
    const v = screen.getByTestId('audit-verify');
    expect(v.textContent).toContain('签核记录完整，共 118 条，未被篡改。');
    expect(v.textContent).toContain('412 毫秒');
    expect(v.textContent).toContain('c'.repeat(64));
    expect(screen.queryByTestId('first-broken-seq')).toBeNull();
  });

  it('broken: the first broken seq and the columns altered', () => {
    wrap(
      <VerificationResult
        v={{
          valid: false,
          records: 118,
          headHash: 'c'.repeat(64),
          firstBrokenSeq: 37,
          derivedColumnsAltered: ['action'],
          ms: 1500,
          checkedAt: '2026-03-01T02:00:00Z',
        }}
      />,
    );
    expect(screen.getByTestId('first-broken-seq').textContent).toBe('37');
    expect(screen.getByTestId('audit-verify').textContent).toContain('第 37 条起与哈希链不符');
    expect(screen.getByTestId('audit-verify').textContent).toContain('1.5 秒');
  });

  it('verifies on opening the desk, and says a refusal in words', async () => {
    fakeApi((c) =>
      c.path === '/v1/audit/verify' ? { status: 403, body: { code: 'FORBIDDEN', message: 'no' } } : { body: [] },
    );
    const { container } = wrap(<AuditPage />);
    await screen.findByText('您无权办理此项操作。');
    expect(container.textContent).not.toContain('FORBIDDEN');
  });
});

describe('the log', () => {
  it("asks the API for a request's records of an action, pages after the last seq", async () => {
    const page1 = Array.from({ length: 6 }, (_, i) => rec(i + 1, { action: i % 2 ? 'voted' : 'submitted' }));
    // The API filters by action: six ballots, every other record, then one more after them.
    const votes = Array.from({ length: 6 }, (_, i) => rec(2 * i + 2, { action: 'voted' }));
    const calls = fakeApi((c) => ({
      body: c.query?.afterSeq ? [rec(14, { action: 'voted' })] : c.query?.action ? votes : page1,
    }));
    const onFilters = vi.fn();
    const { rerender } = wrap(
      <AuditLog filters={{}} onFilters={onFilters} onPickRequest={vi.fn()} onPickSeq={vi.fn()} pageSize={6} />,
    );
    await screen.findByText('第 1 页（序号 1–6，每页至多 6 条）');
    fireEvent.change(screen.getByLabelText('事项编号'), { target: { value: ` ${REQUEST} ` } });
    fireEvent.click(screen.getByRole('button', { name: '查询' }));
    await waitFor(() => expect(onFilters).toHaveBeenCalledWith(expect.objectContaining({ requestId: ` ${REQUEST} ` })));

    const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    rerender(
      <ConfigProvider>
        <AntApp>
          <QueryClientProvider client={queries}>
            <MemoryRouter>
              <AuditLog
                filters={{ requestId: ` ${REQUEST} `, action: 'voted' }}
                onFilters={onFilters}
                onPickRequest={vi.fn()}
                onPickSeq={vi.fn()}
                pageSize={6}
              />
            </MemoryRouter>
          </QueryClientProvider>
        </AntApp>
      </ConfigProvider>,
    );
    await waitFor(() => expect(calls.at(-1)?.query).toEqual({ requestId: REQUEST, action: 'voted', limit: 6 }));
    const table = screen.getByTestId('audit-log');
    await waitFor(() => expect(within(table).getAllByText('表决')).toHaveLength(6));
    expect(within(table).queryByText('提交')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '下一页' }));
    await waitFor(() =>
      expect(calls.at(-1)?.query).toEqual({ requestId: REQUEST, action: 'voted', afterSeq: 12, limit: 6 }),
    );
    await screen.findByText(/^第 2 页/);
    expect(screen.getByRole('button', { name: '下一页' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: '上一页' }));
    await screen.findByText(/^第 1 页/);
  }, 15_000); // antd's table in happy-dom, rendered three times, on a loaded machine

  it('opens a record to its before and after, its hashes, and to the request and proof', async () => {
    fakeApi(() => ({
      body: [
        rec(7, {
          action: 'vote_closed_approved',
          role: 'committee_chair',
          before: { status: 'committee' },
          after: { status: 'implementing' },
          hash: 'e'.repeat(64),
          prevHash: 'd'.repeat(64),
        }),
      ],
    }));
    const onPickRequest = vi.fn();
    const onPickSeq = vi.fn();
    const { container } = wrap(
      <AuditLog filters={{}} onFilters={vi.fn()} onPickRequest={onPickRequest} onPickSeq={onPickSeq} />,
    );
    await screen.findByText('表决通过');
    screen.getByText('编委会主任');
    fireEvent.click(container.querySelector('.ant-table-row-expand-icon')!);
    const detail = await screen.findByTestId('record-detail');
    expect(within(detail).getByTestId('record-before').textContent).toContain('"status": "committee"');
    expect(within(detail).getByTestId('record-after').textContent).toContain('"status": "implementing"');
    expect(detail.textContent).toContain('d'.repeat(64));
    expect(detail.textContent).toContain('e'.repeat(64));
    fireEvent.click(within(detail).getByRole('button', { name: '核查此事项' }));
    expect(onPickRequest).toHaveBeenCalledWith(REQUEST);
    fireEvent.click(within(detail).getByRole('button', { name: '查看包含证明' }));
    expect(onPickSeq).toHaveBeenCalledWith(7);
  });

  it("says the API's refusal of a filter in words", async () => {
    fakeApi(() => ({ status: 400, body: { code: 'VALIDATION_FAILED', message: 'x', details: [] } }));
    wrap(<AuditLog filters={{ actor: 'x' }} onFilters={vi.fn()} onPickRequest={vi.fn()} onPickSeq={vi.fn()} />);
    await screen.findByText('填写的内容有误，请按提示修改。');
  });
});

describe('the checkpoint and proofs', () => {
  const checkpoint = {
    treeSize: 120,
    headSeq: 120,
    headHash: 'h'.repeat(64),
    rootHash: 'r'.repeat(64),
    hashAlgorithm: 'sha256',
    signatureAlgorithm: 'ed25519',
    publicKey: '-----BEGIN PUBLIC KEY-----\nMCow\n-----END PUBLIC KEY-----',
    issuedAt: '2026-03-01T02:00:00Z',
    signature: 's'.repeat(128),
  };

  it("shows the signed checkpoint, and a record's inclusion proof with its path against its root", async () => {
    const calls = fakeApi((c) => {
      if (c.path === '/v1/audit/checkpoint') return { body: checkpoint };
      return {
        body: {
          seq: 7,
          leafIndex: 6,
          treeSize: 120,
          hashAlgorithm: 'sha256',
          leafHash: 'l'.repeat(64),
          rootHash: 'r'.repeat(64),
          proof: ['1'.repeat(64), '2'.repeat(64)],
        },
      };
    });
    wrap(<Proofs seq={7} onSeq={vi.fn()} />);
    await screen.findByText('120', { selector: '[data-testid=checkpoint-size]' });
    expect(screen.getByTestId('checkpoint').textContent).toContain('哈希 SHA-256 · 签名 Ed25519');
    expect(screen.getByTestId('checkpoint').textContent).toContain('BEGIN PUBLIC KEY');
    fireEvent.click(screen.getByRole('button', { name: '获取包含证明' }));
    const proof = await screen.findByTestId('inclusion');
    expect(calls.at(-1)).toMatchObject({ path: '/v1/audit/proofs/inclusion', query: { seq: 7, treeSize: 120 } });
    expect(proof.textContent).toContain('第 7 条记录');
    expect(within(proof).getByTestId('proof-path').querySelectorAll('li')).toHaveLength(2);
    expect(proof.textContent).toContain('与上方签名检查点的根哈希相同');
  });

  it('a consistency proof between the sizes, and a size out of range in words', async () => {
    fakeApi((c) => {
      if (c.path === '/v1/audit/checkpoint') return { body: checkpoint };
      if (c.query?.from === 500)
        return {
          status: 400,
          body: { code: 'VALIDATION_FAILED', message: 'x', details: [{ field: 'from', problem: 'must be' }] },
        };
      return {
        body: {
          from: 119,
          to: 120,
          hashAlgorithm: 'sha256',
          fromRoot: 'f'.repeat(64),
          toRoot: 't'.repeat(64),
          proof: ['3'.repeat(64)],
        },
      };
    });
    wrap(<Proofs onSeq={vi.fn()} />);
    await screen.findByTestId('checkpoint');
    await waitFor(() => expect((screen.getByLabelText('新规模') as HTMLInputElement).value).toBe('120'));
    expect((screen.getByLabelText('旧规模') as HTMLInputElement).value).toBe('119');
    fireEvent.click(screen.getByRole('button', { name: '获取一致性证明' }));
    const proof = await screen.findByTestId('consistency');
    expect(proof.textContent).toContain('规模为 120 的审计树是规模为 119 的树的延续');
    fireEvent.change(screen.getByLabelText('旧规模'), { target: { value: '500' } });
    fireEvent.click(screen.getByRole('button', { name: '获取一致性证明' }));
    await screen.findByText('旧规模须在 1 至新规模之间。');
  });
});

describe('a request checked', () => {
  const view = {
    id: REQUEST,
    type: 'RENAME_UNIT',
    status: 'implemented',
    title: '县住房和城乡建设局更名',
    documentNumber: '清编〔2026〕3号',
    tally: { eligible: 5, approve: 5, reject: 0, abstain: 0, quorumReached: true, outcome: 'APPROVED' },
  };
  const trail = [
    rec(3, { action: 'created', at: '2026-03-01T01:00:00Z' }),
    rec(4, { action: 'forwarded', at: '2026-03-01T02:00:00Z' }),
  ];

  function answer(c: Call): Answer {
    if (c.path === '/v1/change-requests/{id}' && c.query?.asOf === '2026-03-01T02:00:00Z')
      return {
        body: {
          ...view,
          status: 'committee',
          documentNumber: null,
          tally: { eligible: 5, approve: 0, reject: 0, abstain: 0, quorumReached: false, outcome: null },
          asOf: '2026-03-01T02:00:00Z',
          rebuiltFromAudit: true,
          auditRecords: 4,
        },
      };
    if (c.path === '/v1/change-requests/{id}') return { body: view };
    if (c.path === '/v1/change-requests/{id}/audit') return { body: trail };
    if (c.path === '/v1/change-requests/{id}/replay')
      return {
        body: {
          workflowId: `change-request-${REQUEST}`,
          runs: 1,
          events: 64,
          deterministic: false,
          reason: 'DeterminismViolation: activity mismatch',
        },
      };
    if (c.path === '/v1/change-requests/{id}/dossier') return { body: { format: 'bianzhi-dossier/1' } };
    return { status: 404, body: { code: 'NOT_FOUND', message: 'x' } };
  }

  it("replays it, saying a divergence and where; and rebuilds it at a record's moment", async () => {
    const calls = fakeApi(answer);
    wrap(<RequestCheck requestId={REQUEST} onRequestId={vi.fn()} onShowInLog={vi.fn()} />);
    await screen.findByText('县住房和城乡建设局更名');
    fireEvent.click(screen.getByRole('button', { name: '重放工作流' }));
    const replay = await screen.findByTestId('replay');
    expect(replay.dataset.deterministic).toBe('false');
    expect(replay.textContent).toContain('重放不一致');
    expect(replay.textContent).toContain('DeterminismViolation');

    fireEvent.mouseDown(screen.getByLabelText('记录时刻'));
    fireEvent.click(await screen.findByText(/第 4 条 · 审核通过，提请审议/));
    const state = await screen.findByTestId('as-of');
    expect(calls.some((c) => c.query?.asOf === '2026-03-01T02:00:00Z')).toBe(true);
    expect(state.dataset.status).toBe('committee');
    expect(state.textContent).toContain('编委会审议中');
    expect(state.textContent).toContain('由审计记录重建（回放 4 条记录）');
  });

  it('downloads its dossier as a JSON file', async () => {
    fakeApi(answer);
    const created = vi.fn(() => 'blob:dossier');
    vi.spyOn(URL, 'createObjectURL').mockImplementation(created);
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe(`dossier-${REQUEST}.json`);
    });
    wrap(<RequestCheck requestId={REQUEST} onRequestId={vi.fn()} onShowInLog={vi.fn()} />);
    fireEvent.click(await screen.findByRole('button', { name: '下载核查卷宗' }));
    await screen.findByText(`已下载 dossier-${REQUEST}.json`);
    expect(click).toHaveBeenCalled();
    expect(created).toHaveBeenCalled();
  });

  it('a request not found, in words; a malformed id never asked', async () => {
    const calls = fakeApi(() => ({ status: 404, body: { code: 'NOT_FOUND', message: 'x' } }));
    const onRequestId = vi.fn();
    const { rerender } = wrap(<RequestCheck onRequestId={onRequestId} onShowInLog={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('事项编号'), { target: { value: '123' } });
    await screen.findByText('请填写完整的事项编号，或在审计记录中点“核查”');
    expect(screen.getByRole('button', { name: '核查' })).toHaveProperty('disabled', true);
    expect(calls).toHaveLength(0);
    rerender(
      <ConfigProvider>
        <AntApp>
          <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
            <MemoryRouter>
              <RequestCheck requestId={REQUEST} onRequestId={onRequestId} onShowInLog={vi.fn()} />
            </MemoryRouter>
          </QueryClientProvider>
        </AntApp>
      </ConfigProvider>,
    );
    await screen.findByText('没有找到此事项，或您无权查看。');
  });
});
