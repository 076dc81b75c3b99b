import { EntityManager } from 'typeorm';
import type { Checkpoint, Cosignature, HashAlgorithm, SignatureAlgorithm } from '@bianzhi/audit';

// The signed checkpoints of the audit trail and the witnesses' acceptance of each (docs/architecture.md,
// "Checkpoints and witnesses"): both tables append-only, as the trail is.

/** Serialises the making of checkpoints: two workers (or a worker and the API) sign one per tree size. */
const CHECKPOINT_LOCK = 7303;

/** One witness's acceptance of a checkpoint: an HTTP witness's co-signature, or none (the witness directory). */
export interface WitnessRecord {
  witness: string;
  witnessedAt: Date;
  cosignature: Cosignature | null;
}

export interface StoredCheckpoint extends Checkpoint {
  keyId: string;
  signedAt: string;
  witnesses: WitnessRecord[];
}

interface Row {
  tree_size: string;
  head_hash: string;
  root_hash: string;
  hash_alg: HashAlgorithm;
  signature_alg: SignatureAlgorithm;
  key_id: string;
  public_key: string;
  signed_at: Date;
  signature: string;
  witnesses?: { witness: string; witnessedAt: string; cosignature: Cosignature | null }[];
}

const COLUMNS = 'tree_size, head_hash, root_hash, hash_alg, signature_alg, key_id, public_key, signed_at, signature';

function checkpointOf(r: Row): Checkpoint & { keyId: string } {
  return {
    treeSize: Number(r.tree_size),
    headSeq: Number(r.tree_size),
    headHash: r.head_hash,
    rootHash: r.root_hash,
    hashAlgorithm: r.hash_alg,
    signatureAlgorithm: r.signature_alg,
    publicKey: r.public_key,
    issuedAt: r.signed_at.toISOString(),
    signature: r.signature,
    keyId: r.key_id,
  };
}

export class AuditCheckpointsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in a transaction holding the checkpoint lock, with this repository bound to it. */
  locked<T>(work: (repo: AuditCheckpointsRepository, em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
      return work(new AuditCheckpointsRepository(em), em);
    });
  }

  async latest(): Promise<(Checkpoint & { keyId: string }) | undefined> {
    const rows: Row[] = await this.em.query(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1`);
    return rows[0] && checkpointOf(rows[0]);
  }

  /** Stored checkpoints of at most `treeSize` records, newest first, `limit` of them from `offset`. */
  async upTo(treeSize: number, limit: number, offset = 0): Promise<(Checkpoint & { keyId: string })[]> {
    const rows: Row[] = await this.em.query(
      `SELECT ${COLUMNS} FROM audit_checkpoints WHERE tree_size <= $1 ORDER BY tree_size DESC LIMIT $2 OFFSET $3`,
      [treeSize, limit, offset],
    );
    return rows.map(checkpointOf);
  }

  async at(treeSize: number): Promise<(Checkpoint & { keyId: string }) | undefined> {
    const rows: Row[] = await this.em.query(`SELECT ${COLUMNS} FROM audit_checkpoints WHERE tree_size = $1`, [
      treeSize,
    ]);
    return rows[0] && checkpointOf(rows[0]);
  }

  /** Stored checkpoints after a tree size, oldest first, each with the witnesses that accepted it. */
  async list(after: number, limit: number): Promise<StoredCheckpoint[]> {
    const rows: Row[] = await this.em.query(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `c.${c}`)
        .join(', ')},
         coalesce((SELECT json_agg(json_build_object('witness', w.witness, 'witnessedAt', w.witnessed_at,
                                                     'cosignature', w.cosignature) ORDER BY w.witness)
                   FROM audit_checkpoint_witnesses w WHERE w.tree_size = c.tree_size), '[]') AS witnesses
       FROM audit_checkpoints c WHERE c.tree_size > $1 ORDER BY c.tree_size LIMIT $2`,
      [after, limit],
    );
    return rows.map((r) => ({
      ...checkpointOf(r),
      signedAt: r.signed_at.toISOString(),
      witnesses: (r.witnesses ?? []).map((w) => ({ ...w, witnessedAt: new Date(w.witnessedAt) })),
    }));
  }

  /** Every stored checkpoint's size and root, for verification. */
  async roots(): Promise<{ treeSize: number; rootHash: string; hashAlgorithm: HashAlgorithm }[]> {
    const rows: { tree_size: string; root_hash: string; hash_alg: HashAlgorithm }[] = await this.em.query(
      'SELECT tree_size, root_hash, hash_alg FROM audit_checkpoints ORDER BY tree_size',
    );
    return rows.map((r) => ({ treeSize: Number(r.tree_size), rootHash: r.root_hash, hashAlgorithm: r.hash_alg }));
  }

  /** Stores a signed checkpoint; false if one of that size was stored already. */
  async insert(cp: Checkpoint, keyId: string): Promise<boolean> {
    const rows = await this.em.query(
      `INSERT INTO audit_checkpoints (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (tree_size) DO NOTHING RETURNING tree_size`,
      [
        cp.treeSize,
        cp.headHash,
        cp.rootHash,
        cp.hashAlgorithm,
        cp.signatureAlgorithm,
        keyId,
        cp.publicKey,
        cp.issuedAt,
        cp.signature,
      ],
    );
    return rows.length > 0;
  }

  /** The largest tree size a witness accepted (0 if none). */
  async lastAcceptedBy(witness: string): Promise<number> {
    const [{ n }]: { n: string }[] = await this.em.query(
      'SELECT coalesce(max(tree_size), 0) AS n FROM audit_checkpoint_witnesses WHERE witness = $1',
      [witness],
    );
    return Number(n);
  }

  async accepted(treeSize: number, witness: string): Promise<boolean> {
    const rows = await this.em.query('SELECT 1 FROM audit_checkpoint_witnesses WHERE tree_size = $1 AND witness = $2', [
      treeSize,
      witness,
    ]);
    return rows.length > 0;
  }

  async recordWitness(treeSize: number, witness: string, cosignature: Cosignature | null): Promise<void> {
    await this.em.query(
      `INSERT INTO audit_checkpoint_witnesses (tree_size, witness, witnessed_at, cosignature)
       VALUES ($1, $2, now(), $3) ON CONFLICT DO NOTHING`,
      [treeSize, witness, cosignature ? JSON.stringify(cosignature) : null],
    );
  }
}
