import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyIdOf, parseKey, rotateKeyFile, SignatureAlgorithm } from '@bianzhi/audit';
import { ROOT } from './root';

// `npm run audit:rotate-key`: a new signing key for the audit trail (docs/architecture.md, "Which keys are
// trusted"). The key in AUDIT_SIGNING_KEY_FILE (by default DATA_DIR/audit-signing.key, as npm start keeps it) signs
// its handover to a new one and becomes a predecessor, trusted for what it signed until now; the file is replaced
// whole. The running API and workers read the file again at their next record or checkpoint, publish the new key and
// write the rotation on the trail. The new key has the old one's algorithm; `--algorithm sm2` (or ed25519) changes
// it, for a move to SM2 (国密): stop the API and the workers first and start them with AUDIT_CRYPTO to match, since
// they sign only with a key of the configured suite.

function main(): void {
  const dataDir = process.env.DATA_DIR ?? path.join(ROOT, '.data');
  const file = process.env.AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, 'audit-signing.key');
  if (!fs.existsSync(file)) {
    console.error(`${file} does not exist: there is no key to rotate (the first start makes one)`);
    process.exit(2);
  }
  const i = process.argv.indexOf('--algorithm');
  const algorithm = i > 0 ? process.argv[i + 1] : undefined;
  if (algorithm !== undefined && algorithm !== 'ed25519' && algorithm !== 'sm2') {
    console.error('--algorithm is ed25519 or sm2');
    process.exit(2);
  }
  const old = parseKey(file);
  const rotated = rotateKeyFile(file, algorithm as SignatureAlgorithm | undefined);
  if (rotated.algorithm !== old.algorithm)
    console.log(
      `The algorithm changed (${old.algorithm} → ${rotated.algorithm}): start the API and the workers with ` +
        `AUDIT_CRYPTO=${rotated.algorithm === 'sm2' ? 'gm' : 'standard'}.`,
    );
  console.log(
    [
      `rotated ${file}`,
      `  from ${keyIdOf(old.publicKey)} (${old.algorithm}), in force until ${rotated.validFrom}`,
      `  to   ${keyIdOf(rotated.publicKey)} (${rotated.algorithm})`,
      '',
      "The new public key (pin it in each witness's WITNESS_LOG_PUBLIC_KEY_FILE and for verify-dossier --public-key):",
      rotated.publicKey.trim(),
      '',
      'Back the new file up apart from the database; the old private key is gone from it.',
    ].join('\n'),
  );
}

main();
