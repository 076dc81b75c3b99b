import { EntityManager, IsNull } from 'typeorm';
import {
  Category,
  PoolLoan,
  RegistrySnapshot,
  sameJson,
  toCategoryMap,
  UnitState,
  withCompleteMaps,
} from '@bianzhi/domain';
import { EstablishmentTotalsEntity, PoolLoanEntity, UnitEntity, UnitVersionEntity } from './entities';

// The registry's SQL lives here: loading the registry as the rules see it, and writing a change to it with
// its history (valid-from/valid-to versions), so that any past moment can be answered.

/** Serialises registry writers: the rules are checked on a snapshot that nobody else changes meanwhile. */
export const REGISTRY_LOCK_KEY = 7301;

export function unitStateOf(e: UnitEntity): UnitState {
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    grade: e.grade,
    parentId: e.parentId,
    funding: e.funding,
    creditCode: e.creditCode,
    status: e.status,
    mergedInto: e.mergedInto,
    quotas: toCategoryMap(e.quotas),
    occupied: toCategoryMap(e.occupied),
    pending: toCategoryMap(e.pending),
    loaned: toCategoryMap(e.loaned),
    leadershipPosts: e.leadershipPosts ?? [],
    sections: e.sections ?? [],
    namePlates: e.namePlates ?? [],
  };
}

/** A new row of the county totals (编制总额) and the turnover pool's size (周转池). */
export type TotalsRow = Pick<
  EstablishmentTotalsEntity,
  'year' | 'totals' | 'poolSize' | 'bodyLimit' | 'validFrom' | 'validTo'
>;

/** Which units to list: filters optional, by name, one page. */
export interface UnitFilter {
  kind?: string;
  status?: string;
  /** A substring of the name or of a name plate (其他名称). */
  q?: string;
  page: number;
  pageSize: number;
}

/** One stored version of a unit, with what caused it. */
export interface UnitVersion {
  state: UnitState;
  validFrom: Date;
  validTo: Date | null;
  requestId: string | null;
  documentNumber: string | null;
  cause: string;
}

