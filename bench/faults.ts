import { Client as PgClient } from 'pg';
import { requestJson } from '../scripts/http';
import type { RunningStack } from '../scripts/start';
import { Change, County, Latencies, lifecycle, Send } from './county';
import { stats } from './measure';

// The faults part (cluster topology, bench/README.md): the lifecycle clients file a fixed number of requests while
// one API and one worker are killed with SIGKILL and the Temporal server is killed and started again. The clients
// behave as a load balancer and a careful client would: a call whose API is gone (connection refused or cut) or
// answers 502/503 goes to the next API with the same Idempotency-Key (docs/api.md, "Idempotency keys"). Then
// the outcome is checked as an undisturbed run's would be: each request implemented once, one document number
// each with none skipped, the audit chain valid, every unit's quotas exactly what the filed requests make them.

/** How long one attempt may take before the client gives up on it and tries the next API (same key). */
const ATTEMPT_MS = 90_000;
/** How long one call may take, attempts together, before the lifecycle counts as failed. */
const CALL_MS = 6 * 60_000;

/** The faults' change: a raised quota, so that the registry's end state tells whether any request ran twice. */
const raiseQuota: Change = (unitId, n) => ({
  type: 'ADJUST_QUOTA',
  title: `基准故障${n}`,
  payload: { unitId, category: 'PUBLIC_INSTITUTION', delta: 1 },
});

interface Tally {
  /** Attempts that met no API (refused, cut, or timed out by the client). */
  connection: number;
  /** Attempts answered 502 or 503 (Temporal away, or the key still held by a call that died). */
  unavailable: number;
}

/**
 * A client behind a load balancer: starts at its own API; when that one is gone or answers 502/503, the same call
 * with the same Idempotency-Key goes to the next, round and round (a pause after each round), until one answers.
 */
