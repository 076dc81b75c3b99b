import { Injectable } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import { IsArray, IsOptional, IsString, Length, ValidateNested, validate, ArrayMaxSize } from 'class-validator';
import { parse as parseCsv } from 'csv-parse/sync';
import { createHash, randomUUID } from 'node:crypto';
import { appendAudit, canonicalJson } from '@bianzhi/audit';
import type { AuthUser } from '@bianzhi/auth';
import {
  CATEGORIES,
  CategoryMap,
  emptyCategoryMap,
  GRADES,
  isValidCreditCode,
  toCategoryMap,
  totalsViolations,
  unitsLoadViolations,
  UnitState,
} from '@bianzhi/domain';
import { RegistryRepository } from '@bianzhi/persistence';
import { ApiError } from '../common/api-error';
import { flattenValidationErrors, VALIDATION_OPTIONS } from '../common/validation';
import { CreateUnitDto, TotalsDto } from './registry.dto';

// Import of an existing registry (units, quotas, occupancy, totals) from JSON or CSV: validated whole before
// anything is written, every row's problem reported, written in one transaction and audited as one action.

export class ImportUnitDto extends CreateUnitDto {
  /** The row's key within the file, so that other rows can name it as their parent. */
  @IsString() @Length(1, 100) ref: string;
  @IsOptional() @IsString() @Length(1, 100) parentRef?: string;
}

export class RegistryImportDto {
  @IsOptional() @ValidateNested() @Type(() => TotalsDto) totals?: TotalsDto;
  @IsArray() @ArrayMaxSize(20000) @ValidateNested({ each: true }) @Type(() => ImportUnitDto) units: ImportUnitDto[];
}

type Problem = { field: string; problem: string };

/**
 * Units CSV: one row a unit; category columns hold quotas, `occupied_X` / `pending_X` occupancy; lists split
 * on `;`.
 */
export function unitsFromCsv(text: string): { rows: Record<string, unknown>[]; problems: Problem[] } {
  const problems: Problem[] = [];
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    return { rows: [], problems: [{ field: 'csv', problem: (err as Error).message }] };
  }
  const num = (v: string | undefined, field: string): number | undefined => {
    if (v === undefined || v === '') return undefined;
    if (/^\d+$/.test(v)) return Number(v);
    // Reported once, here, naming the CSV's column: not again by the checks of the value it would have become.
    problems.push({ field, problem: `${v} is not a whole number` });
    return undefined;
  };
  const rows = records.map((r, i) => {
    const at = `units[${i}]`;
    const counts = (prefix: string) =>
      Object.fromEntries(
        CATEGORIES.map((c) => [c, num(r[`${prefix}${c}`], `${at}.${prefix}${c}`)]).filter(([, v]) => v !== undefined),
      );
    const list = (v: string | undefined) =>
      v
        ? v
            .split(';')
            .map((x) => x.trim())
            .filter(Boolean)
        : undefined;
    const posts = list(r.leadershipPosts)?.map((p, j) => {
      const [grade, principal, deputy] = p.split(':');
      if (!GRADES.includes(grade as never))
        problems.push({
          field: `${at}.leadershipPosts[${j}]`,
          problem: `write posts as GRADE:principal:deputy, e.g. SECTION:1:2`,
        });
      return { grade, principal: Number(principal), deputy: Number(deputy) };
    });
    return Object.fromEntries(
      Object.entries({
        ref: r.ref,
        name: r.name,
        kind: r.kind,
        grade: r.grade,
        parentRef: r.parentRef || undefined,
        parentId: r.parentId || undefined,
        funding: r.funding || undefined,
        creditCode: r.creditCode || undefined,
        quotas: counts(''),
        occupied: counts('occupied_'),
        pending: counts('pending_'),
        leadershipPosts: posts,
        sections: list(r.sections),
        namePlates: list(r.namePlates),
      }).filter(([, v]) => v !== undefined),
    );
  });
  return { rows, problems };
}

@Injectable()
export class RegistryImportService {
  constructor(private readonly registry: RegistryRepository) {}

