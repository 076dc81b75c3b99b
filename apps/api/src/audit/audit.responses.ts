import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Checkpoint, HashAlgorithm, SignatureAlgorithm } from '@bianzhi/audit';
import { ANY_JSON } from '../common/api.responses';

const HASH_ALGORITHMS: HashAlgorithm[] = ['sha256', 'sm3'];
const SIGNATURE_ALGORITHMS: SignatureAlgorithm[] = ['ed25519', 'sm2'];

/** One record of the hash-chained audit trail (docs/architecture.md), as the API shows it. */
export class AuditRecordView {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ description: 'username, or `system`' }) actor: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty() role: string;
  @ApiProperty({ description: 'created, submitted, voted, user_created, unit_loaded…' }) action: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestId: string | null;
  @ApiProperty({ type: String, nullable: true }) workflowId: string | null;
  @ApiProperty({ type: String, nullable: true }) runId: string | null;
  @ApiProperty({ type: String, nullable: true }) stepKey: string | null;
  @ApiProperty({ ...ANY_JSON, description: 'the state before the step (any JSON value)' }) before: unknown;
  @ApiProperty({ ...ANY_JSON, description: 'the state after the step (any JSON value)' }) after: unknown;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
  @ApiProperty() prevHash: string;
  @ApiProperty({ enum: HASH_ALGORITHMS }) hashAlg: HashAlgorithm;
  @ApiProperty() hash: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "the id of the key that signed the record's hash (null: written before records were signed)",
  })
  signatureKeyId: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the application's signature over the record's hash, hex" })
  signature: string | null;
}

/** A signed checkpoint of the whole trail: its size, head and Merkle root. */
export class CheckpointView implements Checkpoint {
  @ApiProperty({ type: 'integer' }) treeSize: number;
  @ApiProperty({ type: 'integer' }) headSeq: number;
  @ApiProperty() headHash: string;
  @ApiProperty() rootHash: string;
  @ApiProperty({ enum: HASH_ALGORITHMS }) hashAlgorithm: HashAlgorithm;
  @ApiProperty({ enum: SIGNATURE_ALGORITHMS }) signatureAlgorithm: SignatureAlgorithm;
  @ApiProperty() publicKey: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty() signature: string;
}

/** A public key checkpoints and records were signed with, and when it was in force (as the key file says). */
export class PublicKeyRecordView {
  @ApiProperty({ description: 'the first 32 hex digits of the SHA-256 of the public key text' }) keyId: string;
  @ApiProperty({ enum: SIGNATURE_ALGORITHMS }) algorithm: string;
  @ApiProperty() publicKey: string;
  @ApiProperty({ format: 'date-time', description: 'its handover from the key before, else when it was published' })
  validFrom: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: in force now' })
  validTo: string | null;
  @ApiPropertyOptional({
    description:
      "the key's signature (hex) over its handover to the next key: canonical JSON " +
      '{ format: "bianzhi-key-handover/1", from, to, at } (key ids, validTo)',
  })
  handover?: string;
}

export class PublicKeyView {
  @ApiProperty({ enum: SIGNATURE_ALGORITHMS }) signatureAlgorithm: SignatureAlgorithm;
  @ApiProperty({ enum: HASH_ALGORITHMS }) hashAlgorithm: HashAlgorithm;
  @ApiProperty({ description: 'the key in use (its private half is in the key file, never in the database)' })
  publicKey: string;
  @ApiProperty() keyId: string;
  @ApiProperty({
    type: [PublicKeyRecordView],
    description: 'every key the trail was signed with (rotation), oldest first: those the key file names',
  })
  keys: PublicKeyRecordView[];
}

/** An HTTP witness's signature over a checkpoint it accepted (libs/audit/src/witness.ts). */
export class CosignatureView {
  @ApiProperty({ description: "the witness's name for itself" }) witness: string;
  @ApiProperty() keyId: string;
  @ApiProperty({ enum: SIGNATURE_ALGORITHMS }) algorithm: SignatureAlgorithm;
  @ApiProperty() publicKey: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
  @ApiProperty({ description: 'over canonical JSON { format, witness, timestamp, checkpoint }' }) signature: string;
}

/** A witness's acceptance of a checkpoint: the witness directory (no co-signature) or an HTTP witness. */
export class WitnessView {
  @ApiProperty({ description: '`directory` (AUDIT_WITNESS_DIR) or the HTTP witness URL' }) witness: string;
  @ApiProperty({ type: String, format: 'date-time' }) witnessedAt: Date;
  @ApiProperty({ type: CosignatureView, nullable: true }) cosignature: CosignatureView | null;
}

/** A stored checkpoint: signed, kept append-only, and sent to the witnesses. */
export class StoredCheckpointView extends CheckpointView {
  @ApiProperty({ format: 'date-time', description: 'when it was signed (= issuedAt)' }) signedAt: string;
  @ApiProperty() keyId: string;
  @ApiProperty({ type: [WitnessView] }) witnesses: WitnessView[];
}

