import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CategoryMap, Funding, Grade, LeadershipPosts, UnitKind, UnitStatus } from '../../../domain/src';

/** The current state of a unit (机构); every version it had lives in unit_versions. */
@Entity('units')
export class UnitEntity {
  @PrimaryColumn('uuid') id: string;
  @Index() @Column({ type: 'text' }) name: string;
  @Index() @Column({ type: 'text' }) kind: UnitKind;
  @Column({ type: 'text' }) grade: Grade;
  @Column({ name: 'parent_id', type: 'uuid', nullable: true }) parentId: string | null;
  @Column({ type: 'text', nullable: true }) funding: Funding | null;
  @Column({ name: 'credit_code', type: 'text', nullable: true }) creditCode: string | null;
  @Index() @Column({ type: 'text', default: 'active' }) status: UnitStatus;
  @Column({ name: 'merged_into', type: 'uuid', nullable: true }) mergedInto: string | null;
  @Column({ type: 'jsonb' }) quotas: CategoryMap;
  @Column({ type: 'jsonb' }) occupied: CategoryMap;
  @Column({ type: 'jsonb' }) pending: CategoryMap;
  @Column({ type: 'jsonb' }) loaned: CategoryMap;
  @Column({ name: 'leadership_posts', type: 'jsonb' }) leadershipPosts: LeadershipPosts[];
  @Column({ type: 'jsonb' }) sections: string[];
  @Column({ name: 'name_plates', type: 'jsonb' }) namePlates: string[];
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One version of a unit, valid from `validFrom` until `validTo` (null: current), with what caused it. */
@Entity('unit_versions')
@Index(['unitId', 'validFrom'])
export class UnitVersionEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' }) id: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ name: 'valid_from', type: 'timestamptz' }) validFrom: Date;
  @Column({ name: 'valid_to', type: 'timestamptz', nullable: true }) validTo: Date | null;
  @Column({ type: 'jsonb' }) state: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  @Column({ name: 'request_id', type: 'uuid', nullable: true }) requestId: string | null;
  @Column({ name: 'document_number', type: 'text', nullable: true }) documentNumber: string | null;
  /** 'import', 'request' or 'loan_return'. */
  @Column({ type: 'text' }) cause: string;
}