function carefulClient(urls: string[], first: number, tag: string, tally: Tally): Send {
  let calls = 0;
  return async (api, method, path, body) => {
    const key = method === 'POST' ? `bench-faults-${process.pid}-${tag}-${++calls}` : undefined;
    const deadline = Date.now() + CALL_MS;
    for (let attempt = 0; ; attempt++) {
      const url = urls[(first + attempt) % urls.length];
      try {
        const res = await requestJson(
          url,
          api.token,
          method,
          path,
          body,
          key ? { 'Idempotency-Key': key } : {},
          AbortSignal.timeout(ATTEMPT_MS),
        );
        if (res.status !== 502 && res.status !== 503) return res;
        tally.unavailable += 1;
      } catch {
        tally.connection += 1;
      }
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no API answered in ${CALL_MS / 1000} s`);
      if (attempt % urls.length === urls.length - 1) await new Promise((r) => setTimeout(r, 250));
    }
  };
}

type UnitState = { id: string; name: string; status: string; quotas: Record<string, number> } & Record<string, unknown>;

async function registry(pg: PgClient): Promise<Map<string, UnitState>> {
  const rows = (await pg.query('SELECT id, name, status, quotas, occupied, pending, loaned FROM units ORDER BY id'))
    .rows as UnitState[];
  return new Map(rows.map((r) => [r.id, r]));
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Runs `clients` clients of `perClient` lifecycles each on the cluster, with the faults a third of the way in, and
 * checks the outcome. `failed` lists every check that does not hold (empty: all hold).
 */
export async function faultsBench(stack: RunningStack, c: County, opts: { clients: number; perClient: number }) {
  if (!stack.temporalServer || stack.apiUrls.length < 2)
    throw new Error('the faults part needs the cluster topology (two APIs and the Temporal server)');
  const apis = stack.processes.filter((p) => p.url);
  const workers = stack.processes.filter((p) => !p.url);
  const total = opts.clients * opts.perClient;
  const pg = new PgClient({ connectionString: stack.databaseUrl });
  await pg.connect();
  try {
    const before = await registry(pg);
    const tally: Tally = { connection: 0, unavailable: 0 };
    const lat: Latencies = {};
    const errors: string[] = [];
    const completedAt: number[] = [];
    /** When each client finished its lifecycles. */
    const clientDoneAt: number[] = [];
    const t0 = performance.now();
    const now = () => (performance.now() - t0) / 1000;
    const timeline: { at: number; event: string }[] = [];
    const mark = (event: string) => {
      timeline.push({ at: round(now()), event });
      console.log(`  faults ${round(now())} s: ${event}`);
    };
    let loadDone = false;
    let temporalAt = NaN;
    const load = Promise.all(
      Array.from({ length: opts.clients }, async (_, w) => {
        const send = carefulClient(stack.apiUrls, w % stack.apiUrls.length, String(w), tally);
        for (let k = 0; k < opts.perClient; k++) {
          try {
            await lifecycle(c, c.clerks[w % c.clerks.length], w * 1000 + k, lat, send, raiseQuota);
            completedAt.push(now());
          } catch (err) {
            errors.push(String(err).slice(0, 300));
          }
        }
        clientDoneAt.push(now());
      }),
    ).finally(() => (loadDone = true));
    const faults = (async () => {
      while (!loadDone && completedAt.length < Math.ceil(total / 3)) await new Promise((r) => setTimeout(r, 100));
      if (loadDone) throw new Error('the lifecycles ended before the faults began');
      const api = apis[apis.length - 1];
      const worker = workers[workers.length - 1];
      mark(`kill -9 ${api.name} (pid ${api.pid()})`);
      await api.kill('SIGKILL');
      mark(`kill -9 ${worker.name} (pid ${worker.pid()})`);
      await worker.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 2000));
      mark(`kill -9 the Temporal server (pid ${stack.temporalServer!.pid()}) and start it again`);
      temporalAt = now();
      await stack.temporalServer!.restart();
      mark('the Temporal server serves again');
      await api.start();
      mark(`${api.name} started again (ready)`);
      await worker.start();
      mark(`${worker.name} started again`);
    })();
    await Promise.all([load, faults]);
    const seconds = now();
    const faultStart = timeline[0].at;
    const restored = timeline[timeline.length - 1].at;
    const done = [...completedAt].sort((a, b) => a - b);
    // The longest stretch with no lifecycle completed from the first fault on: until the end, and while every
    // client was still at work (a client left waiting on one call makes the end a tail of one).
    const longestGap = (until: number) => {
      const points = [faultStart, ...done.filter((t) => t > faultStart && t <= until), until];
      let gap = 0;
      for (let i = 1; i < points.length; i++) gap = Math.max(gap, points[i] - points[i - 1]);
      return round(gap);
    };
    const allAtWorkUntil = Math.min(...clientDoneAt);
    const firstAfterTemporal = done.find((t) => t > temporalAt);

    // The checks: what an undisturbed run of the same lifecycles would leave.
    const failed: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) failed.push(what);
    };
    check(errors.length === 0, `every lifecycle completed (${errors.length} failed)`);
    const filed = (
      await pg.query(
        `SELECT id, unit_id AS "unitId", status, document_number AS "documentNumber" FROM change_requests
          WHERE title LIKE '基准故障%'`,
      )
    ).rows as { id: string; unitId: string; status: string; documentNumber: string | null }[];
    check(filed.length === total, `${total} requests filed, each once (${filed.length} in the read model)`);
    const notImplemented = filed.filter((r) => r.status !== 'implemented');
    check(notImplemented.length === 0, `every request implemented (${notImplemented.length} not)`);
    let implementedRecords = 0;
    const twice: string[] = [];
    const auditor = carefulClient(stack.apiUrls, 0, 'check', tally);
    for (const r of filed) {
      const trail = await auditor(c.auditor, 'GET', `/v1/change-requests/${r.id}/audit`);
      const n = (trail.body as { action: string }[]).filter((x) => x.action === 'implemented').length;
      implementedRecords += n;
      if (n !== 1) twice.push(`${r.id}: ${n}`);
    }
    check(twice.length === 0, `one 'implemented' record each (${twice.join(', ')})`);
    // Document numbers over the whole stack (the load levels' requests took the first ones): one each, no gap.
    const numbers = (
      await pg.query('SELECT document_number AS n FROM change_requests WHERE document_number IS NOT NULL')
    ).rows.map((r) => r.n as string);
    const bySeries = new Map<string, number[]>();
    for (const n of numbers) {
      const m = /^(.*〔\d{4}〕)(\d+)号$/.exec(n);
      if (!m) {
        failed.push(`a document number of an unknown form: ${n}`);
        continue;
      }
      bySeries.set(m[1], [...(bySeries.get(m[1]) ?? []), Number(m[2])]);
    }
    for (const [series, ordinals] of bySeries) {
      const sorted = [...ordinals].sort((a, b) => a - b);
      const gapless = sorted.every((o, i) => o === i + 1);
      check(gapless, `${series} numbers 1 to ${sorted.length}, none twice, none skipped`);
    }
    check(
      filed.every((r) => r.documentNumber) && new Set(filed.map((r) => r.documentNumber)).size === filed.length,
      'a document number each, all distinct',
    );
    const verify = await auditor(c.auditor, 'GET', '/v1/audit/verify');
    check(verify.body?.valid === true, `/v1/audit/verify valid (${JSON.stringify(verify.body).slice(0, 200)})`);
    // The registry: each unit's quotas raised by exactly its implemented requests, everything else unchanged.
    const after = await registry(pg);
    const raised = new Map<string, number>();
    for (const r of filed) if (r.status === 'implemented') raised.set(r.unitId, (raised.get(r.unitId) ?? 0) + 1);
    const differing: string[] = [];
    for (const [id, was] of before) {
      const pi = (was.quotas.PUBLIC_INSTITUTION ?? 0) + (raised.get(id) ?? 0);
      const expected = { ...was, quotas: { ...was.quotas, PUBLIC_INSTITUTION: pi } };
      if (JSON.stringify(after.get(id)) !== JSON.stringify(expected)) differing.push(was.name);
    }
    check(after.size === before.size, `no unit added or removed (${before.size} → ${after.size})`);
    check(
      differing.length === 0,
      `every unit's state what the ${total} filed requests make it ` +
        `(${differing.length} differ: ${differing.slice(0, 5).join(', ')})`,
    );
    const faultsCompleted = done.filter((t) => t > faultStart && t <= restored).length;
    return {
      clients: opts.clients,
      lifecycles: total,
      completed: completedAt.length,
      errors,
      seconds: round(seconds),
      timeline,
      /** Lifecycles/s before the first fault, and after everything was started again. */
      perSecondBefore: round(done.filter((t) => t <= faultStart).length / Math.max(faultStart, 1e-9), 2),
      completedDuringFaults: faultsCompleted,
      perSecondAfter: round(done.filter((t) => t > restored).length / Math.max(seconds - restored, 1e-9), 2),
      recovery: {
        longestSecondsWithNoLifecycleCompleted: longestGap(seconds),
        longestSecondsWithNoneCompletedWhileEveryClientAtWork: longestGap(allAtWorkUntil),
        everyClientAtWorkUntilSeconds: round(allAtWorkUntil),
        firstCompletionAfterTemporalRestartSeconds:
          firstAfterTemporal === undefined ? null : round(firstAfterTemporal - temporalAt),
        lastCompletionSeconds: round(done[done.length - 1] ?? NaN),
      },
      /** Seconds from the start at which each lifecycle completed, and each client finished. */
      completedAtSeconds: done.map((t) => round(t)),
      clientsDoneAtSeconds: [...clientDoneAt].sort((a, b) => a - b).map((t) => round(t)),
      retries: tally,
      perAction: Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, stats(v)])),
      checks: {
        filed: filed.length,
        implemented: filed.length - notImplemented.length,
        implementedRecords,
        documentNumbers: Object.fromEntries([...bySeries].map(([s, o]) => [s, o.length])),
        auditVerify: verify.body,
        unitsRaised: raised.size,
        unitsCompared: before.size,
      },
      failed,
    };
  } finally {
    await pg.end();
  }
}
