import type { Dayjs } from 'dayjs';
import { ApiProblem } from '../../api/client';
import type { components } from '../../api/schema';
import { problemSentence } from '../../domain/errors';
import { ROLE_LABELS, STAGES, STATUS_LABELS, TRAIL_LABELS, stageOf } from '../../domain/labels';

// The auditor's desk (审计) without React: the log's query and pages, the words for an action, a role, a
// verification, a replay and a rebuilt state. The API computes every answer; this only says it.

export type AuditRecord = components['schemas']['AuditRecordView'];
export type VerifyResult = components['schemas']['VerifyResultDto'];
export type Checkpoint = components['schemas']['CheckpointView'];
export type PublicKey = components['schemas']['PublicKeyView'];
export type InclusionProof = components['schemas']['InclusionProof'];
export type ConsistencyProof = components['schemas']['ConsistencyProof'];
export type ReplayResult = components['schemas']['ReplayResult'];
export type RequestAsOf = components['schemas']['ChangeRequestAsOfView'];

/**
 * The trail's actions that are no request's step (accounts, the registry's load): labels.ts names only the
 * request's timeline (签核历程), and the desk lists the whole trail.
 */
export const OTHER_ACTION_LABELS: Record<string, string> = {
  user_created: '创建用户账号',
  user_updated: '修改用户账号',
  unit_loaded: '单位录入台账',
  totals_recorded: '录入全县编制总数',
  registry_imported: '导入机构编制台账',
  people_imported: '导入实名制在编人员',
  people_reconciled: '实名制人册核查',
};

export function actionLabel(action: string): string {
  return TRAIL_LABELS[action] ?? OTHER_ACTION_LABELS[action] ?? '其他操作';
}

/** The 操作 filter's choices: the request's steps, then the others. */
export const ACTION_OPTIONS = [...Object.entries(TRAIL_LABELS), ...Object.entries(OTHER_ACTION_LABELS)].map(
  ([value, label]) => ({ value, label }),
);

export function roleLabel(role: string): string {
  if (role === 'system') return '系统';
  return ROLE_LABELS[role] ?? role;
}

export const PAGE_SIZE = 50;

export interface LogFilters {
  range?: [Dayjs | null, Dayjs | null] | null;
  actor?: string;
  requestId?: string;
  /** Not a parameter of GET /v1/audit: applied to the page loaded. */
  action?: string;
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  requestId?: string;
  afterSeq?: number;
  limit: number;
}

/** GET /v1/audit's query for the filters it takes (from, to, actor, requestId): one page after `afterSeq`. */
export function auditQuery(f: LogFilters, afterSeq: number, limit = PAGE_SIZE): AuditQuery {
  const q: AuditQuery = { limit };
  const [from, to] = f.range ?? [];
  if (from) q.from = from.toISOString();
  if (to) q.to = to.toISOString();
  const actor = f.actor?.trim();
  if (actor) q.actor = actor;
  const requestId = f.requestId?.trim();
  if (requestId) q.requestId = requestId;
  if (f.action) q.action = f.action;
  if (afterSeq > 0) q.afterSeq = afterSeq;
  return q;
}

/**
 * The pages walked so far, as the `afterSeq` each began after: the API pages forward by seq only, so going back
 * is going to a cursor already seen.
 */
export interface Pages {
  cursors: number[];
}
export const FIRST_PAGE: Pages = { cursors: [0] };

export function currentCursor(p: Pages): number {
  return p.cursors[p.cursors.length - 1];
}

/** A full page may have more after it; a short one is the end. */
export function hasNext(page: readonly AuditRecord[], limit = PAGE_SIZE): boolean {
  return page.length >= limit;
}

export function nextPage(p: Pages, page: readonly AuditRecord[]): Pages {
  if (page.length === 0) return p;
  return { cursors: [...p.cursors, page[page.length - 1].seq] };
}

export function previousPage(p: Pages): Pages {
  return p.cursors.length > 1 ? { cursors: p.cursors.slice(0, -1) } : p;
}

const ALGORITHMS: Record<string, string> = { sha256: 'SHA-256', sm3: 'SM3', ed25519: 'Ed25519', sm2: 'SM2' };
export function algorithmName(a: string): string {
  return ALGORITHMS[a] ?? a.toUpperCase();
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.max(1, Math.round(ms))} 毫秒` : `${(ms / 1000).toFixed(1)} 秒`;
}

/** The chain's verification in one sentence (the first kept for the console's test: 签核记录完整…). */
export function verifySentence(v: VerifyResult): string {
  if (v.valid) return `签核记录完整，共 ${v.records} 条，未被篡改。`;
  return v.firstBrokenSeq !== undefined
    ? `签核记录校验失败：第 ${v.firstBrokenSeq} 条起与哈希链不符。`
    : '签核记录校验失败：派生列与记录原文不符。';
}

export function replaySentence(r: ReplayResult): string {
  return r.deterministic
    ? `确定性重放通过：按现行程序重放该事项工作流的 ${r.runs} 次运行、${r.events} 个历史事件，结果与记录一致。`
    : `重放不一致：按现行程序重放该事项工作流的历史，结果与记录不符（共 ${r.runs} 次运行、${r.events} 个历史事件）。`;
}

/** A request as it stood at a moment, rebuilt from the trail: its status, stage and vote in words. */
export function asOfFacts(r: RequestAsOf): { label: string; value: string }[] {
  const t = r.tally;
  const voted = t.approve + t.reject + t.abstain;
  const outcome: Record<string, string> = { APPROVED: '通过', REJECTED: '未通过', NO_QUORUM: '未达法定人数' };
  return [
    { label: '状态', value: STATUS_LABELS[r.status] ?? r.status },
    { label: '阶段', value: STAGES[stageOf(r.status)] },
    {
      label: '编委会表决',
      value:
        t.eligible === 0
          ? '未付表决'
          : `应表决 ${t.eligible} 人，已表决 ${voted} 人（赞成 ${t.approve}、反对 ${t.reject}、弃权 ${t.abstain}）` +
            (t.outcome ? `，结果：${outcome[t.outcome] ?? t.outcome}` : '，表决中'),
    },
    { label: '文号', value: r.documentNumber ?? '尚无' },
    {
      label: '依据',
      value: r.rebuiltFromAudit ? `由审计记录重建（回放 ${r.auditRecords ?? 0} 条记录）` : '当前状态',
    },
  ];
}

export function dossierFileName(requestId: string): string {
  return `dossier-${requestId}.json`;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function json(v: unknown): string {
  return v === null || v === undefined ? '—' : JSON.stringify(v, null, 2);
}

const PROOF_FIELDS: Record<string, string> = {
  seq: '记录序号须在 1 至树规模之间',
  treeSize: '树规模须在 1 至审计记录总数之间',
  from: '旧规模须在 1 至新规模之间',
  to: '新规模须在 1 至审计记录总数之间',
};

/** A proof refused for its numbers says which number is out of range; anything else as every error is said. */
export function proofProblem(e: unknown): string {
  if (e instanceof ApiProblem && e.code === 'VALIDATION_FAILED') {
    const said = e.details.map((d) => PROOF_FIELDS[String(d.field ?? '')]).filter(Boolean);
    if (said.length) return `${said.join('；')}。`;
  }
  return problemSentence(e);
}
