import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSigningKey, keyIdOf, rotateKeyFile } from '@bianzhi/audit';
import {
  checkManifestSignature,
  restoreWorkName,
  signManifest,
  trustedBackupKeys,
  type BackupManifest,
} from '../src/backup';

// The backup's signed manifest and the names of a restore's own databases (docs/architecture.md, "Backups").

const manifest = (): BackupManifest => ({
  format: 'bianzhi-backup/2',
  takenAt: '2026-11-20T08:00:00.000Z',
  database: 'bianzhi',
  serverVersion: '18.0',
  migrations: ['Initial1700000000000'],
  tables: [{ name: 'units', columns: ['id', 'name'], rows: 3, file: 'units.copy', sha256: 'ab'.repeat(32) }],
});

describe.each(['ed25519', 'sm2'] as const)('a manifest signed with %s', (algorithm) => {
  const key = generateSigningKey(algorithm);
  const signed = () => {
    const m = manifest();
    m.signature = signManifest(m, key);
    return m;
  };

  it('verifies with its key, whatever the order of the fields', () => {
    const m = signed();
    expect(m.signature).toMatchObject({ algorithm, keyId: keyIdOf(key.publicKey) });
    expect(checkManifestSignature(m, [key.publicKey])).toBe('signed');
    // The fields in another order (as a tool that rewrites the JSON might leave them): the same canonical text.
    const { signature, tables, ...rest } = m;
    const reordered = JSON.parse(JSON.stringify({ signature, tables, ...rest })) as BackupManifest;
    expect(checkManifestSignature(reordered, [generateSigningKey('ed25519').publicKey, key.publicKey])).toBe('signed');
  });

  it("refuses a file's SHA-256 or row count changed, another key, no key", () => {
    const m = signed();
    m.tables[0].sha256 = 'cd'.repeat(32);
    expect(() => checkManifestSignature(m, [key.publicKey])).toThrow(/does not verify .* changed after/);
    const n = signed();
    n.tables[0].rows = 4;
    expect(() => checkManifestSignature(n, [key.publicKey], true)).toThrow(/does not verify/);
    const other = generateSigningKey(algorithm);
    expect(() => checkManifestSignature(signed(), [other.publicKey])).toThrow(
      new RegExp(
        `signed by key ${keyIdOf(key.publicKey)}, which is not a trusted key \\(${keyIdOf(other.publicKey)}\\)`,
      ),
    );
    expect(() => checkManifestSignature(signed(), [])).toThrow(/no trusted public key was given/);
  });
});

it('takes an unsigned manifest only when told to', () => {
  expect(() => checkManifestSignature(manifest(), [])).toThrow(/not signed.*--unsigned/);
  expect(checkManifestSignature(manifest(), [], true)).toBe('unsigned');
});

it("trusts the key file's own public key, and after a rotation the key before it too", () => {
  const key = generateSigningKey('ed25519');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'backup-key-')), 'audit-signing.key');
  fs.writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  expect(trustedBackupKeys(file)).toEqual([key.publicKey]);
  // A backup signed before the rotation is still restored with the rotated file.
  const before = signManifest(manifest(), key);
  const rotated = rotateKeyFile(file, 'ed25519');
  expect(trustedBackupKeys(file)).toEqual([rotated.publicKey, key.publicKey]);
  expect(checkManifestSignature({ ...manifest(), signature: before }, trustedBackupKeys(file))).toBe('signed');
});

it("names a restore's own databases after the target, within PostgreSQL's 63 bytes", () => {
  expect(restoreWorkName('bianzhi', 'restoring')).toBe('bianzhi__restoring');
  expect(restoreWorkName('temporal_visibility', 'replaced')).toBe('temporal_visibility__replaced');
  const long = 'x'.repeat(60);
  const a = restoreWorkName(long, 'restoring');
  expect(Buffer.byteLength(a)).toBeLessThanOrEqual(63);
  expect(a).toMatch(/^x+_[0-9a-f]{8}__restoring$/);
  expect(restoreWorkName(`${long}y`, 'restoring')).not.toBe(a);
  expect(restoreWorkName(long, 'restoring')).toBe(a);
});