  /** With `dryRun`, checks the whole file as an import would and writes nothing: the report an admin confirms. */
  async importRegistry(admin: AuthUser, body: unknown, contentType: string, dryRun = false) {
    let raw: unknown = body;
    const problems: Problem[] = [];
    if (contentType.includes('text/csv')) {
      const parsed = unitsFromCsv(String(body ?? ''));
      problems.push(...parsed.problems);
      raw = { units: parsed.rows };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw ApiError.validation([
        { field: 'body', problem: 'a JSON object { totals?, units: [...] } or a text/csv body' },
      ]);
    const dto = plainToInstance(RegistryImportDto, raw);
    problems.push(...flattenValidationErrors(await validate(dto, VALIDATION_OPTIONS)));
    const units = Array.isArray(dto.units) ? dto.units : [];

    return this.registry.transaction(async (registry, em) => {
      await registry.lock();
      const current = await registry.snapshot();
      const ids = new Map<string, string>();
      units.forEach((u, i) => {
        if (!u?.ref) return;
        if (ids.has(u.ref)) problems.push({ field: `units[${i}].ref`, problem: `ref ${u.ref} appears twice` });
        ids.set(u.ref, randomUUID());
      });
      const names = new Set(
        Object.values(current.units)
          .filter((u) => u.status === 'active')
          .map((u) => u.name),
      );
      const states: UnitState[] = [];
      units.forEach((u, i) => {
        if (!u) return;
        const at = `units[${i}]`;
        if (u.creditCode && !isValidCreditCode(u.creditCode))
          problems.push({ field: `${at}.creditCode`, problem: 'the check character does not match (GB 32100-2015)' });
        if (u.name && names.has(u.name))
          problems.push({ field: `${at}.name`, problem: `an active unit is already named ${u.name}` });
        names.add(u.name);
        const parentId = u.parentRef ? ids.get(u.parentRef) : u.parentId;
        if (u.parentRef && !parentId)
          problems.push({ field: `${at}.parentRef`, problem: `no row has ref ${u.parentRef}` });
        if (u.parentId && !current.units[u.parentId])
          problems.push({ field: `${at}.parentId`, problem: `unit ${u.parentId} does not exist` });
        const quotas = toCategoryMap(u.quotas as Partial<CategoryMap>);
        const occupied = toCategoryMap(u.occupied as Partial<CategoryMap>);
        const pending = toCategoryMap(u.pending as Partial<CategoryMap>);
        states.push({
          id: ids.get(u.ref) ?? randomUUID(),
          name: u.name,
          kind: u.kind,
          grade: u.grade,
          parentId: parentId ?? null,
          funding: u.funding ?? null,
          creditCode: u.creditCode ?? null,
          status: 'active',
          mergedInto: null,
          quotas,
          occupied,
          pending,
          loaned: emptyCategoryMap(),
          leadershipPosts: (u.leadershipPosts ?? []).map((p) => ({
            grade: p.grade,
            principal: p.principal,
            deputy: p.deputy,
          })),
          sections: u.sections ?? [],
          namePlates: u.namePlates ?? [],
        });
      });
      // Invariant 1 and the body limit, checked as POST /v1/units and PUT /v1/establishment/totals check them
      // (docs/domain.md, "Admin loads"), but reported with the file's other problems as one 400.
      const totals = dto.totals ? toCategoryMap(dto.totals.totals as Partial<CategoryMap>) : current.totals;
      const poolSize = dto.totals ? toCategoryMap(dto.totals.turnoverPool as Partial<CategoryMap>) : current.poolSize;
      const bodyLimit =
        dto.totals && dto.totals.bodyLimit !== undefined ? dto.totals.bodyLimit : (current.bodyLimit ?? null);
      const violations = [
        ...(dto.totals ? totalsViolations(current, totals, poolSize, bodyLimit) : []),
        ...unitsLoadViolations({ ...current, totals, poolSize, bodyLimit }, states),
      ];
      for (const v of violations)
        problems.push({
          field:
            v.rule === 'BODY_LIMIT_EXCEEDED'
              ? 'totals.bodyLimit'
              : v.field === 'turnoverPool'
                ? `totals.turnoverPool.${v.category}`
                : `totals.${v.category}`,
          problem: `${v.message} (${v.rule})`,
        });
      if (problems.length) throw ApiError.validation(problems);
      if (dryRun) return { imported: 0, checked: states.length, dryRun: true, totals: !!dto.totals, units: {} };

      const at = new Date();
      if (dto.totals) {
        const existing = await registry.currentTotals();
        if (existing) await registry.endTotals(existing.id, at);
        await registry.insertTotals({
          year: dto.totals.year,
          totals,
          poolSize,
          bodyLimit,
          validFrom: at,
          validTo: null,
        });
      }
      // Parents before children, so that every parent exists when its child is written.
      const order = [...states].sort(
        (a, b) => Number(!!a.parentId && ids.has(a.parentId)) - Number(!!b.parentId && ids.has(b.parentId)),
      );
      for (const s of order) await registry.saveUnit(s, at, { kind: 'import' });
      const fileHash = createHash('sha256')
        .update(typeof body === 'string' ? body : canonicalJson(body))
        .digest('hex');
      await appendAudit(em, {
        at,
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'registry_imported',
        after: {
          units: states.length,
          totals: dto.totals ?? null,
          fileSha256: fileHash,
          unitIds: Object.fromEntries([...ids.entries()]),
        },
        comment: `imported ${states.length} units${dto.totals ? ' and the county totals' : ''}`,
      });
      return {
        imported: states.length,
        checked: states.length,
        dryRun: false,
        totals: !!dto.totals,
        units: Object.fromEntries(ids),
      };
    });
  }
}
