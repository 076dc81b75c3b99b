import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProcedureState, RequestStatus, RequestType } from '../../../domain/src';

/**
 * The read model of a change request: kept in step by the workflow's activities, so that listing and
 * reading never ask Temporal. The workflow holds the procedure; this row mirrors it.
 */
@Entity('change_requests')
@Index(['status', 'createdAt'])
@Index(['unitId', 'createdAt'])
@Index(['type', 'createdAt'])
export class ChangeRequestEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ name: 'workflow_id', type: 'text', unique: true }) workflowId: string;
  @Column({ type: 'text' }) type: RequestType;
  @Column({ type: 'text' }) status: RequestStatus;
  @Column({ name: 'unit_id', type: 'uuid' }) unitId: string;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) justification: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  @Column({ type: 'jsonb' }) payload: Record<string, any>;
  @Column({ name: 'new_unit_id', type: 'uuid', nullable: true }) newUnitId: string | null;
  /** 来文号: the requesting unit's own document number, if it gave one. */
  @Column({ name: 'reference_number', type: 'text', nullable: true }) referenceNumber: string | null;
  /** 抄送: the units to receive copies, in the order the clerk gave them. */
  @Column({ name: 'copy_to', type: 'uuid', array: true, default: () => "'{}'" }) copyTo: string[];
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ type: 'jsonb', default: () => "'[]'" }) diff: object[];
  /** The workflow's public state at its last recorded step (consultations, vote, deadlines, decisions). */
  @Column({ type: 'jsonb', default: () => "'{}'" }) procedure: ProcedureState;
  @Column({ name: 'document_number', type: 'text', nullable: true }) documentNumber: string | null;
  @Column({ name: 'last_step', type: 'int', default: 0 }) lastStep: number;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
