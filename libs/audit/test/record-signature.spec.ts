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
const row = (k: { algorithm: string; publicKey: string }, validFrom: string, validTo: string | null = null) => ({
  keyId: keyIdOf(k.publicKey),
  algorithm: k.algorithm,
  publicKey: k.publicKey,
  validFrom: new Date(validFrom),
  validTo: validTo ? new Date(validTo) : null,
});

describe('record signatures', () => {
  const own = generateSigningKey('ed25519');
  const former = generateSigningKey('ed25519');
  const later = generateSigningKey('ed25519');
  const recorded = [
    row(former, '2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z'),
    row(own, '2026-06-01T00:00:00Z'),
    // Added after the key file's key was recorded (as the application's role can): never trusted.
    row(later, '2026-07-01T00:00:00Z', '2026-07-02T00:00:00Z'),
  ];
  const auth = new RecordAuthenticator(trustedRecordKeys(own, recorded));
  const at = (iso: string) => Date.parse(iso);

  it('accepts the key file key and its predecessor within their time', () => {
    const s = signRecord(own, hash);
    expect(auth.check(hash, at('2026-08-01T00:00:00Z'), s.keyId, s.signature)).toBeUndefined();
    const f = signRecord(former, hash);
    expect(auth.check(hash, at('2026-05-31T00:00:00Z'), f.keyId, f.signature)).toBeUndefined();
  });

  it('calls unsigned what has no signature, and forged the rest', () => {
    expect(auth.check(hash, at('2026-08-01T00:00:00Z'), null, null)).toBe('unsigned');
    const s = signRecord(own, hash);
    expect(auth.check('cd'.repeat(32), at('2026-08-01T00:00:00Z'), s.keyId, s.signature)).toBe('forged');
    const f = signRecord(former, hash);
    expect(auth.check(hash, at('2026-06-01T00:00:00Z') + KEY_VALIDITY_TOLERANCE_MS, f.keyId, f.signature)).toBe(
      'forged',
    );
    const l = signRecord(later, hash);
    expect(auth.check(hash, at('2026-07-01T12:00:00Z'), l.keyId, l.signature)).toBe('forged');
    // Another key's signature under the key file key's id.
    expect(auth.check(hash, at('2026-08-01T00:00:00Z'), s.keyId, l.signature)).toBe('forged');
  });

  it('counts problems by kind from their first seq', () => {
    const a = new RecordAuthenticator(trustedRecordKeys(own, recorded));
    const s = signRecord(own, hash);
    a.note(5, hash, at('2026-08-01T00:00:00Z'), s.keyId, s.signature);
    a.note(6, hash, at('2026-08-01T00:00:00Z'), null, null);
    a.note(7, hash, at('2026-08-01T00:00:00Z'), s.keyId, s.signature, false);
    a.note(8, hash, at('2026-08-01T00:00:00Z'), null, null);
    expect(a.problems).toEqual({
      unsigned: { firstSeq: 6, count: 2, seqs: [6, 8] },
      forged: { firstSeq: 7, count: 1, seqs: [7] },
    });
    expect(a.first()).toEqual({ problem: 'unsigned', firstSeq: 6, count: 2 });
  });

  it('lists the first PROBLEM_SEQS_LISTED seqs of a kind, and counts them all', () => {
    const a = new RecordAuthenticator([]);
    for (let seq = 1; seq <= PROBLEM_SEQS_LISTED + 5; seq++) a.note(seq, hash, 0, null, null);
    expect(a.problems.unsigned).toMatchObject({ firstSeq: 1, count: PROBLEM_SEQS_LISTED + 5 });
    expect(a.problems.unsigned!.seqs).toHaveLength(PROBLEM_SEQS_LISTED);
  });

  it('sets an acknowledged record apart: only with its hash, and only by an acknowledgement after it', () => {
    const a = new RecordAuthenticator(trustedRecordKeys(own, recorded));
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
    expect(acknowledgedRecordsOf(null)).toBeUndefined();
  });

  it('signs with SM2 under the 国密 suite', () => {
    const gm = generateSigningKey('sm2');
    const a = new RecordAuthenticator(trustedRecordKeys(gm, [row(gm, '2026-01-01T00:00:00Z')]));
    const s = signRecord(gm, hash);
    expect(a.check(hash, at('2026-02-01T00:00:00Z'), s.keyId, s.signature)).toBeUndefined();
  });
});
