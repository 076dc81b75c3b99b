import { EntityManager } from 'typeorm';
import type { DocumentSeries, ProcedureState, RequestStatus, RequestType } from '@bianzhi/domain';
import { ChangeRequestEntity, ImplementationEntity } from './entities';

// The change requests' read model (change_requests) and their implementations, for the API and the worker:
// the SQL lives here, the services and activities say what they want (docs/architecture.md).

/** Which requests a reader may list: every one, or its unit's own (a clerk) and those its unit was asked about. */
export type ListVisibility = { all: true } | { all: false; ownUnitId?: string | null; consultedUnitId?: string | null };

export interface ChangeRequestListFilter {
  status?: RequestStatus;
  type?: RequestType;
  unitId?: string;
  page: number;
  pageSize: number;
  visibility: ListVisibility;
}

/** What a step changes in the read model besides its procedure. */
export type ReadModelChanges = Partial<Pick<ChangeRequestEntity, 'payload' | 'justification' | 'diff'>>;

const NO_UNIT = '00000000-0000-0000-0000-000000000000';

/**
 * Who may see which requests, as a condition on `change_requests r`: the one statement of it that the request
 * list and the work lists (已办) share. `bind` turns a value into the query's placeholder for it.
 */
export function visibleRequestsSql(visibility: ListVisibility, bind: (value: string) => string): string {
  if (visibility.all) return 'true';
  // A clerk sees its own unit's requests; a consultee those its unit was asked about.
  const clauses = [];
  if (visibility.ownUnitId !== undefined) clauses.push(`r.unit_id = ${bind(visibility.ownUnitId ?? NO_UNIT)}`);
  if (visibility.consultedUnitId !== undefined)
    clauses.push(
      `r.procedure->'consultations' @> jsonb_build_array(jsonb_build_object('unitId', ` +
        `${bind(visibility.consultedUnitId ?? NO_UNIT)}::text))`,
    );
  return clauses.length ? `(${clauses.join(' OR ')})` : 'false';
}

export class ChangeRequestRepository {
  constructor(private readonly em: EntityManager) {}

  private get rows() {
    return this.em.getRepository(ChangeRequestEntity);
  }

  /**
   * A request's status, its row held (FOR SHARE) until the transaction ends: the worker's move to another
   * status waits, so what the transaction adds fits the status it read.
   */
  /** Locks the request's row until the transaction ends: one writer of its documents at a time. */
  async lockForUpdate(id: string): Promise<void> {
    await this.rows
      .createQueryBuilder('r')
      .select('r.id')
      .where('r.id = :id', { id })
      .setLock('pessimistic_write')
      .getRawOne();
  }

  async statusForShare(id: string): Promise<ChangeRequestEntity['status'] | null> {
    const row = await this.rows
      .createQueryBuilder('r')
      .select('r.status', 'status')
      .where('r.id = :id', { id })
      .setLock('pessimistic_read')
      .getRawOne<{ status: ChangeRequestEntity['status'] }>();
    return row?.status ?? null;
  }

  findById(id: string): Promise<ChangeRequestEntity | null> {
    return this.rows.findOneBy({ id });
  }

  getById(id: string): Promise<ChangeRequestEntity> {
    return this.rows.findOneByOrFail({ id });
  }

  exists(id: string): Promise<boolean> {
    return this.rows.existsBy({ id });
  }

  /** A new request's row, as its registration creates it. */
  build(fields: Omit<ChangeRequestEntity, 'diff' | 'documentNumber'>): ChangeRequestEntity {
    return this.rows.create(fields);
  }

  async insert(row: ChangeRequestEntity): Promise<void> {
    await this.rows.insert({ ...row, procedure: row.procedure as never });
  }

  /** One page of the requests a reader may see, newest first, and how many match in all. */
  async list(filter: ChangeRequestListFilter): Promise<{ rows: ChangeRequestEntity[]; total: number }> {
    const { page, pageSize, visibility } = filter;
    const qb = this.rows
      .createQueryBuilder('r')
      .orderBy('r.created_at', 'DESC')
      .skip((page - 1) * pageSize)
      .take(pageSize);
    if (filter.status) qb.andWhere('r.status = :status', { status: filter.status });
    if (filter.type) qb.andWhere('r.type = :type', { type: filter.type });
    if (filter.unitId) qb.andWhere('r.unit_id = :unitId', { unitId: filter.unitId });
    if (!visibility.all) {
      const params: Record<string, string> = {};
      const bind = (value: string) => {
        const name = `visible${Object.keys(params).length}`;
        params[name] = value;
        return `:${name}`;
      };
      qb.andWhere(visibleRequestsSql(visibility, bind), params);
    }
    // A plain count(*) on the same filter (TypeORM's getManyAndCount counts DISTINCT ids, much slower at scale).
    const counted = qb
      .clone()
      .select('count(*)::int', 'n')
      .orderBy()
      .offset(undefined)
      .limit(undefined)
      .skip(undefined)
      .take(undefined);
    const [rows, { n: total }] = await Promise.all([
      qb.getMany(),
      counted.getRawOne<{ n: number }>().then((r) => r ?? { n: 0 }),
    ]);
    return { rows, total };
  }

  /**
   * Brings the read model to a step's state. Concurrent steps may commit out of order: the read model only
   * moves forward (a step it has seen, last_step >= step, changes nothing).
   */
  async advanceTo(id: string, step: number, procedure: ProcedureState, changes: ReadModelChanges = {}): Promise<void> {
    await this.em
      .createQueryBuilder()
      .update(ChangeRequestEntity)
      .set({
        ...changes,
        status: procedure.status,
        procedure: procedure as never,
        lastStep: step,
        updatedAt: new Date(),
      })
      .where('id = :id AND last_step < :step', { id, step })
      .execute();
  }

  /** Sets a step's state that only its own activity writes, exactly once (implementation, a loan's return). */
  async setStep(
    id: string,
    step: number,
    at: Date,
    procedure: ProcedureState,
    changes: Partial<Pick<ChangeRequestEntity, 'status' | 'documentNumber' | 'diff'>> = {},
  ): Promise<void> {
    await this.rows.update({ id }, { ...changes, procedure: procedure as never, lastStep: step, updatedAt: at });
  }
}

/** Implementations (组织实施) and the document numbers they take. */
export class ImplementationRepository {
  constructor(private readonly em: EntityManager) {}

  findByRequest(requestId: string): Promise<ImplementationEntity | null> {
    return this.em.getRepository(ImplementationEntity).findOneBy({ requestId });
  }

  async insert(implementation: ImplementationEntity): Promise<void> {
    await this.em.getRepository(ImplementationEntity).insert(implementation);
  }

  /**
   * The series' next document number of the year, from a counter row locked until the caller's transaction
   * commits: sequential per series and year, no gap, no duplicate.
   */
  async nextDocumentNumber(series: DocumentSeries, year: number): Promise<number> {
    const [{ last_number: n }] = await this.em.query(
      `INSERT INTO document_number_counters (series, year, last_number) VALUES ($1, $2, 1)
       ON CONFLICT (series, year) DO UPDATE SET last_number = document_number_counters.last_number + 1
       RETURNING last_number`,
      [series, year],
    );
    return n;
  }
}
