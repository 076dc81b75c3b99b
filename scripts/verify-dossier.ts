import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { DocumentFacts, renderDocument } from '@bianzhi/documents';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import {
  auditHash,
  AuditContent,
  Checkpoint,
  contentOf,
  keyIdOf,
  leafHash,
  pinnedKeysOf,
  RecordAuthenticator,
  verifyCheckpointSignature,
  verifyInclusion,
} from '@bianzhi/audit';
import { WORKFLOW_BUNDLE_PATH, WORKFLOWS_PATH, workflowsWebpackHook } from '@bianzhi/workflows/bundle';
import { DEFAULT_OFFICE_DECIDED_TYPES, RequestType, requestFromTrail, requestView } from '@bianzhi/domain';

// The offline verifier of an auditor's dossier (GET /v1/change-requests/:id/dossier):
//   npm run verify-dossier -- dossier.json --public-key key.txt [--font-dir DIR ...]
// It needs no server: it recomputes every audit record's hash, checks each one's inclusion proof against
// the dossier's signed checkpoint, checks the checkpoint's signature and each record's against the keys given
// (which the auditor keeps from /v1/audit/public-key: a key taken from the dossier itself proves nothing, so one is
// required; a file may hold several, a rotation's),
// rebuilds the request from the verified records and compares every field the dossier shows of it, renders the
// documents again, and replays the workflow history against this repository's workflow code. Exit 0 when
// everything holds, 1 with the reasons otherwise.

interface DossierRecord extends AuditContent {
  prevHash: string;
  hash: string;
  hashAlg: 'sha256' | 'sm3';
  signatureKeyId?: string | null;
  signature?: string | null;
}

/** The keys of the --public-key file: PEM blocks (Ed25519) and lines of hex (SM2); else its whole text, as one. */
function trustedKeysOf(text: string): string[] {
  const keys = pinnedKeysOf(text);
  return keys.length ? keys : [text];
}

export async function verifyDossier(
  text: string,
  trustedKey?: string,
  fontDirs: string[] = [],
): Promise<{ ok: boolean; checks: string[]; problems: string[] }> {
  const checks: string[] = [];
  const problems: string[] = [];
  let d: {
    format: string;
    request: Record<string, unknown> & { id: string };
    officeDecidedTypes?: RequestType[];
    auditRecords: DossierRecord[];
    /** The first seq the trail signs (records before it are covered by their checkpoint only). */
    recordsSignedFrom?: number;
    checkpoint: Checkpoint;
    inclusionProofs: Record<string, string[]>;
    workflow: { workflowId: string; history: unknown };
    documents?: DossierDocument[];
  };
  try {
    d = JSON.parse(text);
  } catch (err) {
    return { ok: false, checks, problems: [`not valid JSON: ${(err as Error).message}`] };
  }
  if (d.format !== 'bianzhi-dossier/1') problems.push(`unknown format ${d.format}`);
  const cp = d.checkpoint;
  if (!trustedKey)
    problems.push('no trusted key: pass --public-key (the key inside the dossier proves nothing on its own)');
  else if (!trustedKeysOf(trustedKey).some((k) => verifyCheckpointSignature(cp, k)))
    problems.push('the checkpoint signature does not verify with the trusted key');
  else checks.push(`checkpoint signed (${cp.signatureAlgorithm}) over ${cp.treeSize} records, with the trusted key`);
  const root = Buffer.from(cp?.rootHash ?? '', 'hex');
  for (const r of d.auditRecords ?? []) {
    if (auditHash(contentOf(r), r.prevHash, r.hashAlg) !== r.hash)
      problems.push(`record ${r.seq}: its hash does not match its content`);
    const proof = (d.inclusionProofs?.[String(r.seq)] ?? []).map((h) => Buffer.from(h, 'hex'));
    if (
      !verifyInclusion(
        cp.hashAlgorithm,
        Number(r.seq) - 1,
        cp.treeSize,
        leafHash(cp.hashAlgorithm, Buffer.from(r.hash, 'hex')),
        proof,
        root,
      )
    )
      problems.push(`record ${r.seq}: not proven to be in the signed trail`);
    if (r.requestId !== d.request?.id) problems.push(`record ${r.seq} belongs to another request`);
  }
  if (!problems.length)
    checks.push(`${d.auditRecords.length} audit records: hashes recomputed, each proven in the signed trail`);
  if (trustedKey) checkRecordSignatures(d.auditRecords ?? [], d.recordsSignedFrom ?? 1, trustedKey, checks, problems);
  checkRequest(d, checks, problems);
  await checkDocuments(d.auditRecords ?? [], d.documents ?? [], checks, problems, fontDirs);
  try {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* already installed */
  }
  try {
    const history = historyFromJSON(d.workflow.history);
    const source = fs.existsSync(WORKFLOW_BUNDLE_PATH)
      ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook: workflowsWebpackHook } };
    await Worker.runReplayHistory({ ...source, replayName: 'dossier' }, history, d.workflow.workflowId);
    checks.push(`workflow history (${history.events?.length} events) replays deterministically against this code`);
  } catch (err) {
    problems.push(`the workflow history does not replay: ${(err as Error).message}`);
  }
  return { ok: problems.length === 0, checks, problems };
}

