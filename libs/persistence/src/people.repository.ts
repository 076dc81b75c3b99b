import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import {
  Category,
  ChangeSpec,
  PeopleNamed,
  peopleFollow,
  peopleNamed,
  PersonMove,
  PersonState,
  RegistrySnapshot,
} from '@bianzhi/domain';
import { PersonEntity, PersonEventEntity } from './entities';
import { RegistryRepository } from './registry.repository';

// The people on the establishment (实名制, docs/domain.md "People on the establishment"): loading the people a
// request names beside the registry, writing a request's moves with its document number, the import, and the
// figures of the monthly report. The ID number is only ever here sealed (encrypted by the API).

export interface PersonRow {
  id: string;
  name: string;
  idHash: string;
  idNumberMasked: string;
  status: 'on' | 'off';
  unitId: string | null;
  category: Category | null;
  since: Date;
}

export interface PersonFilter {
  /** People of any of these units. */
  unitIds?: string[];
  status?: 'on' | 'off';
  category?: Category;
  /** A substring of the name. */
  name?: string;
  /** The keyed hash of a whole ID number searched for. */
  idHash?: string;
  page: number;
  pageSize: number;
}

export interface PersonHistoryRow {
  at: Date;
  action: string;
  unitId: string;
  category: Category;
  fromUnitId: string | null;
  fromCategory: Category | null;
  channel: string | null;
  reason: string | null;
  date: string | null;
  requestId: string | null;
  documentNumber: string | null;
}

/** One person of an import, sealed by the API. */
export interface ImportedPerson {
  name: string;
  idHash: string;
  idNumberMasked: string;
  idNumberSealed: string;
  unitId: string;
  category: Category;
}

/** Moves per month (office time) by action, category and the kind of the unit the person went to (or left). */
export interface MonthlyMoves {
  action: 'ENROLLED' | 'DISENROLLED' | 'TRANSFERRED';
  category: Category;
  unitKind: string;
  count: number;
}

const STATE_COLUMNS = `id, name, id_hash AS "idHash", id_number_masked AS "idNumberMasked", status,
  unit_id AS "unitId", category, since`;

function stateOf(r: PersonRow): PersonState {
  return {
    id: r.id,
    name: r.name,
    idHash: r.idHash,
    idNumberMasked: r.idNumberMasked,
    status: r.status,
    unitId: r.unitId,
    category: r.category,
  };
}

/** The first instant of `month` (YYYY-MM) and of the month after, `utcOffsetHours` east. */
export function monthBounds(month: string, utcOffsetHours: number): [Date, Date] {
  const [y, m] = month.split('-').map(Number);
  const shift = utcOffsetHours * 3_600_000;
  return [new Date(Date.UTC(y, m - 1, 1) - shift), new Date(Date.UTC(y, m, 1) - shift)];
}

export class PeopleRepository {
  constructor(private readonly em: EntityManager) {}

  /** The registry as the rules see it for `spec`, with the people on record it names (实名制). */
  async snapshotFor(spec: ChangeSpec): Promise<RegistrySnapshot> {
    const snapshot = await new RegistryRepository(this.em).snapshot();
    const named = peopleNamed(spec);
    if (named.ids.length || named.idHashes.length) snapshot.people = await this.statesFor(named);
    return snapshot;
  }

  /** The people a request names, by id and by ID-number hash. */
  async statesFor(named: PeopleNamed): Promise<Record<string, PersonState>> {
    const ids = named.ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const rows: PersonRow[] = await this.em.query(
      `SELECT ${STATE_COLUMNS} FROM people WHERE id = ANY($1::uuid[]) OR id_hash = ANY($2::text[])`,
      [ids, named.idHashes],
    );
    return Object.fromEntries(rows.map((r) => [r.id, stateOf(r)]));
  }

  async find(id: string): Promise<PersonRow | null> {
    const rows: PersonRow[] = await this.em.query(`SELECT ${STATE_COLUMNS} FROM people WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(f: PersonFilter): Promise<{ items: PersonRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.unitIds) add('unit_id = ANY(?::uuid[])', f.unitIds);
    if (f.status) add('status = ?', f.status);
    if (f.category) add('category = ?', f.category);
    if (f.name) add('name ILIKE ?', `%${f.name.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    if (f.idHash) add('id_hash = ?', f.idHash);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ n }] = await this.em.query(`SELECT count(*) AS n FROM people ${cond}`, params);
    const items: PersonRow[] = await this.em.query(
      `SELECT ${STATE_COLUMNS} FROM people ${cond} ORDER BY name, id ` +
        `LIMIT ${Number(f.pageSize)} OFFSET ${(Number(f.page) - 1) * Number(f.pageSize)}`,
      params,
    );
    return { items, total: Number(n) };
  }

