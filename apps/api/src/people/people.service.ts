import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { parse as parseCsv } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { appendAudit } from '@bianzhi/audit';
import { AuthUser, hasRole } from '@bianzhi/auth';
import {
  CATEGORIES,
  Category,
  fillable,
  idNumberProblem,
  isSelfOrUnder,
  officeDate,
  RegistrySnapshot,
} from '@bianzhi/domain';
import { ImportedPerson, monthBounds, PeopleRepository, PersonRow, RegistryRepository } from '@bianzhi/persistence';
import { CATEGORY_WORDS, KIND_WORDS } from '@bianzhi/documents';
import { ApiError } from '../common/api-error';
import { IdVault } from './id-vault';
import { PeopleImportDto, PersonQueryDto } from './people.dto';
import { validateAs } from '../common/validation';

// People on the establishment (实名制, docs/domain.md "People on the establishment"): who sees whom, the import
// of people on now, and the reconciliation of a payroll or HR roster with them. A person's moves come from
// requests (ENROL_PERSON, DISENROL_PERSON, TRANSFER_PERSON), never from here.

/** The office (编办) sees ID numbers in full; everyone else masked. */
const FULL_ID_ROLES = ['reviewer', 'office_director'] as const;
/** Who sees the whole county's people; a clerk sees its own unit's and those under it. */
const COUNTY_ROLES = ['reviewer', 'office_director', 'auditor', 'committee_chair', 'admin'] as const;

type Problem = { field: string; problem: string; rule?: string; row?: number; [figure: string]: unknown };
/** A row of an import that passed its own checks, before the unit's room is counted. */
type Candidate = Omit<ImportedPerson, 'idNumberSealed'> & { row: number; idNumber: string };

export interface ReconcileFinding {
  row?: number;
  personId?: string;
  name: string;
  idNumberMasked: string;
  rosterUnit?: string;
  unitId?: string;
  unitName?: string;
}

@Injectable()
export class PeopleService {
  private readonly utcOffsetHours: number;

  constructor(
    private readonly people: PeopleRepository,
    private readonly registry: RegistryRepository,
    private readonly vault: IdVault,
    config: ConfigService,
  ) {
    this.utcOffsetHours = Number(config.get('OFFICE_UTC_OFFSET') ?? 8);
  }

  seesFullIdNumber(user: AuthUser): boolean {
    return hasRole(user, ...FULL_ID_ROLES);
  }

  /** The units whose people a user sees, or null for the whole county. */
  private async scopeOf(user: AuthUser): Promise<string[] | null> {
    if (hasRole(user, ...COUNTY_ROLES)) return null;
    return user.unitId ? this.registry.unitIdsUnder(user.unitId) : [];
  }

  /** The people as the API shows them; the office's full numbers opened from one read of the page's sealed ones. */
  private async views(user: AuthUser, list: PersonRow[]) {
    const sealed = this.seesFullIdNumber(user) ? await this.people.sealed(list.map((p) => p.idHash)) : null;
    return list.map((p) => this.view(p, sealed?.get(p.idHash)));
  }

  private view(p: PersonRow, full: string | undefined) {
    return {
      id: p.id,
      name: p.name,
      idNumberMasked: p.idNumberMasked,
      ...(full ? { idNumber: this.vault.open(full) } : {}),
      unitId: p.unitId,
      category: p.category,
      status: p.status,
      since: p.since.toISOString(),
    };
  }

  async list(user: AuthUser, q: PersonQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const scope = await this.scopeOf(user);
    if (scope && q.unitId && !scope.includes(q.unitId)) return { items: [], total: 0, page, pageSize };
    const wholeId = q.q && /^\d{17}[\dXx]$/.test(q.q.trim());
    const { items, total } = await this.people.list({
      unitIds: q.unitId ? [q.unitId] : (scope ?? undefined),
      status: q.status,
      category: q.category,
      name: wholeId ? undefined : q.q?.trim() || undefined,
      idHash: wholeId ? this.vault.hash(q.q!) : undefined,
      page,
      pageSize,
    });
    return { items: await this.views(user, items), total, page, pageSize };
  }

  async get(user: AuthUser, id: string) {
    const p = await this.people.find(id);
    const scope = await this.scopeOf(user);
    if (!p || (scope && !(p.unitId && scope.includes(p.unitId)))) throw ApiError.notFound('the person');
    const history = await this.people.history(id);
    return {
      ...(await this.views(user, [p]))[0],
      history: history.map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
    };
  }

