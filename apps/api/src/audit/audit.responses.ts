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

export class PublicKeyView {
  @ApiProperty({ enum: SIGNATURE_ALGORITHMS }) signatureAlgorithm: SignatureAlgorithm;
  @ApiProperty({ enum: HASH_ALGORITHMS }) hashAlgorithm: HashAlgorithm;
  @ApiProperty() publicKey: string;
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
}
