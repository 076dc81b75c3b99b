import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { appendAudit } from '@bianzhi/audit';
import type { AuthUser } from '@bianzhi/auth';
import {
  bodiesAgainstLimit,
  CATEGORIES,
  CategoryMap,
  emptyCategoryMap,
  isValidCreditCode,
  poolLent,
  RegistrySnapshot,
  RuleViolation,
  toCategoryMap,
  totalsViolations,
  unitLoadViolations,
  UnitState,
  withCompleteMaps,
  unitCorrections,
} from '@bianzhi/domain';
import { RegistryRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';
import { CreateUnitDto, TotalsDto, UnitQueryDto } from './registry.dto';

/** A unit as the API shows it (docs/domain.md): the posted shape plus id, status and the derived maps. */
export function unitView(u: UnitState) {
  const vacant = emptyCategoryMap();
  const actualVacant = emptyCategoryMap();
  for (const c of CATEGORIES) {
    vacant[c] = u.quotas[c] - u.occupied[c]; // 空编 = 核定 − 实有
    actualVacant[c] = vacant[c] - u.pending[c]; // 实际空编 = 空编 − 待入编
  }
  return { ...u, vacant, actualVacant, corrections: unitCorrections(u) };
}

/** 422 RULE_VIOLATION with each broken rule in `details`, as a change request's (docs/api.md, "Errors"). */
export function ruleViolation(violations: RuleViolation[]): ApiError {
  return new ApiError(
    422,
    'RULE_VIOLATION',
    `the load would break ${violations.length} rule(s): ${violations.map((v) => v.rule).join(', ')}`,
    violations,
  );
}

@Injectable()
export class RegistryService {
  constructor(private readonly registry: RegistryRepository) {}

  /** Initial load of a unit by an admin (audited); every later change goes through a request. */
  async createUnit(admin: AuthUser, dto: CreateUnitDto) {
    if (dto.creditCode && !isValidCreditCode(dto.creditCode))
      throw ApiError.validation([
        { field: 'creditCode', problem: 'the check character does not match (GB 32100-2015)' },
      ]);
    return this.registry.transaction(async (registry, em) => {
      await registry.lock();
      if (dto.parentId && !(await registry.unitExists(dto.parentId)))
        throw ApiError.validation([{ field: 'parentId', problem: `unit ${dto.parentId} does not exist` }]);
      const unit: UnitState = {
        id: randomUUID(),
        name: dto.name,
        kind: dto.kind,
        grade: dto.grade,
        parentId: dto.parentId ?? null,
        funding: dto.funding ?? null,
        creditCode: dto.creditCode ?? null,
        status: 'active',
        mergedInto: null,
        quotas: toCategoryMap(dto.quotas as Partial<CategoryMap>),
        occupied: toCategoryMap(dto.occupied as Partial<CategoryMap>),
        pending: toCategoryMap(dto.pending as Partial<CategoryMap>),
        loaned: emptyCategoryMap(),
        leadershipPosts: (dto.leadershipPosts ?? []).map((p) => ({
          grade: p.grade,
          principal: p.principal,
          deputy: p.deputy,
        })),
        sections: dto.sections ?? [],
        namePlates: dto.namePlates ?? [],
      };
      // Checked under the registry lock, so that two loads cannot both take the same free quota.
      const violations = unitLoadViolations(await registry.snapshot(), unit);
      if (violations.length) throw ruleViolation(violations);
      const at = new Date();
      await registry.saveUnit(unit, at, { kind: 'import' });
      await appendAudit(em, {
        at,
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'unit_loaded',
        after: unit,
      });
      return unitView(unit);
    });
  }

  async setTotals(admin: AuthUser, dto: TotalsDto) {
    return this.registry.transaction(async (registry, em) => {
      await registry.lock();
      const current = await registry.currentTotals();
      const totals = toCategoryMap(dto.totals as Partial<CategoryMap>);
      const poolSize = toCategoryMap(dto.turnoverPool as Partial<CategoryMap>);
      // Left out, the body limit stays as recorded; null lifts it (docs/api.md, "Registry").
      const bodyLimit = dto.bodyLimit === undefined ? (current?.bodyLimit ?? null) : dto.bodyLimit;
      const violations = totalsViolations(await registry.snapshot(), totals, poolSize, bodyLimit);
      if (violations.length) throw ruleViolation(violations);
      const at = new Date();
      if (current) await registry.endTotals(current.id, at);
      const row = { year: dto.year, totals, poolSize, bodyLimit, validFrom: at, validTo: null };
      await registry.insertTotals(row);
      const view = { year: row.year, totals: row.totals, turnoverPool: row.poolSize, bodyLimit: row.bodyLimit };
      await appendAudit(em, {
        at,
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'totals_recorded',
        before: current
          ? {
              year: current.year,
              totals: current.totals,
              turnoverPool: current.poolSize,
              bodyLimit: current.bodyLimit,
            }
          : null,
        after: view,
      });
      return view;
    });
  }

  async listUnits(q: UnitQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    if (q.asOf) return { ...this.unitsAsOf(await this.registry.snapshotAsOf(new Date(q.asOf)), q), page, pageSize };
    const { units, total } = await this.registry.listUnits({ kind: q.kind, status: q.status, q: q.q, page, pageSize });
    return { items: units.map(unitView), total, page, pageSize };
  }

  /** The units as they stood at a moment, filtered and paged as the list is (by name; a county has hundreds). */
  private unitsAsOf(snapshot: RegistrySnapshot, q: UnitQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    const text = q.q?.toLowerCase();
    const matching = Object.values(snapshot.units)
      .filter((u) => (!q.kind || u.kind === q.kind) && (!q.status || u.status === q.status))
      .filter((u) => !text || [u.name, ...u.namePlates].some((n) => n.toLowerCase().includes(text)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
    const items = matching.slice((page - 1) * pageSize, page * pageSize).map((u) => unitView(withCompleteMaps(u)));
    return { items, total: matching.length };
  }

  private async snapshotAt(asOf?: string): Promise<{ at: Date; snapshot: RegistrySnapshot }> {
    if (!asOf) return { at: new Date(), snapshot: await this.registry.snapshot() };
    const at = new Date(asOf);
    return { at, snapshot: await this.registry.snapshotAsOf(at) };
  }

  async getUnit(id: string, asOf?: string) {
    if (!asOf) {
      const unit = await this.registry.unit(id);
      if (!unit) throw ApiError.notFound('the unit');
      return unitView(unit);
    }
    const found = await this.registry.unitVersionAt(id, new Date(asOf));
    if (!found) throw ApiError.notFound(`the unit as of ${asOf}`);
    const { state: s, ...version } = found;
    return { ...unitView(withCompleteMaps(s)), version };
  }

  /**
   * Every version of a unit, oldest first, each with what caused it (an import, a request and its document
   * number, a loan's return).
   */
  async unitHistory(id: string) {
    const rows = await this.registry.unitVersions(id);
    if (!rows.length) throw ApiError.notFound('the unit');
    return rows.map(({ state, ...v }) => ({ ...v, unit: unitView(withCompleteMaps(state)) }));
  }

  /** The county-wide table the office reports every year (seed 004), now or as of a moment. */
  async summary(asOf?: string) {
    const { at, snapshot } = await this.snapshotAt(asOf);
    const categories: Record<string, Record<string, number>> = {};
    const lent = poolLent(snapshot);
    const turnoverPool: Record<string, Record<string, number>> = {};
    for (const c of CATEGORIES) {
      const active = Object.values(snapshot.units).filter((u) => u.status === 'active');
      const allocated = active.reduce((n, u) => n + u.quotas[c], 0);
      const occupied = active.reduce((n, u) => n + u.occupied[c], 0);
      const pending = active.reduce((n, u) => n + u.pending[c], 0);
      const overQuota = active.filter((u) => unitCorrections(u).overQuota.some((o) => o.category === c)).length;
      categories[c] = {
        total: snapshot.totals[c],
        allocated,
        free: snapshot.totals[c] - allocated,
        occupied,
        pending,
        vacant: allocated - occupied,
        actualVacant: allocated - occupied - pending,
        unitsOverQuota: overQuota,
      };
      turnoverPool[c] = { size: snapshot.poolSize[c], lent: lent[c], available: snapshot.poolSize[c] - lent[c] };
    }
    return {
      asOf: at.toISOString(),
      year: snapshot.year,
      categories,
      turnoverPool,
      loans: snapshot.loans,
      bodyLimit: snapshot.bodyLimit ?? null,
      bodies: bodiesAgainstLimit(snapshot),
    };
  }
}