export class RegistryRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction, with this repository bound to it and its manager (for the audit append). */
  transaction<T>(work: (registry: RegistryRepository, em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transaction((em) => work(new RegistryRepository(em), em));
  }

  /** Takes the registry lock for the rest of the transaction. */
  async lock(): Promise<void> {
    await this.em.query('SELECT pg_advisory_xact_lock($1)', [REGISTRY_LOCK_KEY]);
  }

  async currentTotals(): Promise<EstablishmentTotalsEntity | null> {
    return this.em
      .getRepository(EstablishmentTotalsEntity)
      .findOne({ where: { validTo: IsNull() }, order: { validFrom: 'DESC' } });
  }

  /** Closes the totals row `id` at `at` (its successor is inserted next). */
  async endTotals(id: string, at: Date): Promise<void> {
    await this.em.update(EstablishmentTotalsEntity, { id }, { validTo: at });
  }

  async insertTotals(row: TotalsRow): Promise<void> {
    await this.em.getRepository(EstablishmentTotalsEntity).insert(row);
  }

  unitExists(id: string): Promise<boolean> {
    return this.em.getRepository(UnitEntity).existsBy({ id });
  }

  /** The unit and every unit under it, following parent_id down (a department speaks for the units under it). */
  async unitIdsUnder(unitId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.em.query(
      `WITH RECURSIVE under(id) AS (SELECT id FROM units WHERE id = $1
         UNION SELECT u.id FROM units u JOIN under ON u.parent_id = under.id)
       SELECT id FROM under`,
      [unitId],
    );
    return rows.map((r) => r.id);
  }

  /** The unit as it stands now, or null. */
  async unit(id: string): Promise<UnitState | null> {
    const row = await this.em.getRepository(UnitEntity).findOneBy({ id });
    return row ? unitStateOf(row) : null;
  }

  /** One page of units, by name, and how many match in all. */
  async listUnits(f: UnitFilter): Promise<{ units: UnitState[]; total: number }> {
    const qb = this.em
      .getRepository(UnitEntity)
      .createQueryBuilder('u')
      .orderBy('u.name')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize);
    if (f.kind) qb.andWhere('u.kind = :kind', { kind: f.kind });
    if (f.status) qb.andWhere('u.status = :status', { status: f.status });
    if (f.q)
      qb.andWhere(`(u.name ILIKE :q OR u.name_plates::text ILIKE :q)`, {
        q: `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`,
      });
    const [rows, total] = await qb.getManyAndCount();
    return { units: rows.map(unitStateOf), total };
  }

  /** The version of a unit valid at `asOf` (without validTo), if the unit existed then. */
  async unitVersionAt(id: string, asOf: Date): Promise<Omit<UnitVersion, 'validTo'> | undefined> {
    const rows: Omit<UnitVersion, 'validTo'>[] = await this.em.query(
      `SELECT state, valid_from AS "validFrom", request_id AS "requestId",
              document_number AS "documentNumber", cause
       FROM unit_versions WHERE unit_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
      [id, asOf],
    );
    return rows[0];
  }

  /** Every version of a unit, oldest first (none for an unknown unit). */
  unitVersions(id: string): Promise<UnitVersion[]> {
    return this.em.query(
      `SELECT state, valid_from AS "validFrom", valid_to AS "validTo", request_id AS "requestId",
              document_number AS "documentNumber", cause
       FROM unit_versions WHERE unit_id = $1 ORDER BY valid_from, id`,
      [id],
    );
  }

  async snapshot(): Promise<RegistrySnapshot> {
    // One after another: inside a transaction the queries share one connection.
    const units = await this.em.getRepository(UnitEntity).find();
    const totals = await this.currentTotals();
    const loans = await this.em.getRepository(PoolLoanEntity).find({ where: { returnedAt: IsNull() } });
    return {
      year: totals?.year ?? new Date().getUTCFullYear(),
      units: Object.fromEntries(units.map((u) => [u.id, unitStateOf(u)])),
      totals: toCategoryMap(totals?.totals),
      poolSize: toCategoryMap(totals?.poolSize),
      bodyLimit: totals?.bodyLimit ?? null,
      loans: loans.map((l) => ({
        requestId: l.requestId,
        unitId: l.unitId,
        category: l.category,
        count: l.count,
        dueDate: l.dueDate,
      })),
    };
  }

  /** Writes every unit that differs between `before` and `after`, closing its old version and opening a new one. */
  async writeUnits(
    before: RegistrySnapshot,
    after: RegistrySnapshot,
    at: Date,
    cause: { kind: string; requestId?: string | null; documentNumber?: string | null },
  ): Promise<void> {
    for (const u of Object.values(after.units)) {
      const was = before.units[u.id];
      if (was && (was === u || sameJson(was, u))) continue; // untouched (copy on write), or equal
      await this.saveUnit(u, at, cause);
    }
  }

  async saveUnit(
    u: UnitState,
    at: Date,
    cause: { kind: string; requestId?: string | null; documentNumber?: string | null },
  ): Promise<void> {
    await this.em.getRepository(UnitEntity).save({ ...u, updatedAt: at });
    await this.em.query('UPDATE unit_versions SET valid_to = $2 WHERE unit_id = $1 AND valid_to IS NULL', [u.id, at]);
    await this.em.getRepository(UnitVersionEntity).insert({
      unitId: u.id,
      validFrom: at,
      validTo: null,
      state: u as unknown as Record<string, never>,
      requestId: cause.requestId ?? null,
      documentNumber: cause.documentNumber ?? null,
      cause: cause.kind,
    });
  }

  async insertLoans(loans: PoolLoan[], at: Date): Promise<void> {
    for (const l of loans) {
      await this.em.getRepository(PoolLoanEntity).insert({
        requestId: l.requestId,
        unitId: l.unitId,
        category: l.category,
        count: l.count,
        dueDate: l.dueDate,
        lentAt: at,
        returnedAt: null,
      });
    }
  }

  async endLoans(loans: Pick<PoolLoan, 'requestId' | 'unitId' | 'category'>[], at: Date): Promise<void> {
    for (const l of loans) {
      await this.em.query(
        'UPDATE pool_loans SET returned_at = $4 ' +
          'WHERE request_id = $1 AND unit_id = $2 AND category = $3 AND returned_at IS NULL',
        [l.requestId, l.unitId, l.category, at],
      );
    }
  }

  /** A merged unit's outstanding loans go on with the unit it was folded into (MERGE_UNITS). */
  async moveLoansOfMergedUnits(before: RegistrySnapshot, after: RegistrySnapshot): Promise<void> {
    for (const l of before.loans) {
      const target = after.units[l.unitId]?.status === 'merged' ? after.units[l.unitId].mergedInto : null;
      if (target)
        await this.em.query(
          'UPDATE pool_loans SET unit_id = $3 ' +
            'WHERE request_id = $1 AND unit_id = $2 AND category = $4 AND returned_at IS NULL',
          [l.requestId, l.unitId, target, l.category],
        );
    }
  }

  /** The registry as it stood at `asOf` (the versions valid then). */
  async snapshotAsOf(asOf: Date): Promise<RegistrySnapshot> {
    // Three reads keyed by the same instant: they may run side by side (inside a transaction they queue on its
    // connection).
    const [rows, totals, loans] = await Promise.all([
      this.em.query('SELECT state FROM unit_versions WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)', [
        asOf,
      ]) as Promise<{ state: UnitState }[]>,
      this.em.query(
        'SELECT year, totals, pool_size AS "poolSize", body_limit AS "bodyLimit" FROM establishment_totals ' +
          'WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) ORDER BY valid_from DESC LIMIT 1',
        [asOf],
      ) as Promise<EstablishmentTotalsEntity[]>,
      this.em.query(
        `SELECT request_id AS "requestId", unit_id AS "unitId", category, count,
                to_char(due_date, 'YYYY-MM-DD') AS "dueDate"
         FROM pool_loans WHERE lent_at <= $1 AND (returned_at IS NULL OR returned_at > $1)`,
        [asOf],
      ) as Promise<{ requestId: string; unitId: string; category: Category; count: number; dueDate: string }[]>,
    ]);
    const t = totals[0];
    return {
      year: t?.year ?? asOf.getUTCFullYear(),
      units: Object.fromEntries(rows.map((r) => [r.state.id, withCompleteMaps(r.state)])),
      totals: toCategoryMap(t?.totals),
      poolSize: toCategoryMap(t?.poolSize),
      bodyLimit: t?.bodyLimit ?? null,
      loans,
    };
  }
}
