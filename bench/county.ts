import { JsonResponse, requestJson } from '../scripts/http';
import type { RunningStack } from '../scripts/start';

// The benchmark's county (200 units, 32 clerks, a reviewer, two consulted departments, the committee) and one
// complete request through the HTTP API: shared by the load levels (bench/run.ts) and the faults part
// (bench/faults.ts), which send the same calls differently (bench/README.md).

/** One user's calls to the stack's first API; its `token` reaches any other API of the stack as the same user. */
export type Api = ((method: string, p: string, body?: unknown) => Promise<JsonResponse>) & { token: string | null };

export function apiAs(base: string, token?: string): Api {
  return Object.assign(
    (method: string, p: string, body?: unknown) => requestJson(base, token ?? null, method, p, body),
    { token: token ?? null },
  );
}

/** How a client sends one call of a lifecycle: to its own API, or (faults) from API to API with a key. */
export type Send = (api: Api, method: 'GET' | 'POST', path: string, body?: unknown) => Promise<JsonResponse>;

/** A client of one API, as the load levels' clients are (client i → apiUrls[i % apis]). */
export const sendTo =
  (url: string): Send =>
  (api, method, path, body) =>
    requestJson(url, api.token, method, path, body);

export interface County {
  admin: Api;
  /** Reads the requests: the admin no longer does (三员分立). */
  auditor: Api;
  clerks: { api: Api; unitId: string }[];
  reviewer: Api;
  consultees: { api: Api; unitId: string }[];
  members: Api[];
  /** Every unit's id, in the order loaded. */
  units: string[];
}

export async function loadCounty(stack: RunningStack, opts: { password: string; voters: number }): Promise<County> {
  const anon = apiAs(stack.apiUrl);
  const login = async (username: string, password: string) =>
    apiAs(stack.apiUrl, (await anon('POST', '/v1/auth/login', { username, password })).body.accessToken);
  const admin = await login('admin', stack.adminPassword);
  await admin('PUT', '/v1/establishment/totals', {
    year: 2026,
    totals: { ADMIN: 100000, POLITICAL_LEGAL: 10000, PUBLIC_INSTITUTION: 100000, SCHOOL_STAFF: 100000, CONTRACT: 1000 },
    turnoverPool: { PUBLIC_INSTITUTION: 100 },
  });
  const units: string[] = [];
  // Units whose renaming the county decides itself (public institutions and townships below 副处: no 报批,
  // docs/domain.md), for the clerks of the lifecycles.
  const ownDecision: string[] = [];
  const kinds = ['GOVERNMENT', 'PARTY', 'PUBLIC_INSTITUTION', 'TOWNSHIP', 'MASS_ORG'];
  for (let i = 0; i < 200; i++) {
    const kind = kinds[i % kinds.length];
    const res = await admin('POST', '/v1/units', {
      name: `基准县单位${String(i).padStart(3, '0')}`,
      kind,
      grade: 'SECTION',
      quotas: kind === 'PUBLIC_INSTITUTION' ? { PUBLIC_INSTITUTION: 40 } : { ADMIN: 20, PUBLIC_INSTITUTION: 10 },
      occupied: kind === 'PUBLIC_INSTITUTION' ? { PUBLIC_INSTITUTION: 35 } : { ADMIN: 18, PUBLIC_INSTITUTION: 8 },
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
    });
    units.push(res.body.id);
    if (kind === 'PUBLIC_INSTITUTION' || kind === 'TOWNSHIP') ownDecision.push(res.body.id);
  }
  // A password the admin sets is changed at the first sign-in (docs/api.md, "Sign-in and accounts").
  const initial = 'Bench-initial-1';
  const user = async (username: string, roles: string[], unitId?: string) => {
    await admin('POST', '/v1/users', {
      username,
      password: initial,
      displayName: username,
      roles,
      ...(unitId ? { unitId } : {}),
    });
    const api = await login(username, initial);
    const changed = await api('POST', '/v1/auth/password', { currentPassword: initial, newPassword: opts.password });
    if (changed.status !== 204) throw new Error(`password of ${username}: ${changed.status}`);
    return api;
  };
  const clerks = [];
  for (let i = 0; i < 32; i++)
    clerks.push({ api: await user(`clerk${i}`, ['clerk'], ownDecision[4 + i]), unitId: ownDecision[4 + i] });
  const consultees = [
    { api: await user('consultee_a', ['consultee'], units[0]), unitId: units[0] },
    { api: await user('consultee_b', ['consultee'], units[1]), unitId: units[1] },
  ];
  const members = [];
  for (let i = 0; i < opts.voters; i++) members.push(await user(`member${i}`, ['committee_member']));
  const auditor = await user('auditor', ['auditor']);
  return { admin, auditor, clerks, reviewer: await user('reviewer', ['reviewer']), consultees, members, units };
}

export type Latencies = Record<string, number[]>;

/** What a lifecycle files for the clerk's unit, its `n`th. */
export type Change = (unitId: string, n: number) => { type: string; title: string; payload: Record<string, unknown> };

/** The load levels' change: a renaming, decided by the county itself. */
export const renameUnit: Change = (unitId, n) => ({
  type: 'RENAME_UNIT',
  title: `基准请示${n}`,
  payload: { unitId, newName: `基准县单位-${process.pid}-${n}` },
});

/** One complete request: create+submit, two consultations answered, forward, seven votes, implementation. */
export async function lifecycle(
  c: County,
  clerk: { api: Api; unitId: string },
  n: number,
  lat: Latencies,
  send: Send,
  change: Change = renameUnit,
): Promise<string> {
  const timed = async (action: string, call: () => Promise<JsonResponse>) => {
    const t0 = performance.now();
    const res = await call();
    (lat[action] ??= []).push(performance.now() - t0);
    if (res.status >= 300) throw new Error(`${action}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const created = await timed('create+submit', () =>
    send(clerk.api, 'POST', '/v1/change-requests', {
      ...change(clerk.unitId, n),
      unitId: clerk.unitId,
      justification: '机构改革',
      submit: true,
    }),
  );
  const id = created.id;
  await timed('consult', () =>
    send(c.reviewer, 'POST', `/v1/change-requests/${id}/consultations`, {
      unitIds: c.consultees.map((x) => x.unitId),
      dueAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
    }),
  );
  for (const x of c.consultees)
    await timed('opinion', () =>
      send(x.api, 'POST', `/v1/change-requests/${id}/opinions`, { position: 'agree', comment: '同意' }),
    );
  await timed('forward', () => send(c.reviewer, 'POST', `/v1/change-requests/${id}/review`, { decision: 'forward' }));
  for (const m of c.members)
    await timed('vote', () => send(m, 'POST', `/v1/change-requests/${id}/votes`, { vote: 'approve' }));
  const t0 = performance.now();
  for (;;) {
    const r = await send(clerk.api, 'GET', `/v1/change-requests/${id}`);
    if (r.body?.status === 'implemented') break;
    if (r.body?.status === 'rejected') throw new Error(`rejected: ${JSON.stringify(r.body.rejection)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  (lat['implementation (after last vote)'] ??= []).push(performance.now() - t0);
  return id;
}
