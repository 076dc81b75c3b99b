import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { appendAudit, GENESIS_HASH, loadOrCreateKeyFile } from '@bianzhi/audit';
import { emptyCategoryMap, UnitState } from '@bianzhi/domain';
import {
  AuditTrailRepository,
  dataSourceOptions,
  IdempotencyLease,
  IdempotencyRepository,
  openDatabase,
  RegistryRepository,
  UsersRepository,
} from '@bianzhi/persistence';
import { createMigratedDatabase } from './support/stack';

// The libs/persistence repositories the API uses, against a real PostgreSQL database of their own (the
// medium tier: what the HTTP tests rely on without showing it): claims, escapes, locks and rollbacks.

let db: DataSource;
let owner: DataSource;
let appUrl: string;

beforeAll(async () => {
  // As the application's role, which the repositories serve; the owner for what the role may not even try.
  const urls = await createMigratedDatabase();
  // appendAudit signs every record with the key file's key (docs/architecture.md, "Records signed by the application").
  process.env.AUDIT_SIGNING_KEY_FILE = `${process.env.TEST_TMP_DIR}/audit-signing-repositories-${randomUUID()}.key`;
  loadOrCreateKeyFile(process.env.AUDIT_SIGNING_KEY_FILE, 'ed25519');
  appUrl = urls.appUrl;
  db = await openDatabase(urls.appUrl);
  owner = new DataSource(dataSourceOptions(urls.ownerUrl, { extra: { max: 1 } }));
  await owner.initialize();
});

afterAll(async () => {
  await db?.destroy();
  await owner?.destroy();
});

function unit(name: string): UnitState {
  return {
    id: randomUUID(),
    name,
    kind: 'PUBLIC_INSTITUTION',
    grade: 'STOCK',
    parentId: null,
    funding: null,
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
  };
}