  /**
   * People on establishment now, from JSON or CSV (`name,idNumber,unitId,category`), checked whole: a bad ID number,
   * a person twice or already on record, an unknown or closed unit, a unit pushed over its quota, each reported by
   * row; nothing written if any row fails. The people fill a unit's unnamed places (未实名) first; beyond them the
   * unit's 实有 grows, within its quota.
   */
  async import(admin: AuthUser, body: unknown, contentType: string, dryRun = false) {
    let raw: unknown = body;
    const problems: Problem[] = [];
    if (contentType.includes('text/csv')) {
      try {
        raw = {
          people: parseCsv(String(body ?? ''), { columns: true, skip_empty_lines: true, trim: true, bom: true }),
        };
      } catch (err) {
        throw ApiError.validation([{ field: 'csv', problem: (err as Error).message }]);
      }
    }
    const dto = await validateAs(PeopleImportDto, raw, 'body').catch((err: ApiError) => {
      // Every row's shape problem, with the others found below, as one answer.
      problems.push(...(((err.getResponse() as { details?: Problem[] }).details ?? []) as Problem[]));
      return null;
    });
    // Rows the shape check refused are still checked below where they can be, so one answer names every problem.
    const given = (raw as { people?: unknown } | null)?.people;
    const rows = (dto?.people ?? (Array.isArray(given) ? given : [])).map((r) =>
      typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {},
    ) as unknown as { name: string; idNumber: string; unitId: string; category: Category }[];
    const today = officeDate(Date.now(), this.utcOffsetHours);

    // Each row's own checks, and its number's hash, before the registry is locked: an import holds the lock only
    // for what must see the registry and the records as they are.
    const checked: Candidate[] = [];
    const seen = new Map<string, number>();
    rows.forEach((r, i) => {
      const at = `people[${i}]`;
      // A row without these was named by the shape check.
      if (typeof r.idNumber !== 'string' || typeof r.unitId !== 'string' || !CATEGORIES.includes(r.category)) return;
      const bad = idNumberProblem(r.idNumber, today);
      if (bad) {
        problems.push({ field: `${at}.idNumber`, problem: bad, rule: 'INVALID_ID_NUMBER', row: i });
        return;
      }
      const idHash = this.vault.hash(r.idNumber);
      if (seen.has(idHash)) {
        problems.push({
          field: `${at}.idNumber`,
          problem: `the same person as people[${seen.get(idHash)}]`,
          rule: 'DUPLICATE_PERSON',
          row: i,
          firstRow: seen.get(idHash),
        });
        return;
      }
      seen.set(idHash, i);
      checked.push({
        row: i,
        name: r.name,
        idNumber: r.idNumber,
        idHash,
        idNumberMasked: this.vault.mask(r.idNumber),
        unitId: r.unitId,
        category: r.category,
      });
    });

    return this.registry.transaction(async (registry, em) => {
      // A dry run writes nothing: it reads the registry as it stands, without stopping implementations.
      if (!dryRun) await registry.lock();
      const people = new PeopleRepository(em);
      const snapshot = await registry.snapshot();
      const candidates: Candidate[] = [];
      for (const c of checked) {
        const unit = snapshot.units[c.unitId];
        if (!unit || unit.status !== 'active') {
          problems.push({
            field: `people[${c.row}].unitId`,
            problem: unit ? `${unit.name} is ${unit.status}, not active` : `unit ${c.unitId} does not exist`,
            rule: unit ? 'UNIT_NOT_ACTIVE' : 'UNIT_NOT_FOUND',
            row: c.row,
          });
          continue;
        }
        candidates.push(c);
      }
      const known = new Map((await people.byHashes(candidates.map((p) => p.idHash))).map((p) => [p.idHash, p]));
      for (const p of candidates) {
        const k = known.get(p.idHash);
        if (k)
          problems.push({
            field: `people[${p.row}].idNumber`,
            problem:
              k.status === 'on'
                ? `already on the establishment of ${snapshot.units[k.unitId!]?.name ?? k.unitId}`
                : 'already on record (off): put the person on by an ENROL_PERSON request',
            rule: k.status === 'on' ? 'PERSON_ALREADY_ON' : 'DUPLICATE_PERSON',
            row: p.row,
            personId: k.id,
            unitId: k.unitId,
          });
      }
      // A row refused already (a person on record) takes no place in the count of its unit.
      const refused = new Set(problems.map((p) => p.row));
      const after = await this.withImported(
        people,
        snapshot,
        candidates.filter((p) => !refused.has(p.row)),
        problems,
      );
      if (problems.length) throw ApiError.validation(problems.sort((a, b) => (a.row ?? -1) - (b.row ?? -1)));
      if (dryRun) return { imported: 0, checked: rows.length, dryRun: true };
      // Sealed only now that everything passed: a refused file costs no encryption.
      const sealed: ImportedPerson[] = candidates.map(({ row: _row, idNumber, ...p }) => ({
        ...p,
        idNumberSealed: this.vault.seal(idNumber),
      }));
      const at = new Date();
      await registry.writeUnits(snapshot, after, at, { kind: 'people_import' });
      await people.insertImported(sealed, snapshot.units, at);
      const byUnit: Record<string, number> = {};
      for (const p of sealed) byUnit[p.unitId] = (byUnit[p.unitId] ?? 0) + 1;
      // The trail carries counts and a digest of who was imported where (hashes, not numbers): enough to prove
      // what an import file held, nothing to read a person's number from.
      const digest = createHash('sha256')
        .update(
          sealed
            .map((p) => `${p.idHash},${p.unitId},${p.category}`)
            .sort()
            .join('\n'),
        )
        .digest('hex');
      await appendAudit(em, {
        at,
        actor: admin.username,
        actorId: admin.id,
        role: 'admin',
        action: 'people_imported',
        after: { people: sealed.length, byUnit, peopleSha256: digest },
        comment: `imported ${sealed.length} people on establishment`,
      });
      return { imported: sealed.length, checked: rows.length, dryRun: false };
    });
  }

