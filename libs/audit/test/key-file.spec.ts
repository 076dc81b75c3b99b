import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  generateSigningKey,
  keyIdOf,
  loadOrCreateKeyFile,
  loadSigningKey,
  parseKey,
  RecordAuthenticator,
  rotateKeyFile,
  signRecord,
  trustedRecordKeys,
  writeKeyFile,
} from '../src';

// The key file says which keys sign the trail (docs/architecture.md, "Which keys are trusted"): its own, and the
// predecessors each rotation hands over from, each handover signed by the key before.

describe('the key file and its rotation', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyfile-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('makes a key with the signing horizon written in, 0600', () => {
    const file = path.join(dir, 'k.json');
    const key = loadOrCreateKeyFile(file, 'ed25519', { signedFrom: 42 });
    expect(key.signedFrom).toBe(42);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // Made once: the same key the next time, whatever init says.
    expect(loadOrCreateKeyFile(file, 'ed25519', { signedFrom: 7 })).toEqual(key);
  });

  it('rotates: the old key signs the handover, joins the predecessors, and is trusted until then', () => {
    const file = path.join(dir, 'k.json');
    const first = loadOrCreateKeyFile(file, 'ed25519', { signedFrom: 1 });
    const t1 = new Date('2026-06-01T00:00:00Z');
    const second = rotateKeyFile(file, 'ed25519', t1);
    const t2 = new Date('2026-09-01T00:00:00Z');
    // To the 国密 suite at the second rotation: a predecessor keeps its own algorithm.
    const third = rotateKeyFile(file, 'sm2', t2);
    expect(parseKey(file)).toEqual(third);
    expect(third).toMatchObject({ algorithm: 'sm2', validFrom: t2.toISOString(), signedFrom: 1 });
    expect(third.predecessors!.map((p) => [keyIdOf(p.publicKey), p.validFrom, p.validTo])).toEqual([
      [keyIdOf(first.publicKey), undefined, t1.toISOString()],
      [keyIdOf(second.publicKey), t1.toISOString(), t2.toISOString()],
    ]);
    expect(JSON.stringify(third)).not.toContain(first.privateKey.slice(40, 80));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const auth = new RecordAuthenticator(trustedRecordKeys(third));
    const hash = 'ab'.repeat(32);
    const s1 = signRecord(first, hash);
    const s2 = signRecord(second, hash);
    const s3 = signRecord(third, hash);
    expect(auth.check(1, hash, Date.parse('2026-05-01T00:00:00Z'), s1.keyId, s1.signature)).toBeUndefined();
    expect(auth.check(2, hash, Date.parse('2026-07-01T00:00:00Z'), s1.keyId, s1.signature)).toBe('forged');
    expect(auth.check(3, hash, Date.parse('2026-07-01T00:00:00Z'), s2.keyId, s2.signature)).toBeUndefined();
    expect(auth.check(4, hash, Date.parse('2026-10-01T00:00:00Z'), s2.keyId, s2.signature)).toBe('forged');
    expect(auth.check(5, hash, Date.parse('2026-10-01T00:00:00Z'), s3.keyId, s3.signature)).toBeUndefined();
  });

  it('refuses a key file whose predecessors were edited in', () => {
    const file = path.join(dir, 'k.json');
    loadOrCreateKeyFile(file, 'ed25519');
    const rotated = rotateKeyFile(file, 'ed25519', new Date('2026-06-01T00:00:00Z'));
    const planted = generateSigningKey('ed25519');
    const cases: [string, object][] = [
      // A key put in as a predecessor with a handover it did not sign.
      [
        'is not signed by it',
        {
          ...rotated,
          predecessors: [{ ...rotated.predecessors![0], algorithm: 'ed25519', publicKey: planted.publicKey }],
        },
      ],
      // The old key's time stretched.
      [
        'is not signed by it',
        {
          ...rotated,
          validFrom: '2026-07-01T00:00:00.000Z',
          predecessors: [{ ...rotated.predecessors![0], validTo: '2026-07-01T00:00:00.000Z' }],
        },
      ],
      ["the next key's validFrom", { ...rotated, validFrom: '2026-05-01T00:00:00.000Z' }],
      ['signedFrom', { ...rotated, signedFrom: 0 }],
    ];
    for (const [problem, key] of cases) {
      fs.writeFileSync(file, JSON.stringify(key));
      expect(() => parseKey(file)).toThrow(problem);
    }
  });

  it('reads the file again when it changes (a rotation while the processes run)', () => {
    const file = path.join(dir, 'k.json');
    const first = loadOrCreateKeyFile(file, 'ed25519');
    expect(loadSigningKey(file, 'ed25519').publicKey).toBe(first.publicKey);
    const second = rotateKeyFile(file, 'ed25519');
    expect(loadSigningKey(file, 'ed25519').publicKey).toBe(second.publicKey);
    writeKeyFile(file, generateSigningKey('sm2'));
    expect(() => loadSigningKey(file, 'ed25519')).toThrow(/holds no ed25519 signing key/);
  });
});