describe('IdempotencyRepository', () => {
  it('claims a key once per user, records the answer, and frees the key when released', async () => {
    const keys = new IdempotencyRepository(db.manager);
    const [alice, bob] = [randomUUID(), randomUUID()];
    const claim = await keys.claim(alice, 'k1', 'h1');
    expect(claim).toEqual(expect.any(String));
    expect(await keys.claim(alice, 'k1', 'h2')).toBeNull();
    expect(await keys.claim(alice, 'k1', 'h1')).toBeNull(); // in progress, not stale: the holder is at work
    expect(await keys.claim(bob, 'k1', 'h1')).toEqual(expect.any(String));
    expect(await keys.find(alice, 'k1')).toMatchObject({ requestHash: 'h1', statusCode: null, response: null });
    expect(await keys.recordAnswer(alice, 'k1', claim!, 422, { code: 'VALIDATION_FAILED' })).toBe(true);
    expect(await keys.find(alice, 'k1')).toMatchObject({ statusCode: 422, response: { code: 'VALIDATION_FAILED' } });
    const again = await keys.claim(alice, 'k2', 'h1');
    await keys.release(alice, 'k2', again!);
    expect(await keys.find(alice, 'k2')).toBeNull();
    expect(await keys.claim(alice, 'k2', 'h3')).toEqual(expect.any(String));
    expect(await keys.find(bob, 'k1')).toMatchObject({ requestHash: 'h1' });
  });

  it('lets a retry take over a claim left in progress too long, and the late first holder store nothing', async () => {
    const keys = new IdempotencyRepository(db.manager);
    const carol = randomUUID();
    const first = await keys.claim(carol, 'crashed', 'h1');
    // The first holder's API went away three minutes ago without answering.
    await db.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '3 minutes' WHERE user_id = $1 AND key = 'crashed'",
      [carol],
    );
    const staleClaim = (await db.query(
      "SELECT created_at::text AS c FROM idempotency_keys WHERE user_id = $1 AND key = 'crashed'",
      [carol],
    )) as { c: string }[];
    expect(await keys.claim(carol, 'crashed', 'h2')).toBeNull(); // another body is still refused
    const retry = await keys.claim(carol, 'crashed', 'h1');
    expect(retry).toEqual(expect.any(String));
    expect(retry).not.toBe(first);
    expect(await keys.claim(carol, 'crashed', 'h1')).toBeNull(); // taken over once, by one retry
    // The first holder, only slow, finishes late: neither its answer nor its failure touches the new claim.
    expect(await keys.recordAnswer(carol, 'crashed', staleClaim[0].c, 200, { by: 'first' })).toBe(false);
    await keys.release(carol, 'crashed', staleClaim[0].c);
    expect(await keys.find(carol, 'crashed')).toMatchObject({ statusCode: null });
    expect(await keys.recordAnswer(carol, 'crashed', retry!, 201, { by: 'retry' })).toBe(true);
    expect(await keys.find(carol, 'crashed')).toMatchObject({ statusCode: 201, response: { by: 'retry' } });
    // An answered key is never taken over, however old.
    await db.query("UPDATE idempotency_keys SET created_at = now() - interval '1 day' WHERE user_id = $1", [carol]);
    expect(await keys.claim(carol, 'crashed', 'h1')).toBeNull();
  });

  it("lets a retry take over at once a claim whose API process died (its lease gone), never a live one's", async () => {
    const keys = new IdempotencyRepository(db.manager);
    const dave = randomUUID();
    // Two API processes, each holding its lease on a session of its own, as the application's role.
    const [first, second] = [new IdempotencyLease(appUrl), new IdempotencyLease(appUrl)];
    try {
      const [a, b] = [await first.current(), await second.current()];
      expect([a, b]).toEqual([first.holder, second.holder]);
      const claim = await keys.claim(dave, 'cut', 'h1', undefined, a);
      expect(claim).toEqual(expect.any(String));
      expect(await keys.find(dave, 'cut')).toMatchObject({ holder: a });
      // The first process is alive and at work: the retry at the second waits, as before.
      expect(await keys.claim(dave, 'cut', 'h1', undefined, b)).toBeNull();
      // The first process dies: PostgreSQL ends its session and releases its lock. Minutes before the TTL:
      await first.close();
      await new Promise((r) => setTimeout(r, 200));
      const retry = await keys.claim(dave, 'cut', 'h1', undefined, b);
      expect(retry).toEqual(expect.any(String));
      expect(await keys.find(dave, 'cut')).toMatchObject({ holder: b });
      expect(await keys.claim(dave, 'cut', 'h2', undefined, b)).toBeNull(); // another body is still refused
      // The dead holder's late answer is not stored over the retry's claim.
      expect(await keys.recordAnswer(dave, 'cut', claim!, 200, { by: 'first' })).toBe(false);
      expect(await keys.recordAnswer(dave, 'cut', retry!, 201, { by: 'retry' })).toBe(true);
      // A claim without a holder (made before the lease, or without one) still waits out the TTL.
      expect(await keys.claim(dave, 'old', 'h1')).toEqual(expect.any(String));
      expect(await keys.claim(dave, 'old', 'h1', undefined, b)).toBeNull();
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('UsersRepository', () => {
  const user = (username: string) => ({
    username,
    passwordHash: 'x',
    displayName: username,
    roles: ['clerk' as const],
    unitId: null,
  });

  it('writes nothing when the transaction fails', async () => {
    const users = new UsersRepository(db.manager);
    await expect(
      users.transaction(async (tx) => {
        await tx.insert(user('rolled_back'));
        expect(await tx.usernameTaken('rolled_back')).toBe(true);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await users.usernameTaken('rolled_back')).toBe(false);
  });

  it('holds a user locked for update until the transaction ends', async () => {
    const users = new UsersRepository(db.manager);
    const { id } = await users.insert(user('locked'));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = users.transaction(async (tx) => {
      await tx.findForUpdate(id);
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    let secondDone = false;
    const second = users.transaction(async (tx) => {
      const u = await tx.findForUpdate(id);
      secondDone = true;
      return u;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    release();
    await first;
    expect((await second)?.username).toBe('locked');
  });
});

describe('RegistryRepository', () => {
  it('lists units by name, matching % and _ literally, a page at a time', async () => {
    const registry = new RegistryRepository(db.manager);
    const at = new Date();
    for (const name of ['甲 100% 中心', '甲 100x 中心', '乙_站', '乙x站'])
      await registry.saveUnit(unit(name), at, { kind: 'import' });
    expect((await registry.listUnits({ q: '%', page: 1, pageSize: 50 })).units.map((u) => u.name)).toEqual([
      '甲 100% 中心',
    ]);
    expect((await registry.listUnits({ q: '_', page: 1, pageSize: 50 })).units.map((u) => u.name)).toEqual(['乙_站']);
    const page2 = await registry.listUnits({ status: 'active', page: 2, pageSize: 3 });
    expect([page2.total, page2.units.length]).toEqual([4, 1]);
    const [id] = (await registry.listUnits({ q: '乙x', page: 1, pageSize: 1 })).units.map((u) => u.id);
    expect((await registry.unit(id))?.name).toBe('乙x站');
    expect(await registry.unitVersions(id)).toMatchObject([{ validTo: null, cause: 'import', state: { id } }]);
    expect(await registry.unitVersionAt(id, new Date(at.getTime() - 1))).toBeUndefined();
  });
});

describe('AuditTrailRepository', () => {
  it("answers the trail's size, leaves and head, and records public keys with their validity", async () => {
    const trail = new AuditTrailRepository(db.manager);
    expect([await trail.size(), await trail.hashAt(1), await trail.hashesUpTo(5)]).toEqual([0, undefined, []]);
    for (const action of ['a', 'b', 'c'])
      await db.transaction((em) => appendAudit(em, { actor: 'system', role: 'system', action }));
    const hashes = await trail.hashesUpTo(3);
    expect([await trail.size(), hashes.length, (await trail.hashesUpTo(2)).length]).toEqual([3, 3, 2]);
    expect(await trail.hashAt(3)).toBe(hashes[2]);
    expect(hashes[0]).not.toBe(GENESIS_HASH);
    expect((await trail.list({ afterSeq: 1, limit: 1 })).map((r) => [r.seq, r.action])).toEqual([['2', 'b']]);
    // Publishing a key file's keys: the first once, with now() as its start; after a rotation the new one with its
    // handover as start, the predecessor closed there; the onNewOwn hook (the rotation's record) once per new key.
    const k = (id: string, validFrom: Date | null, validTo: Date | null) => ({
      keyId: id,
      algorithm: 'ed25519',
      publicKey: `p-${id}`,
      validFrom,
      validTo,
    });
    const handover = new Date(Date.now() + 60_000);
    const news: string[] = [];
    const hook = (id: string) => async () => {
      news.push(id);
    };
    await trail.recordPublicKeys([k('k1', null, null)], hook('k1'));
    await trail.recordPublicKeys([k('k1', null, null)], hook('k1 again'));
    await trail.recordPublicKeys([k('k2', handover, null), k('k1', null, handover)], hook('k2'));
    await trail.recordPublicKeys([k('k2', handover, null), k('k1', null, handover)], hook('k2 again'));
    expect(news).toEqual(['k1', 'k2']);
    const keys = await trail.publicKeys();
    expect(keys.map((r) => [r.keyId, r.validTo?.toISOString() ?? null])).toEqual([
      ['k1', handover.toISOString()],
      ['k2', null],
    ]);
    expect(keys[1].validFrom.toISOString()).toBe(handover.toISOString());
    // The application's role may set a key's end and nothing else; the table's trigger holds even for the owner.
    const rewrite = `UPDATE audit_public_keys SET public_key = 'p3' WHERE key_id = 'k1'`;
    await expect(db.query(rewrite)).rejects.toThrow(/permission denied/);
    await expect(db.query(`DELETE FROM audit_public_keys`)).rejects.toThrow(/permission denied/);
    await expect(owner.query(rewrite)).rejects.toThrow(/only records the end/);
    await expect(owner.query(`DELETE FROM audit_public_keys`)).rejects.toThrow(/only records the end/);
    expect(await trail.verify()).toMatchObject({ valid: true, records: 3, headHash: hashes[2] });
  });
});