  history(personId: string): Promise<PersonHistoryRow[]> {
    return this.em.query(
      `SELECT at, action, unit_id AS "unitId", category, from_unit_id AS "fromUnitId", from_category AS "fromCategory",
              channel, reason, to_char(date, 'YYYY-MM-DD') AS date, request_id AS "requestId",
              document_number AS "documentNumber"
       FROM person_events WHERE person_id = $1 ORDER BY id`,
      [personId],
    );
  }

  /** The sealed ID number of each hash (only the API, which holds the key, can open it). */
  async sealed(idHashes: string[]): Promise<Map<string, string>> {
    const rows: { idHash: string; sealed: string }[] = await this.em.query(
      `SELECT id_hash AS "idHash", id_number_sealed AS sealed FROM person_identities WHERE id_hash = ANY($1::text[])`,
      [idHashes],
    );
    return new Map(rows.map((r) => [r.idHash, r.sealed]));
  }

  /** Keeps a sealed ID number under its hash; one already kept stays as it is. */
  async keepIdentities(identities: { idHash: string; idNumberSealed: string }[]): Promise<void> {
    for (let i = 0; i < identities.length; i += 5000) {
      const part = identities.slice(i, i + 5000);
      await this.em.query(
        `INSERT INTO person_identities (id_hash, id_number_sealed)
         SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (id_hash) DO NOTHING`,
        [part.map((p) => p.idHash), part.map((p) => p.idNumberSealed)],
      );
    }
  }

  /** The people on record with any of these hashes (on or off). */
  async byHashes(idHashes: string[]): Promise<PersonRow[]> {
    const out: PersonRow[] = [];
    for (let i = 0; i < idHashes.length; i += 10000)
      out.push(
        ...(await this.em.query(`SELECT ${STATE_COLUMNS} FROM people WHERE id_hash = ANY($1::text[])`, [
          idHashes.slice(i, i + 10000),
        ])),
      );
    return out;
  }

  /** People on record per unit and category (the named part of `occupied`). */
  async namedCounts(): Promise<{ unitId: string; category: Category; count: number }[]> {
    const rows: { unitId: string; category: Category; n: string }[] = await this.em.query(
      `SELECT unit_id AS "unitId", category, count(*) AS n FROM people WHERE status = 'on' GROUP BY 1, 2`,
    );
    return rows.map((r) => ({ unitId: r.unitId, category: r.category, count: Number(r.n) }));
  }

  /** People on record per unit and category as they stood at `asOf`, from each person's last move before it. */
  async namedCountsAsOf(asOf: Date): Promise<{ unitId: string; category: Category; count: number }[]> {
    const rows: { unitId: string; category: Category; n: string }[] = await this.em.query(
      `SELECT unit_id AS "unitId", category, count(*) AS n FROM (
         SELECT DISTINCT ON (person_id) unit_id, category, action FROM person_events
         WHERE at <= $1 ORDER BY person_id, id DESC) last
       WHERE action <> 'DISENROLLED' GROUP BY 1, 2`,
      [asOf],
    );
    return rows.map((r) => ({ unitId: r.unitId, category: r.category, count: Number(r.n) }));
  }

  /** Everyone on, for a reconciliation against a roster: hash, name, unit. */
  allOn(): Promise<{ id: string; idHash: string; name: string; idNumberMasked: string; unitId: string }[]> {
    return this.em.query(
      `SELECT id, id_hash AS "idHash", name, id_number_masked AS "idNumberMasked", unit_id AS "unitId"
       FROM people WHERE status = 'on'`,
    );
  }

