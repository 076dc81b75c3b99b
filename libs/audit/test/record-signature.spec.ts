import {
  acknowledgedRecordsOf,
  generateSigningKey,
  keyIdOf,
  RecordAuthenticator,
  signRecord,
  trustedRecordKeys,
  KEY_VALIDITY_TOLERANCE_MS,
  PROBLEM_SEQS_LISTED,
} from '../src';

// Records signed by the application (docs/architecture.md, "Records signed by the application").

const hash = 'ab'.repeat(32);

describe('record signatures', () => {
  const former = generateSigningKey('ed25519');
  // The key file's key, which names its predecessor (as a rotation writes it); nothing else is trusted.
  const own = {
    ...generateSigningKey('ed25519'),
    validFrom: '2026-06-01T00:00:00.000Z',
    predecessors: [{ algorithm: former.algorithm, publicKey: former.publicKey, validTo: '2026-06-01T00:00:00.000Z' }],
  };
  const later = generateSigningKey('ed25519');
  const auth = new RecordAuthenticator(trustedRecordKeys(own));
  const at = (iso: string) => Date.parse(iso);

  it('accepts the key file key and its predecessor within their time', () => {
    const s = signRecord(own, hash);
    expect(auth.check(10, hash, at('2026-08-01T00:00:00Z'), s.keyId, s.signature)).toBeUndefined();
    const f = signRecord(former, hash);
    expect(auth.check(5, hash, at('2026-05-31T00:00:00Z'), f.keyId, f.signature)).toBeUndefined();
  });

  it("takes a retired key's signature only before its successor's first record, whatever the record's time", () => {
    const a = new RecordAuthenticator(trustedRecordKeys(own));
    const s = signRecord(own, hash);
    const f = signRecord(former, hash);
    const may = at('2026-05-31T00:00:00Z');
    expect(a.check(3, hash, may, f.keyId, f.signature)).toBeUndefined();
    expect(a.check(4, hash, at('2026-08-01T00:00:00Z'), s.keyId, s.signature)).toBeUndefined();
    // A leaked copy of the retired key, its record dated in its time but appended after: forged.
    expect(a.check(5, hash, may, f.keyId, f.signature)).toBe('forged');
    // A rotation record bounds it before any record of the successor is read.
    const b = new RecordAuthenticator(trustedRecordKeys(own));
    b.handover(keyIdOf(own.publicKey), 7);
    expect(b.check(6, hash, may, f.keyId, f.signature)).toBeUndefined();
    expect(b.check(8, hash, may, f.keyId, f.signature)).toBe('forged');
    expect(b.trusted.find((k) => k.keyId === keyIdOf(former.publicKey))?.lastSeq).toBe(6);
  });

  it('calls unsigned what has no signature, and forged the rest', () => {
    expect(auth.check(20, hash, at('2026-08-01T00:00:00Z'), null, null)).toBe('unsigned');
    const s = signRecord(own, hash);
    expect(auth.check(20, 'cd'.repeat(32), at('2026-08-01T00:00:00Z'), s.keyId, s.signature)).toBe('forged');
    const f = signRecord(former, hash);
    expect(auth.check(5, hash, at('2026-06-01T00:00:00Z') + KEY_VALIDITY_TOLERANCE_MS, f.keyId, f.signature)).toBe(
      'forged',
    );
    // A key the file does not name (whatever the database says of it): never trusted.
    const l = signRecord(later, hash);
    expect(auth.check(20, hash, at('2026-07-01T12:00:00Z'), l.keyId, l.signature)).toBe('forged');
    // The key file's key before its handover.
    expect(auth.check(20, hash, at('2026-05-01T00:00:00Z'), s.keyId, s.signature)).toBe('forged');
    // Another key's signature under the key file key's id.
    expect(auth.check(20, hash, at('2026-08-01T00:00:00Z'), s.keyId, l.signature)).toBe('forged');
  });

  it('counts problems by kind from their first seq', () => {
    const a = new RecordAuthenticator(trustedRecordKeys(own));
    const s = signRecord(own, hash);
    const t = at('2026-08-01T00:00:00Z');
    a.note(5, hash, t, s.keyId, s.signature);
    a.note(6, hash, t, null, null);
    a.note(7, hash, t, s.keyId, s.signature, false);
    a.note(8, hash, t, null, null);
    a.note(9, 'cd'.repeat(32), t, s.keyId, s.signature);
    expect(a.problems).toEqual({
      unsigned: { firstSeq: 6, count: 2, seqs: [6, 8] },
      altered: { firstSeq: 7, count: 1, seqs: [7] },
      forged: { firstSeq: 9, count: 1, seqs: [9] },
    });
    expect(a.first()).toEqual({ problem: 'unsigned', firstSeq: 6, count: 2 });
  });

  it('calls altered a problem under the last checkpoint signed, unless acknowledged then', () => {
    const a = new RecordAuthenticator(trustedRecordKeys(own), 10);
    a.acknowledge(8, [{ seq: 4, hash, problem: 'unsigned' }]);
    const t = at('2026-08-01T00:00:00Z');
    expect(a.note(3, hash, t, null, null)).toBe('altered');
    expect(a.note(4, hash, t, null, null)).toBe('acknowledged');
    // An acknowledged record whose body changed since: altered, not acknowledged.
    expect(a.note(4, hash, t, null, null, false)).toBe('altered');
    expect(a.note(11, hash, t, null, null)).toBe('unsigned');
    // After the checkpoint, a record whose body no longer gives its hash, acknowledged as altered: still listed.
    a.acknowledge(20, [{ seq: 12, hash, problem: 'altered' }]);
    expect(a.note(12, hash, t, null, null, false)).toBe('acknowledged');
    expect(a.acknowledged.at(-1)).toEqual({ seq: 12, hash, problem: 'altered', acknowledgedBy: 20 });
  });

  it('lists the first PROBLEM_SEQS_LISTED seqs of a kind, and counts them all', () => {
    const a = new RecordAuthenticator([]);
    for (let seq = 1; seq <= PROBLEM_SEQS_LISTED + 5; seq++) a.note(seq, hash, 0, null, null);
    expect(a.problems.unsigned).toMatchObject({ firstSeq: 1, count: PROBLEM_SEQS_LISTED + 5 });
    expect(a.problems.unsigned!.seqs).toHaveLength(PROBLEM_SEQS_LISTED);
  });

  it('sets an acknowledged record apart: only with its hash, and only by an acknowledgement after it', () => {
    const a = new RecordAuthenticator(trustedRecordKeys(own));
    a.acknowledge(10, [
      { seq: 6, hash, problem: 'unsigned' },
      { seq: 7, hash: 'cd'.repeat(32), problem: 'forged' },
      { seq: 12, hash, problem: 'unsigned' },
    ]);
    const t = at('2026-08-01T00:00:00Z');
    expect(a.note(6, hash, t, null, null)).toBe('acknowledged');
    // Another record than the one acknowledged under that seq (its hash differs).
    expect(a.note(7, hash, t, null, null)).toBe('unsigned');
    // Named by an acknowledgement before it: not acknowledged.
    expect(a.note(12, hash, t, null, null)).toBe('unsigned');
    const s = signRecord(own, hash);
    expect(a.note(13, hash, t, s.keyId, s.signature)).toBeUndefined();
    expect(a.acknowledged).toEqual([{ seq: 6, hash, problem: 'unsigned', acknowledgedBy: 10 }]);
    expect(a.problems).toEqual({ unsigned: { firstSeq: 7, count: 2, seqs: [7, 12] } });
  });

  it("reads an acknowledgement's records, or nothing from another shape", () => {
    const records = [{ seq: 3, hash, problem: 'forged' }];
    expect(acknowledgedRecordsOf({ records })).toEqual(records);
    expect(acknowledgedRecordsOf({ records: [{ seq: '3', hash, problem: 'forged' }] })).toBeUndefined();
    expect(acknowledgedRecordsOf({ records: [{ seq: 3, hash, problem: 'fine' }] })).toBeUndefined();
    expect(acknowledgedRecordsOf({ records: [{ seq: 3, hash, problem: 'altered' }] })).toHaveLength(1);
    expect(acknowledgedRecordsOf(null)).toBeUndefined();
  });

  it('signs with SM2 under the 国密 suite', () => {
    const gm = generateSigningKey('sm2');
    const a = new RecordAuthenticator(trustedRecordKeys(gm));
    const s = signRecord(gm, hash);
    expect(a.check(1, hash, at('2026-02-01T00:00:00Z'), s.keyId, s.signature)).toBeUndefined();
  });
});
