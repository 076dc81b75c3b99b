import { DataSource } from 'typeorm';
import { expect } from '@jest/globals';
import { County, until } from './county';

// Walking a request through the procedure in the tests: create and submit as the clerk, forward as the
// reviewer, every eligible member approves (the vote closes when all have voted), wait for the registry.

export async function createSubmitted(c: County, clerk: string, body: object): Promise<string> {
  const res = await c.users[clerk].api.post('/v1/change-requests', {
    title: 'request',
    justification: '理由',
    ...body,
    submit: true,
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function forwardAndApprove(c: County, id: string): Promise<void> {
  const fwd = await c.users.reviewer.api.post(`/v1/change-requests/${id}/review`, { decision: 'forward' });
  expect(fwd.status).toBe(200);
  if (fwd.body.status === 'office_decision') {
    // A request the office decides (编办主任办公会议): the director approves it, no vote.
    const decided = await c.users.director.api.post(`/v1/change-requests/${id}/decide`, { decision: 'approve' });
    expect(decided.status).toBe(200);
    return;
  }
  for (const m of fwd.body.eligibleMembers as { username: string }[]) {
    const vote = await c.users[m.username].api.post(`/v1/change-requests/${id}/votes`, { vote: 'approve' });
    expect(vote.status).toBe(200);
  }
}

/** The request decided and, implemented or rejected, its document issued (or its issuing stalled). */
export async function settled(c: County, id: string) {
  return until(
    'the request to settle',
    () => c.users.auditor.api.get(`/v1/change-requests/${id}`),
    (r) =>
      r.body.status === 'awaiting_higher_approval' ||
      (['implemented', 'rejected'].includes(r.body.status) && (r.body.documents.length > 0 || !!r.body.stalled)),
    60_000,
  );
}

/** Create, submit, forward, approve; returns the settled request. */
export async function implement(c: County, clerk: string, body: object) {
  const id = await createSubmitted(c, clerk, body);
  await forwardAndApprove(c, id);
  const done = await settled(c, id);
  expect(done.body.status).toBe('implemented');
  return done.body;
}

/**
 * Makes the database refuse every implementation (or, with `table`, every document) until `lift()`: a trigger
 * raising a check violation (SQLSTATE 23514) with `message`, as a constraint an operator added would — a failure
 * retrying cannot cure. `lift()` may be called again (in a `finally`).
 */
export async function refuseImplementations(
  db: DataSource,
  message: string,
  table: 'implementations' | 'documents' = 'implementations',
): Promise<{ lift(): Promise<void> }> {
  await db.query(`CREATE OR REPLACE FUNCTION refuse_implementation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${message.replace(/'/g, "''")}' USING ERRCODE = 'check_violation'; END $$`);
  await db.query(`CREATE TRIGGER refuse_implementation BEFORE INSERT ON ${table}
    FOR EACH ROW EXECUTE FUNCTION refuse_implementation()`);
  return { lift: () => db.query(`DROP TRIGGER IF EXISTS refuse_implementation ON ${table}`) };
}