/**
 * Each record's signature (docs/architecture.md, "Records signed by the application"), with the trusted keys: a
 * record appended by whoever held only the database is in the signed checkpoint too, but not signed by the
 * application. Records before the signing horizon carry none; the dossier states the horizon, which the database
 * holds (a record past it proves itself, one before it rests on its checkpoint).
 */
function checkRecordSignatures(
  records: DossierRecord[],
  signedFrom: number,
  trustedKey: string,
  checks: string[],
  problems: string[],
): void {
  const auth = new RecordAuthenticator(
    trustedKeysOf(trustedKey).map((publicKey) => ({
      keyId: keyIdOf(publicKey),
      algorithm: publicKey.includes('BEGIN PUBLIC KEY') ? 'ed25519' : 'sm2',
      publicKey,
      validFrom: null,
      validTo: null,
      // Pinned keys have no order here: none bounds another.
      rank: 0,
    })),
  );
  let before = 0;
  let signed = 0;
  for (const r of records) {
    if (Number(r.seq) < signedFrom && !r.signature) {
      before += 1;
      continue;
    }
    const problem = auth.check(Number(r.seq), r.hash, Date.parse(r.at), r.signatureKeyId ?? null, r.signature ?? null);
    if (problem === 'unsigned') problems.push(`record ${r.seq}: not signed by the application`);
    else if (problem) problems.push(`record ${r.seq}: its signature is not the application's (trusted keys)`);
    else signed += 1;
  }
  if (signed) checks.push(`${signed} audit records signed by the application, with a trusted key`);
  if (before) checks.push(`${before} audit records from before records were signed (seq < ${signedFrom})`);
}

/**
 * The request section, field by field, against the request rebuilt from the verified records alone (the same
 * function the API built it with): a number, a count or a name edited in the section is named, with both values.
 */
function checkRequest(
  d: {
    request: Record<string, unknown> & { id: string };
    auditRecords: DossierRecord[];
    officeDecidedTypes?: RequestType[];
  },
  checks: string[],
  problems: string[],
): void {
  const rebuilt = requestFromTrail(d.request?.id, d.auditRecords ?? []);
  if (!rebuilt) {
    problems.push('the audit records do not begin with the request being created');
    return;
  }
  const expected = JSON.parse(
    JSON.stringify(
      requestView(rebuilt, {
        seesBallots: true,
        officeDecidedTypes: d.officeDecidedTypes ?? DEFAULT_OFFICE_DECIDED_TYPES,
      }),
    ),
  ) as Record<string, unknown>;
  const differences: string[] = [];
  const compare = (path: string, shown: unknown, proven: unknown) => {
    if (JSON.stringify(shown) === JSON.stringify(proven)) return;
    if (shown && proven && typeof shown === 'object' && typeof proven === 'object') {
      const keys = new Set([...Object.keys(shown), ...Object.keys(proven)]);
      for (const k of keys)
        compare(
          Array.isArray(shown) ? `${path}[${k}]` : `${path}.${k}`,
          (shown as Record<string, unknown>)[k],
          (proven as Record<string, unknown>)[k],
        );
      return;
    }
    differences.push(`${path}: the dossier says ${JSON.stringify(shown)}, its audit records ${JSON.stringify(proven)}`);
  };
  compare('request', d.request, expected);
  if (differences.length) for (const x of differences.slice(0, 50)) problems.push(x);
  else checks.push(`the request (${Object.keys(expected).length} fields) is what its audit records rebuild`);
}