export class InclusionProof {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ type: 'integer' }) leafIndex: number;
  @ApiProperty({ type: 'integer' }) treeSize: number;
  @ApiProperty({ enum: HASH_ALGORITHMS }) hashAlgorithm: HashAlgorithm;
  @ApiProperty() leafHash: string;
  @ApiProperty() rootHash: string;
  @ApiProperty({ type: [String], description: 'sibling hashes, leaf to root' }) proof: string[];
}

export class ConsistencyProof {
  @ApiProperty({ type: 'integer' }) from: number;
  @ApiProperty({ type: 'integer' }) to: number;
  @ApiProperty({ enum: HASH_ALGORITHMS }) hashAlgorithm: HashAlgorithm;
  @ApiProperty() fromRoot: string;
  @ApiProperty() toRoot: string;
  @ApiProperty({ type: [String] }) proof: string[];
}

export class CheckpointMismatchView {
  @ApiProperty({ type: 'integer' }) treeSize: number;
  @ApiProperty({ description: "the checkpoint's root" }) expectedRoot: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "the trail's root at that size (null: the trail is shorter)",
  })
  foundRoot: string | null;
  @ApiProperty({ description: '`stored`, `witness directory` or `witness <url>`' }) source: string;
}

export class RecordProblemView {
  @ApiProperty({ type: 'integer' }) firstSeq: number;
  @ApiProperty({ type: 'integer', description: 'how many in all' }) count: number;
  @ApiProperty({ type: 'integer', isArray: true, description: 'their seqs, the first 100' }) seqs: number[];
}

export class UntrustedCheckpointsView {
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: 'integer', isArray: true, description: 'their tree sizes, the first 100' }) treeSizes: number[];
}

/** What `GET /v1/audit/verify` answers (docs/api.md), with the trail's generated columns' check beside it. */
export class VerifyResultDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ type: 'integer', description: 'records read, in seq order' }) records: number;
  @ApiProperty({ description: 'the hash of the last record (64 zeros for an empty trail)' }) headHash: string;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'the first seq where the chain breaks: a wrong hash, a wrong link, or a gap',
  })
  firstBrokenSeq?: number;
  @ApiPropertyOptional({
    type: [String],
    description: 'columns no longer generated from the hashed record text as the schema defines them',
  })
  derivedColumnsAltered?: string[];
  @ApiPropertyOptional({
    type: CheckpointMismatchView,
    description: 'the first stored or witnessed checkpoint whose root the trail no longer reproduces',
  })
  checkpointMismatch?: CheckpointMismatchView;
  @ApiPropertyOptional({
    type: 'integer',
    description: "records' signatures were checked after this seq: the last stored checkpoint a trusted key signed",
  })
  signaturesCheckedAfter?: number;
  @ApiPropertyOptional({ type: RecordProblemView, description: 'records past the signing horizon with no signature' })
  unsignedRecords?: RecordProblemView;
  @ApiPropertyOptional({
    type: RecordProblemView,
    description: "records whose signature is not the application's: bad, by an untrusted key, or out of its key's time",
  })
  forgedRecords?: RecordProblemView;
  @ApiPropertyOptional({
    type: RecordProblemView,
    description:
      "records changed since they were written: their hash no longer their body's, or not the application's " +
      'under a checkpoint it signed (never acknowledged)',
  })
  alteredRecords?: RecordProblemView;
  @ApiPropertyOptional({
    type: UntrustedCheckpointsView,
    description:
      'stored checkpoints the trail does not reproduce that no trusted key signed (rows inserted by whoever holds ' +
      'the database): reported, not a mismatch',
  })
  untrustedCheckpoints?: UntrustedCheckpointsView;
  @ApiPropertyOptional({
    type: () => [AcknowledgedRecordView],
    description:
      "records that are not the application's, acknowledged by an audit administrator: always reported, they no " +
      'longer make `valid` false',
  })
  acknowledgedRecords?: AcknowledgedRecordView[];
}

/** A record that is not the application's, acknowledged by an audit administrator's record. */
export class AcknowledgedRecordView {
  @ApiProperty({ type: 'integer' }) seq: number;
  @ApiProperty({ description: "the record's hash when it was acknowledged" }) hash: string;
  @ApiProperty({ enum: ['unsigned', 'forged', 'altered'] }) problem: 'unsigned' | 'forged' | 'altered';
  @ApiProperty({ type: 'integer', description: 'the seq of the acknowledgement (a record of the trail)' })
  acknowledgedBy: number;
}

/** What `POST /v1/audit/forged-records/acknowledgements` answers: the record it appended to the trail. */
export class AcknowledgementView {
  @ApiProperty({ type: 'integer', description: "the acknowledgement's own record in the trail" }) seq: number;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ description: 'the audit administrator who filed it' }) actor: string;
  @ApiProperty() reason: string;
  @ApiProperty({ type: [AcknowledgedRecordView] }) records: AcknowledgedRecordView[];
}
