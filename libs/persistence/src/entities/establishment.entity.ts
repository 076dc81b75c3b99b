import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Category, CategoryMap, DocumentSeries } from '../../../domain/src';

/**
 * The county totals (总量) and turnover-pool size per category, and the body limit (机构限额); one row per version,
 * as recorded by an admin.
 */
@Entity('establishment_totals')
@Index(['validFrom'])
export class EstablishmentTotalsEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' }) id: string;
  @Column({ type: 'int' }) year: number;
  @Column({ type: 'jsonb' }) totals: CategoryMap;
  @Column({ name: 'pool_size', type: 'jsonb' }) poolSize: CategoryMap;
  /** 机构限额: the most active PARTY + GOVERNMENT units; null when none is set. */
  @Column({ name: 'body_limit', type: 'int', nullable: true }) bodyLimit: number | null;
  @Column({ name: 'valid_from', type: 'timestamptz' }) validFrom: Date;
  @Column({ name: 'valid_to', type: 'timestamptz', nullable: true }) validTo: Date | null;
}

/** A loan from the turnover pool (周转池编制), kept until it comes back. */
@Entity('pool_loans')
@Index(['requestId', 'unitId', 'category'])
export class PoolLoanEntity {
  @PrimaryColumn({ type: 'bigint', generated: 'increment' }) id: string;
  @Column({ name: 'request_id', type: 'uuid' }) requestId: string;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'text' }) category: Category;
  @Column({ type: 'int' }) count: number;
  @Column({ name: 'due_date', type: 'date' }) dueDate: string;
  @Column({ name: 'lent_at', type: 'timestamptz' }) lentAt: Date;
  @Column({ name: 'returned_at', type: 'timestamptz', nullable: true }) returnedAt: Date | null;
}

/** The last document number used per series and year: allocated in the transaction that issues the document. */
@Entity('document_number_counters')
export class DocumentNumberCounterEntity {
  @PrimaryColumn({ type: 'text' }) series: DocumentSeries;
  @PrimaryColumn({ type: 'int' }) year: number;
  @Column({ name: 'last_number', type: 'int' }) lastNumber: number;
}

/** One implemented request: the unique marker that makes implementation happen exactly once. */
@Entity('implementations')
export class ImplementationEntity {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' }) requestId: string;
  @Column({ name: 'document_number', type: 'text', unique: true }) documentNumber: string;
  /** The document series the number is from (docs/domain.md, "Document numbers"). */
  @Column({ type: 'text' }) series: DocumentSeries;
  @Column({ type: 'int' }) year: number;
  @Column({ type: 'int' }) number: number;
  @Column({ name: 'applied_at', type: 'timestamptz' }) appliedAt: Date;
  @Column({ type: 'jsonb' }) diff: object[];
  @Column({ name: 'follow_ups', type: 'jsonb' }) followUps: string[];
}