/** A document in the dossier: its PDF as base64. */
interface DossierDocument {
  id: string;
  documentNumber: string | null;
  sha256: string;
  pdf: string;
}

/** What a record of an issued document carries (docs/domain.md, "Official documents"). */
interface RecordedDocument {
  id: string;
  documentNumber: string | null;
  sha256: string;
  fonts: string | null;
  facts: DocumentFacts;
}

/**
 * Each official document: rendered again from the facts its (verified) audit record holds, the bytes compared with
 * the SHA-256 the record holds, and the PDF in the dossier hashed and compared with it too.
 */
async function checkDocuments(
  records: DossierRecord[],
  documents: DossierDocument[],
  checks: string[],
  problems: string[],
  fontDirs: string[],
): Promise<void> {
  const recorded = new Map<string, RecordedDocument>();
  for (const r of records) {
    const doc = (r.after as { document?: RecordedDocument } | null)?.document;
    if (doc?.facts && doc.sha256) recorded.set(doc.id, doc);
  }
  for (const doc of recorded.values()) {
    const name = doc.documentNumber ?? doc.id;
    try {
      const again = await renderDocument(doc.facts, { fontDirs });
      if (again.sha256 === doc.sha256) checks.push(`document ${name}: rendered again from the trail, the same bytes`);
      else if (doc.fonts && again.fonts !== doc.fonts)
        problems.push(`document ${name}: rendered here with other fonts than the office's; cannot compare`);
      else problems.push(`document ${name}: rendered again from the trail, it differs from the SHA-256 recorded`);
    } catch (err) {
      problems.push(`document ${name}: could not be rendered again: ${(err as Error).message}`);
    }
  }
  for (const doc of documents) {
    const name = doc.documentNumber ?? doc.id;
    const expected = recorded.get(doc.id)?.sha256;
    const actual = createHash('sha256')
      .update(Buffer.from(doc.pdf ?? '', 'base64'))
      .digest('hex');
    if (!expected) problems.push(`document ${name}: no audit record issued it`);
    else if (actual !== expected) problems.push(`document ${name}: its PDF is not the one the trail recorded`);
    else checks.push(`document ${name}: its PDF is the one the trail recorded (sha256 ${actual.slice(0, 16)}…)`);
  }
}

if (require.main === module) {
  // --public-key FILE pins the checkpoint's key; --font-dir DIR (repeatable) renders the documents with the office's
  // fonts, as its worker did (DOCUMENT_FONT_DIRS).
  const args = process.argv.slice(2);
  let file: string | undefined;
  let keyFile: string | undefined;
  const fontDirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--public-key') keyFile = args[++i];
    else if (args[i] === '--font-dir') fontDirs.push(args[++i]);
    else if (!args[i].startsWith('--')) file = args[i];
  }
  if (!file || !keyFile) {
    console.error(
      'usage: npm run verify-dossier -- DOSSIER.json --public-key FILE [--font-dir DIR ...]\n' +
        "  FILE: the log's public key as you keep it (GET /v1/audit/public-key), not one taken from the dossier",
    );
    process.exit(2);
  }
  const key = keyFile ? fs.readFileSync(keyFile, 'utf8') : undefined;
  verifyDossier(fs.readFileSync(file, 'utf8'), key?.trim() ? key : undefined, fontDirs).then(
    ({ ok, checks, problems }) => {
      for (const c of checks) console.log(`ok    ${c}`);
      for (const p of problems) console.log(`FAIL  ${p}`);
      console.log(ok ? 'the dossier is intact' : 'the dossier does NOT verify');
      process.exit(ok ? 0 : 1);
    },
  );
}