  /**
   * The registry with the imported people counted: in each unit and category they fill the unnamed places first;
   * where they outnumber them, 实有 grows, and QUOTA_FULL is reported on each row beyond the unit's room.
   */
  private async withImported(
    people: PeopleRepository,
    snapshot: RegistrySnapshot,
    rows: Candidate[],
    problems: Problem[],
  ): Promise<RegistrySnapshot> {
    const named = new Map<string, number>();
    for (const n of await people.namedCounts()) named.set(`${n.unitId}/${n.category}`, n.count);
    const byPlace = new Map<string, Candidate[]>();
    for (const r of rows) {
      const key = `${r.unitId}/${r.category}`;
      const list = byPlace.get(key);
      if (list) list.push(r);
      else byPlace.set(key, [r]);
    }
    const after: RegistrySnapshot = { ...snapshot, units: { ...snapshot.units } };
    for (const [key, list] of byPlace) {
      const [unitId, category] = key.split('/') as [string, Category];
      const u = snapshot.units[unitId];
      const unnamed = Math.max(0, u.occupied[category] - (named.get(key) ?? 0));
      const grows = Math.max(0, list.length - unnamed);
      if (grows === 0) continue;
      const room = Math.max(0, fillable(u, category));
      list.slice(unnamed + room).forEach((r) =>
        problems.push({
          field: `people[${r.row}].unitId`,
          problem:
            `${u.name} has ${room} ${category} places to fill beyond its ${u.occupied[category]} on ` +
            `(approved ${u.quotas[category]}, loaned ${u.loaned[category]}, pending ${u.pending[category]}); ` +
            `this file puts ${list.length} on`,
          rule: 'QUOTA_FULL',
          row: r.row,
          unitId,
          category,
          room,
          unnamed,
          inFile: list.length,
        }),
      );
      // From the registry after the places counted so far: a unit's other categories keep their growth.
      const was = after.units[unitId];
      const copy = { ...was, occupied: { ...was.occupied } };
      copy.occupied[category] += grows;
      after.units[unitId] = copy;
    }
    return after;
  }