  /**
   * Writes a request's moves at implementation, in its transaction: a person never on record gets a row (their ID
   * number was sealed when the request was filed), every move an event with the request and its document number.
   */
  async applyMoves(
    moves: PersonMove[],
    units: RegistrySnapshot['units'],
    at: Date,
    cause: { requestId: string; documentNumber: string },
  ): Promise<void> {
    for (const m of moves) {
      let personId = m.personId;
      if (!personId) {
        // A person off and named again by hash is found by the rules (personId set); this one is new.
        personId = randomUUID();
        await this.em.getRepository(PersonEntity).insert({
          id: personId,
          name: m.name,
          idHash: m.idHash,
          idNumberMasked: m.idNumberMasked,
          status: 'on',
          unitId: m.unitId,
          category: m.category,
          since: at,
        });
      } else {
        await this.em.getRepository(PersonEntity).update(
          { id: personId },
          {
            status: m.action === 'DISENROLLED' ? 'off' : 'on',
            unitId: m.unitId,
            category: m.category,
            since: at,
            ...(m.action === 'ENROLLED' ? { name: m.name } : {}),
          },
        );
      }
      await this.em.getRepository(PersonEventEntity).insert({
        personId,
        at,
        action: m.action,
        unitId: m.unitId,
        category: m.category,
        unitKind: units[m.unitId]?.kind ?? 'UNKNOWN',
        fromUnitId: m.fromUnitId ?? null,
        fromCategory: m.fromCategory ?? null,
        fromUnitKind: m.fromUnitId ? (units[m.fromUnitId]?.kind ?? 'UNKNOWN') : null,
        channel: m.channel ?? null,
        reason: m.reason ?? null,
        date: m.date ?? null,
        requestId: cause.requestId,
        documentNumber: cause.documentNumber,
      });
    }
  }

  /** People on record go with the units a change closes (an abolished unit's peopleTo, a merger's target). */
  async followClosedUnits(
    spec: ChangeSpec,
    units: RegistrySnapshot['units'],
    at: Date,
    cause: { requestId: string; documentNumber: string },
  ): Promise<void> {
    for (const { fromUnitId, toUnitId } of peopleFollow(spec)) {
      await this.em.query(
        `WITH moved AS (
           UPDATE people SET unit_id = $2, since = $3 WHERE unit_id = $1 AND status = 'on' RETURNING id, category)
         INSERT INTO person_events (person_id, at, action, unit_id, category, unit_kind, from_unit_id, from_category,
                                    from_unit_kind, request_id, document_number)
         SELECT id, $3, 'MOVED_WITH_UNIT', $2, category, $4, $1, category, $5, $6, $7 FROM moved`,
        [
          fromUnitId,
          toUnitId,
          at,
          units[toUnitId]?.kind ?? 'UNKNOWN',
          units[fromUnitId]?.kind ?? 'UNKNOWN',
          cause.requestId,
          cause.documentNumber,
        ],
      );
    }
  }

  /** Writes an import's people, with an IMPORTED event each, in the caller's transaction. */
  async insertImported(people: ImportedPerson[], units: RegistrySnapshot['units'], at: Date): Promise<void> {
    await this.keepIdentities(people);
    for (let i = 0; i < people.length; i += 5000) {
      const part = people.slice(i, i + 5000);
      const ids = part.map(() => randomUUID());
      await this.em.query(
        `INSERT INTO people (id, name, id_hash, id_number_masked, status, unit_id, category, since)
         SELECT id, name, h, m, 'on', u, c, $7 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],
                                                            $5::uuid[], $6::text[]) AS t(id, name, h, m, u, c)`,
        [
          ids,
          part.map((p) => p.name),
          part.map((p) => p.idHash),
          part.map((p) => p.idNumberMasked),
          part.map((p) => p.unitId),
          part.map((p) => p.category),
          at,
        ],
      );
      await this.em.query(
        `INSERT INTO person_events (person_id, at, action, unit_id, category, unit_kind)
         SELECT id, $5, 'IMPORTED', u, c, k
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) AS t(id, u, c, k)`,
        [
          ids,
          part.map((p) => p.unitId),
          part.map((p) => p.category),
          part.map((p) => units[p.unitId]?.kind ?? 'UNKNOWN'),
          at,
        ],
      );
    }
  }

  /**
   * The moves of one month, `utcOffsetHours` east (China time: 8), counted by action, category and unit kind: put
   * on and moved by the unit gone to, taken off by the unit left.
   */
  async monthlyMoves(month: string, utcOffsetHours: number): Promise<MonthlyMoves[]> {
    const rows: { action: MonthlyMoves['action']; category: Category; unitKind: string; n: string }[] =
      await this.em.query(
        `SELECT action, category, unit_kind AS "unitKind", count(*) AS n FROM person_events
         WHERE action IN ('ENROLLED', 'DISENROLLED', 'TRANSFERRED') AND at >= $1 AND at < $2
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        monthBounds(month, utcOffsetHours),
      );
    return rows.map((r) => ({ action: r.action, category: r.category, unitKind: r.unitKind, count: Number(r.n) }));
  }
}
