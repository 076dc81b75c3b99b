import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { Category, PersonStatus } from '@bianzhi/domain';

/** A person on the establishment, or once on it (实名制); the ID number itself is in `person_identities`, sealed. */
@Entity('people')
export class PersonEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) name: string;
  @Column({ name: 'id_hash', type: 'text', unique: true }) idHash: string;
  @Column({ name: 'id_number_masked', type: 'text' }) idNumberMasked: string;
  @Column({ type: 'text' }) status: PersonStatus;
  @Column({ name: 'unit_id', type: 'uuid', nullable: true }) unitId: string | null;
  @Column({ type: 'text', nullable: true }) category: Category | null;
  /** Since when the person is where they are (or off). */
  @Column({ type: 'timestamptz' }) since: Date;
}

/** The ID number, encrypted by the API with a key outside the database (AES-256-GCM, or SM4 with AUDIT_CRYPTO=gm). */
@Entity('person_identities')
export class PersonIdentityEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'text' }) idHash: string;
  @Column({ name: 'id_number_sealed', type: 'text' }) idNumberSealed: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** One move of a person: imported, put on, taken off, moved, or moved with a unit that closed. */
@Entity('person_events')
export class PersonEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ name: 'person_id', type: 'uuid' }) personId: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'text' }) action: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'text' }) category: Category;
  @Column({ name: 'unit_kind', type: 'text' }) unitKind: string;
  @Column({ name: 'from_unit_id', type: 'uuid', nullable: true }) fromUnitId: string | null;
  @Column({ name: 'from_category', type: 'text', nullable: true }) fromCategory: string | null;
  @Column({ name: 'from_unit_kind', type: 'text', nullable: true }) fromUnitKind: string | null;
  @Column({ type: 'text', nullable: true }) channel: string | null;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'date', nullable: true }) date: string | null;
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId: string | null;
  @Column({ name: 'document_number', type: 'text', nullable: true }) documentNumber: string | null;
}