  /**
   * 月报: the month's moves (put on, taken off, moved) by category and unit kind, and the seed-004 table as at the
   * month's end (or now, for the month under way), with how many of 实有 are on record by name.
   */
  async monthly(month: string) {
    const [start, end] = monthBounds(month, this.utcOffsetHours);
    if (start.getTime() > Date.now())
      throw ApiError.validation([{ field: 'month', problem: `${month} has not begun` }]);
    const asOf = new Date(Math.min(end.getTime() - 1, Date.now()));
    const moves = await this.people.monthlyMoves(month, this.utcOffsetHours);
    const snapshot = await this.registry.snapshotAsOf(asOf);
    const named = new Map<string, number>();
    // The month under way is now: the people on record as they stand; a past month from each person's last move then.
    const current = end.getTime() > Date.now();
    for (const n of current ? await this.people.namedCounts() : await this.people.namedCountsAsOf(asOf)) {
      const kind = snapshot.units[n.unitId]?.kind ?? 'UNKNOWN';
      named.set(`${kind}/${n.category}`, (named.get(`${kind}/${n.category}`) ?? 0) + n.count);
    }
    const rows = new Map<
      string,
      { unitKind: string; category: Category; approved: number; occupied: number; pending: number }
    >();
    for (const u of Object.values(snapshot.units).filter((x) => x.status === 'active'))
      for (const c of CATEGORIES) {
        if (!u.quotas[c] && !u.occupied[c] && !u.pending[c]) continue;
        const key = `${u.kind}/${c}`;
        const row = rows.get(key) ?? { unitKind: u.kind, category: c, approved: 0, occupied: 0, pending: 0 };
        row.approved += u.quotas[c];
        row.occupied += u.occupied[c];
        row.pending += u.pending[c];
        rows.set(key, row);
      }
    const table = [...rows.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, r]) => ({
        ...r,
        vacant: r.approved - r.occupied,
        actualVacant: r.approved - r.occupied - r.pending,
        named: named.get(key) ?? 0,
      }));
    const of = (action: string) =>
      moves.filter((m) => m.action === action).map(({ category, unitKind, count }) => ({ category, unitKind, count }));
    return {
      month,
      asOf: asOf.toISOString(),
      enrolled: of('ENROLLED'),
      disenrolled: of('DISENROLLED'),
      transferred: of('TRANSFERRED'),
      table,
    };
  }

  /**
   * 核查 (人册一致): a payroll or HR roster (CSV `name,idNumber,unit`; the unit by name or id) against the people
   * on: on the roster but not on establishment, on establishment but not on the roster, and where the unit differs.
   * `unitId` limits the people on to that unit and those under it. Recorded in the audit trail with the counts.
   */
  async reconcile(user: AuthUser, csv: string, unitId?: string) {
    let records: Record<string, string>[];
    try {
      records = parseCsv(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (err) {
      throw ApiError.validation([{ field: 'csv', problem: (err as Error).message }]);
    }
    const missing = ['name', 'idNumber', 'unit'].filter((c) => records.length && !(c in records[0]));
    if (missing.length)
      throw ApiError.validation([{ field: 'csv', problem: `the roster needs the columns name,idNumber,unit` }]);
    const snapshot = await this.registry.snapshot();
    if (unitId && !snapshot.units[unitId]) throw ApiError.notFound('the unit');
    const unitByName = new Map<string, string>();
    for (const u of Object.values(snapshot.units).filter((x) => x.status === 'active')) {
      unitByName.set(u.name, u.id);
      for (const plate of u.namePlates) if (!unitByName.has(plate)) unitByName.set(plate, u.id);
    }
    const inScope = (id: string | null) => !unitId || (!!id && isSelfOrUnder(snapshot, id, unitId));
    const on = (await this.people.allOn()).filter((p) => inScope(p.unitId));
    const onByHash = new Map(on.map((p) => [p.idHash, p]));
    const today = officeDate(Date.now(), this.utcOffsetHours);
    const invalid: Problem[] = [];
    const notOnEstablishment: ReconcileFinding[] = [];
    const unitDiffers: ReconcileFinding[] = [];
    const onRoster = new Set<string>();
    records.forEach((r, i) => {
      const bad = idNumberProblem(r.idNumber ?? '', today);
      if (bad) {
        invalid.push({ field: `rows[${i}].idNumber`, problem: bad, rule: 'INVALID_ID_NUMBER', row: i });
        return;
      }
      const hash = this.vault.hash(r.idNumber);
      const person = onByHash.get(hash);
      const rosterUnitId = snapshot.units[r.unit] ? r.unit : unitByName.get(r.unit);
      if (!person) {
        // A roster of one unit names only its people: someone on elsewhere in the county is not "not on".
        notOnEstablishment.push({
          row: i,
          name: r.name,
          idNumberMasked: this.vault.mask(r.idNumber),
          rosterUnit: r.unit,
        });
        return;
      }
      onRoster.add(hash);
      if (rosterUnitId !== person.unitId)
        unitDiffers.push({
          row: i,
          personId: person.id,
          name: person.name,
          idNumberMasked: person.idNumberMasked,
          rosterUnit: r.unit,
          unitId: person.unitId,
          unitName: snapshot.units[person.unitId]?.name,
        });
    });
    const notOnRoster: ReconcileFinding[] = on
      .filter((p) => !onRoster.has(p.idHash))
      .map((p) => ({
        personId: p.id,
        name: p.name,
        idNumberMasked: p.idNumberMasked,
        unitId: p.unitId,
        unitName: snapshot.units[p.unitId]?.name,
      }))
      .sort((a, b) => (a.unitName ?? '').localeCompare(b.unitName ?? '') || a.name.localeCompare(b.name));
    const at = new Date();
    const counts = {
      rosterRows: records.length,
      peopleOn: on.length,
      notOnEstablishment: notOnEstablishment.length,
      notOnRoster: notOnRoster.length,
      unitDiffers: unitDiffers.length,
      invalid: invalid.length,
    };
    await this.registry.transaction((_r, em) =>
      appendAudit(em, {
        at,
        actor: user.username,
        actorId: user.id,
        role: user.roles.find((r) => ['reviewer', 'office_director', 'auditor'].includes(r)) ?? user.roles[0],
        action: 'people_reconciled',
        after: { ...counts, unitId: unitId ?? null, rosterSha256: createHash('sha256').update(csv).digest('hex') },
        comment:
          `核查: ${counts.notOnEstablishment} not on establishment, ${counts.notOnRoster} not on the roster, ` +
          `${counts.unitDiffers} in another unit`,
      }),
    );
    return {
      at: at.toISOString(),
      unitId: unitId ?? null,
      counts,
      notOnEstablishment,
      notOnRoster,
      unitDiffers,
      invalid,
    };
  }
}

/**
 * Lines as CSV for a spreadsheet: a BOM for Excel, CRLF, a text cell starting with = + - @ prefixed with ' so that no
 * formula runs, quotes where a cell needs them; numbers as they are.
 */
function spreadsheetCsv(lines: (string | number)[][]): string {
  const cell = (v: string | number) => {
    if (typeof v === 'number') return String(v);
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return '\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The findings as one CSV. */
export function reconciliationCsv(r: {
  notOnEstablishment: ReconcileFinding[];
  notOnRoster: ReconcileFinding[];
  unitDiffers: ReconcileFinding[];
}): string {
  const lines = [['finding', '结果', 'name', 'idNumberMasked', 'rosterRow', 'rosterUnit', 'unitId', 'unitName']];
  const add = (kind: string, words: string, list: ReconcileFinding[]) =>
    list.forEach((f) =>
      lines.push([
        kind,
        words,
        f.name,
        f.idNumberMasked,
        f.row === undefined ? '' : String(f.row + 2),
        f.rosterUnit ?? '',
        f.unitId ?? '',
        f.unitName ?? '',
      ]),
    );
  add('notOnEstablishment', '在册不在编', r.notOnEstablishment);
  add('notOnRoster', '在编不在册', r.notOnRoster);
  add('unitDiffers', '单位不一致', r.unitDiffers);
  return spreadsheetCsv(lines);
}

/** The monthly report as CSV for a spreadsheet: Chinese headers and words; JSON has the codes. */
export function monthlyCsv(r: Awaited<ReturnType<PeopleService['monthly']>>): string {
  const kind = (k: string) => KIND_WORDS[k] ?? k;
  const category = (c: string) => CATEGORY_WORDS[c] ?? c;
  const lines: (string | number)[][] = [['月份', '事项', '单位类别', '编制类别', '人数']];
  for (const [section, list] of [
    ['上编', r.enrolled],
    ['下编', r.disenrolled],
    ['调动', r.transferred],
  ] as const)
    for (const m of list) lines.push([r.month, section, kind(m.unitKind), category(m.category), m.count]);
  lines.push([]);
  lines.push(['单位类别', '编制类别', '核定', '实有', '空编', '待入编', '实际空编', '实名', '未实名']);
  for (const t of r.table)
    lines.push([
      kind(t.unitKind),
      category(t.category),
      t.approved,
      t.occupied,
      t.vacant,
      t.pending,
      t.actualVacant,
      t.named,
      t.occupied - t.named,
    ]);
  return spreadsheetCsv(lines);
}
