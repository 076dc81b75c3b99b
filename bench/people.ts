import * as http from 'node:http';
import * as os from 'node:os';
import { Client as PgClient } from 'pg';
import { stats, withProcessFigures } from './measure';

// The people part of the benchmark (实名制, issue 16): a county of 100,000 people on the establishment loaded by one
// CSV import, then what the office does with them: the monthly report, the people list, a reconciliation of a
// payroll roster of the same size, and an import refused for two bad rows. Every answer is checked against what the
// bench planted; nothing asserts a time.

/** People per unit: 250, so 100,000 people are 400 units. */
const PER_UNIT = 250;

// ── ID numbers (GB 11643-1999): region, birth date, sequence, ISO 7064 MOD 11-2 check character ──

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const REGIONS = [
  '330102', '330105', '330106', '330108', '330109', '330110', '330111', '330112', '330113', '330114', '330122',
  '330127', '330182', '330183', '330185',
]; // prettier-ignore
const FIRST_DAY = Date.UTC(1966, 0, 1);
const DAYS = (Date.UTC(2004, 0, 1) - FIRST_DAY) / 86_400_000; // born 1966-01-01 … 2003-12-31
const SPACE = REGIONS.length * DAYS * 1000;
/** A prime above every prime factor of SPACE: i → i·STRIDE mod SPACE is one-to-one, so the numbers are distinct. */
const STRIDE = 1_000_003;

export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** The i-th person's ID number: distinct for every i below SPACE (≈ 208 million), spread over regions and dates. */
export function idNumber(i: number): string {
  const j = (i * STRIDE + 7_654_321) % SPACE;
  const seq = j % 1000;
  const rest = Math.floor(j / 1000);
  const born = new Date(FIRST_DAY + (rest % DAYS) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const first = `${REGIONS[Math.floor(rest / DAYS)]}${born}${String(seq).padStart(3, '0')}`;
  return first + checkCharacter(first);
}

/** The same number with a wrong check character. */
function withWrongCheck(id: string): string {
  const wrong = CHECK[(CHECK.indexOf(id[17]) + 1) % 11];
  return id.slice(0, 17) + wrong;
}

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢',
];
const GIVEN = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国文辉玉春梅海燕宁晨晓红志宏鹏飞俊宇浩然子涵欣怡雨轩梓萱思远嘉琪',
];

function personName(i: number): string {
  const h = Math.imul(i + 1, 2_654_435_761) >>> 0;
  const given = GIVEN[h % GIVEN.length] + (h % 3 ? GIVEN[(h >>> 8) % GIVEN.length] : '');
  return SURNAMES[(h >>> 16) % SURNAMES.length] + given;
}

// ── HTTP: plain node:http, so that no client time-out cuts a long import short (fetch gives up after 300 s) ──

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Reply {
  status: number;
  text: string;
  /** The parsed body when JSON, else null. */
  json: Json;
  ms: number;
}

function send(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: string | object,
  contentType = 'application/json',
): Promise<Reply> {
  const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, base),
      {
        method,
        headers: {
          ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try {
            json = text && /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : null;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, text, json, ms: performance.now() - t0 });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

type Client = (method: string, path: string, body?: string | object, contentType?: string) => Promise<Reply>;

async function signIn(base: string, username: string, password: string): Promise<Client> {
  const r = await send(base, null, 'POST', '/v1/auth/login', { username, password });
  if (r.status >= 300 || !r.json?.accessToken) throw new Error(`sign-in of ${username}: ${r.status} ${r.text}`);
  return (method, path, body, contentType) => send(base, r.json.accessToken, method, path, body, contentType);
}

// ── Where a long call's time goes in PostgreSQL: pg_stat_activity sampled every 25 ms ──

/**
 * Samples what the API's connections are doing while `call` runs: the statement running (by its first words), a
 * transaction open but idle (the API working between two statements of it), or no transaction at all (the API
 * parsing and checking before it opens one, or answering after). The shares of the samples are shares of the
 * call's wall time.
 */
async function sampleDatabase<T>(databaseUrl: string, call: () => Promise<T>) {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const tally = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pg.query(
        `SELECT state, regexp_replace(left(query, 300), '\\s+', ' ', 'g') AS query FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname = current_database()
           AND (state = 'active' OR state LIKE 'idle in transaction%')`,
      );
      samples += 1;
      const what = rows.length
        ? rows.map((r) =>
            r.state === 'active'
              ? `SQL: ${String(r.query).trim().slice(0, 90)}`
              : 'API between statements, transaction open',
          )
        : ['no statement and no transaction (API parsing, checking or answering)'];
      for (const w of new Set(what)) tally.set(w, (tally.get(w) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  try {
    return { result: await call(), shares: () => shares() };
  } finally {
    running = false;
    await loop;
    await pg.end();
  }
  function shares() {
    return Object.fromEntries(
      [...tally.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([k, n]) => [k, Math.round((n / Math.max(samples, 1)) * 1000) / 10]),
    );
  }
}

/**
 * EXPLAIN ANALYZE of the SQL that GET /v1/people and the monthly report run, and of writes like the import's
 * (copied from PeopleRepository: a diagnosis of the figures, not a measure of their own).
 */
async function plans(databaseUrl: string, unitId: string, namePart: string) {
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  const columns = 'id, name, id_hash, id_number_masked, status, unit_id, category, since';
  const queries: Record<string, [string, unknown[]]> = {
    'count by unit': ['SELECT count(*) AS n FROM people WHERE unit_id = ANY($1::uuid[])', [[unitId]]],
    'page by unit': [
      `SELECT ${columns} FROM people WHERE unit_id = ANY($1::uuid[]) ORDER BY name, id LIMIT 20 OFFSET 0`,
      [[unitId]],
    ],
    'count by part of a name': ['SELECT count(*) AS n FROM people WHERE name ILIKE $1', [`%${namePart}%`]],
    'monthly: people by name at month end': [
      `SELECT unit_id, category, count(*) AS n FROM (
         SELECT DISTINCT ON (person_id) unit_id, category, action FROM person_events
         WHERE at <= now() ORDER BY person_id, id DESC) last
       WHERE action <> 'DISENROLLED' GROUP BY 1, 2`,
      [],
    ],
  };
  // What writing 5,000 more people costs PostgreSQL per table, with its index upkeep and foreign-key checks
  // (rolled back): the import's statements write the same rows, 5,000 at a time.
  const hash = "encode(sha256(('bench-plan-' || g)::text::bytea), 'hex')";
  const writes: Record<string, [string, unknown[]]> = {
    'write 5,000: person_identities': [
      `INSERT INTO person_identities (id_hash, id_number_sealed)
       SELECT ${hash}, 'aes256gcm:' || repeat('x', 64) FROM generate_series(1, 5000) g
       ON CONFLICT (id_hash) DO NOTHING`,
      [],
    ],
    'write 5,000: people': [
      `INSERT INTO people (id, name, id_hash, id_number_masked, status, unit_id, category, since)
       SELECT gen_random_uuid(), '基准' || g, ${hash}, '3301**********1234', 'on', $1, 'ADMIN', '2000-01-01'
       FROM generate_series(1, 5000) g`,
      [unitId],
    ],
    'write 5,000: person_events': [
      `INSERT INTO person_events (person_id, at, action, unit_id, category, unit_kind)
       SELECT id, now(), 'IMPORTED', unit_id, category, 'GOVERNMENT' FROM people WHERE since = '2000-01-01'`,
      [],
    ],
  };
  const out: Record<string, string[]> = {};
  const explain = async (name: string, sql: string, params: unknown[]) => {
    const { rows } = await pg.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    out[name] = rows.map((r) => String(r['QUERY PLAN']));
  };
  try {
    for (const [name, [sql, params]] of Object.entries(queries)) await explain(name, sql, params);
    await pg.query('BEGIN');
    for (const [name, [sql, params]] of Object.entries(writes)) await explain(name, sql, params);
  } finally {
    await pg.query('ROLLBACK').catch(() => undefined);
    await pg.end();
  }
  return out;
}

// ── The county ──

interface Unit {
  id: string;
  name: string;
  kind: string;
  /** The people the big import puts on, per category, and the places left after it. */
  people: Record<string, number>;
  roomAfter: Record<string, number>;
}

interface Person {
  name: string;
  idNumber: string;
  unit: Unit;
  category: string;
}

/**
 * Units for `count` people, 250 each, loaded by one registry import: four in five are offices (ADMIN 190 approved,
 * 150 on; PUBLIC_INSTITUTION 70, 60 on) that get 180 + 70 people, the fifth public institutions (280 approved, 240 on)
 * that get 250. So the import fills every unit's unnamed places and grows 实有 beyond them, within the quota.
 */
type Counts = Record<string, number>;

function unitPlan(count: number) {
  const kinds = ['GOVERNMENT', 'PARTY', 'TOWNSHIP', 'MASS_ORG', 'PUBLIC_INSTITUTION'];
  return Array.from({ length: Math.ceil(count / PER_UNIT) }, (_, k) => {
    const kind = kinds[k % kinds.length];
    const c = (institution: Counts, office: Counts) => (kind === 'PUBLIC_INSTITUTION' ? institution : office);
    return {
      ref: `p${k}`,
      name: `实名基准单位${String(k).padStart(4, '0')}`,
      kind,
      grade: 'SECTION',
      quotas: c({ PUBLIC_INSTITUTION: 280 }, { ADMIN: 190, PUBLIC_INSTITUTION: 70 }),
      occupied: c({ PUBLIC_INSTITUTION: 240 }, { ADMIN: 150, PUBLIC_INSTITUTION: 60 }),
      leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
      people: c({ PUBLIC_INSTITUTION: 250 }, { ADMIN: 180, PUBLIC_INSTITUTION: 70 }),
      roomAfter: c({ PUBLIC_INSTITUTION: 30 }, { ADMIN: 10, PUBLIC_INSTITUTION: 0 }),
    };
  });
}

function csvOf(rows: { name: string; idNumber: string; unitId: string; category: string }[]): string {
  return (
    'name,idNumber,unitId,category\n' + rows.map((r) => `${r.name},${r.idNumber},${r.unitId},${r.category}`).join('\n')
  );
}

const importRows = (people: Person[]) =>
  people.map((p) => ({ name: p.name, idNumber: p.idNumber, unitId: p.unit.id, category: p.category }));

/** The current month in office time (UTC+8). */
const officeMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

const MiB = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;

export interface PeopleCredentials {
  admin: { username: string; password: string };
  /** An office reader who sees ID numbers in full (reviewer). */
  office: { username: string; password: string };
  /** A county-wide reader who sees them masked (auditor). */
  auditor: { username: string; password: string };
}

export async function peopleBench(
  base: string,
  databaseUrl: string,
  who: PeopleCredentials,
  count: number,
  small: number,
) {
  // Others may share this machine: the load at the start and the end says how far to trust the times.
  const loadAtStart = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const admin = await signIn(base, who.admin.username, who.admin.password);
  const office = await signIn(base, who.office.username, who.office.password);
  const auditor = await signIn(base, who.auditor.username, who.auditor.password);
  const checks: Record<string, boolean> = {};
  const check = (name: string, ok: boolean, detail?: unknown) => {
    checks[name] = ok;
    if (!ok)
      console.error(`  people: CHECK FAILED: ${name}${detail === undefined ? '' : ` (${JSON.stringify(detail)})`}`);
  };
  const must = (what: string, r: Reply, status: number) => {
    if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 2000)}`);
    return r;
  };

  // The registry: the units that will hold the people, in one import; and one large school district whose
  // teachers (中小学教职工编制) all sit in one unit and category, for the dry run of one large place at the end.
  const plan = unitPlan(count);
  const bigPlace = Math.min(20_000, Math.round(count / 5));
  const reg = must(
    'registry import',
    await admin('POST', '/v1/registry/import', {
      units: [
        ...plan.map(({ people: _p, roomAfter: _r, ...u }) => u),
        {
          ref: 'big',
          name: '实名基准学区',
          kind: 'PUBLIC_INSTITUTION',
          grade: 'SECTION',
          quotas: { SCHOOL_STAFF: bigPlace },
          leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
        },
      ],
    }),
    201,
  );
  const units: Unit[] = plan.map((u) => ({ ...u, id: reg.json.units[u.ref] }));
  console.log(`  people: ${units.length} units loaded by one registry import in ${Math.round(reg.ms)} ms`);

  // The people: 250 a unit, numbered 0 … count-1; numbers from `count` on are strangers no import puts on.
  const t0 = performance.now();
  const people: Person[] = [];
  for (const unit of units)
    for (const [category, n] of Object.entries(unit.people))
      for (let k = 0; k < n && people.length < count; k++) {
        const i = people.length;
        people.push({ name: personName(i), idNumber: idNumber(i), unit, category });
      }
  const csv = csvOf(importRows(people));
  const json = JSON.stringify({ people: importRows(people) });
  const generateMs = Math.round(performance.now() - t0);
  check('the generated ID numbers are distinct', new Set(people.map((p) => p.idNumber)).size === count);
  console.log(
    `  people: ${count} people generated in ${generateMs} ms: CSV ${MiB(Buffer.byteLength(csv))} MiB, ` +
      `JSON ${MiB(Buffer.byteLength(json))} MiB`,
  );

  const month = officeMonth();
  const monthlyBefore = must('monthly before', await office('GET', `/v1/statistics/monthly?month=${month}`), 200).json;

  // The same file as JSON: the 5 MB JSON limit answers before anything is parsed.
  const jsonDryRun = await admin('POST', '/v1/people/import?dryRun=true', json);
  console.log(
    `  people: JSON dry run of ${count} (${MiB(Buffer.byteLength(json))} MiB): ` +
      `${jsonDryRun.status} in ${Math.round(jsonDryRun.ms)} ms`,
  );

  const timedImport = async (what: string, path: string, body: string) => {
    const sampled = await sampleDatabase(databaseUrl, () =>
      withProcessFigures(() => admin('POST', path, body, 'text/csv')),
    );
    const f = sampled.result;
    const r = f.result;
    const timeShares = sampled.shares();
    console.log(
      `  people: ${what}: ${r.status} in ${f.ms} ms (${Math.round((count / f.ms) * 1000)} rows/s); API RSS ` +
        `${f.apiRssMiB.before} → peak ${f.apiRssMiB.peak} MiB; CPU s ${JSON.stringify(f.cpuSeconds)}`,
    );
    console.log(`    where the time goes (% of wall time): ${JSON.stringify(timeShares)}`);
    return {
      r,
      figures: {
        status: r.status,
        ...f,
        result: undefined,
        rowsPerSecond: Math.round((count / f.ms) * 1000),
        timeShares,
      },
    };
  };
  const dry = await timedImport(`CSV dry run of ${count}`, '/v1/people/import?dryRun=true', csv);
  check(
    'the dry run checks every row and writes nothing',
    dry.r.status === 201 && dry.r.json?.checked === count && dry.r.json?.imported === 0,
    dry.r.json ?? dry.r.text.slice(0, 500),
  );
  const imp = await timedImport(`CSV import of ${count}`, '/v1/people/import', csv);
  check(
    'the import puts every row on',
    imp.r.status === 201 && imp.r.json?.imported === count,
    imp.r.json ?? imp.r.text.slice(0, 500),
  );

  // Every unit's 实有 after the import: the people beyond its unnamed places, in each category, on top of what it had.
  let wrongUnits = 0;
  const unitSample: { unit: string; occupied: Counts; expected: Counts }[] = [];
  for (const unit of units) {
    const u = must('unit', await office('GET', `/v1/units/${unit.id}`), 200).json;
    const expected = Object.fromEntries(Object.keys(unit.people).map((c) => [c, unit.people[c]]));
    const occupied = Object.fromEntries(Object.keys(unit.people).map((c) => [c, u.occupied?.[c]]));
    if (JSON.stringify(occupied) !== JSON.stringify(expected)) {
      wrongUnits += 1;
      if (unitSample.length < 3) unitSample.push({ unit: unit.name, occupied, expected });
    }
  }
  check('every unit has 实有 grown in every category the import filled beyond its unnamed places', wrongUnits === 0, {
    wrongUnits,
    of: units.length,
    sample: unitSample,
  });

  // The same file a second time (an admin's slip): every row is already on; the answer names all of them.
  const again = await timedImport(`the same ${count} again`, '/v1/people/import?dryRun=true', csv);
  const againProblems: { rule?: string }[] = again.r.json?.details ?? [];
  const againByRule: Counts = {};
  for (const p of againProblems) againByRule[p.rule ?? '?'] = (againByRule[p.rule ?? '?'] ?? 0) + 1;
  check(
    'the same file again is refused, every row PERSON_ALREADY_ON',
    again.r.status === 400 && againByRule.PERSON_ALREADY_ON === count,
    { status: again.r.status, byRule: againByRule },
  );
  console.log(`  people: the same file again: ${againProblems.length} problems ${JSON.stringify(againByRule)}`);

  // The monthly report right after: the table at month end has every imported person by name, and 实有 grown by
  // the people beyond each unit's unnamed places.
  const monthlyJson: number[] = [];
  const monthlyCsv: number[] = [];
  let report: Json;
  let reportCsv = '';
  for (let i = 0; i < 20; i++) {
    const r = must('monthly', await office('GET', `/v1/statistics/monthly?month=${month}`), 200);
    monthlyJson.push(r.ms);
    report = r.json;
    const c = must('monthly csv', await office('GET', `/v1/statistics/monthly?month=${month}&format=csv`), 200);
    monthlyCsv.push(c.ms);
    reportCsv = c.text;
  }
  type Row = { named: number; occupied: number };
  const sum = (rows: Row[], k: keyof Row) => rows.reduce((a, r) => a + r[k], 0);
  const grown = plan.reduce((a, u) => a + Object.entries(u.people).reduce((b, [c, n]) => b + n - u.occupied[c], 0), 0);
  const named = { before: sum(monthlyBefore.table, 'named'), after: sum(report.table, 'named') };
  check('the monthly table names every imported person', named.after - named.before === count, named);
  const occupied = { before: sum(monthlyBefore.table, 'occupied'), after: sum(report.table, 'occupied'), grown };
  check(
    'the monthly table has 实有 grown by the people beyond the unnamed places',
    occupied.after - occupied.before === grown,
    occupied,
  );
  // 实名 can never exceed 实有: a row where it does is 实有 undercounted.
  const namedOverOccupied = (report.table as (Row & { unitKind: string; category: string })[])
    .filter((r) => r.named > r.occupied)
    .map((r) => `${r.unitKind}/${r.category}: 实名 ${r.named} > 实有 ${r.occupied}`);
  check(
    'no monthly table row has more people by name than on establishment',
    !namedOverOccupied.length,
    namedOverOccupied,
  );
  check(
    'the monthly CSV has a line per table row',
    reportCsv.split('\r\n').filter((l) => l && !l.startsWith('month')).length >= report.table.length,
  );
  console.log(
    `  people: monthly report p50/p99 JSON ${stats(monthlyJson).p50}/${stats(monthlyJson).p99} ms, ` +
      `CSV ${stats(monthlyCsv).p50}/${stats(monthlyCsv).p99} ms`,
  );

  // The people list: a unit's first page, a whole ID number, a part of a name, the whole county; as the office
  // (sees ID numbers in full) and as the auditor (masked).
  const lat: Record<string, number[]> = {};
  let wrongLists = 0;
  const time = async (name: string, c: Client, path: string, okay: (body: Json) => boolean) => {
    const r = must(name, await c('GET', path), 200);
    (lat[name] ??= []).push(r.ms);
    if (!okay(r.json)) {
      wrongLists += 1;
      check(`${name}: the answer is right`, false, { path, total: r.json?.total });
    }
  };
  for (let i = 0; i < 100; i++) {
    const p = people[(i * 997) % count];
    const unit = units[i % units.length];
    const perUnit = Object.values(unit.people).reduce((a, n) => a + n, 0);
    for (const [who, c] of [
      ['office', office],
      ['auditor', auditor],
    ] as const) {
      // The office sees the number in full, everyone else only masked.
      const shown = (item: Json) => (who === 'office' ? item.idNumber === p.idNumber : item.idNumber === undefined);
      await time(`by unit, page of 20 (${who})`, c, `/v1/people?unitId=${unit.id}&pageSize=20`, (b) => {
        return b.total === perUnit && b.items.length === 20;
      });
      await time(`by whole ID number (${who})`, c, `/v1/people?q=${p.idNumber}`, (b) => {
        return b.total === 1 && b.items[0].name === p.name && shown(b.items[0]);
      });
      if (i % 4 === 0) {
        await time(`by unit, page of 200 (${who})`, c, `/v1/people?unitId=${unit.id}&pageSize=200`, (b) => {
          return b.items.length === 200;
        });
        const part = encodeURIComponent(p.name.slice(0, 2));
        await time(`part of a name, page of 20 (${who})`, c, `/v1/people?q=${part}`, (b) => b.total >= 1);
        await time(`whole county, page of 20 (${who})`, c, `/v1/people?pageSize=20&page=${1 + i}`, (b) => {
          return b.total >= count && b.items.length === 20;
        });
      }
    }
  }
  check('every people list answer is right', wrongLists === 0, { wrong: wrongLists });
  const queryPlans = await plans(databaseUrl, units[0].id, people[0].name.slice(0, 2));
  const list = Object.fromEntries(Object.entries(lat).map(([k, v]) => [k, stats(v)]));
  for (const [k, v] of Object.entries(list))
    console.log(`  people: GET /v1/people ${k}: p50 ${v.p50} ms, p99 ${v.p99} ms`);

  // A payroll roster of `count` rows with planted differences: 7 people left off, 5 strangers, 3 in another unit,
  // 2 numbers with a wrong check character; the units named by name on even rows and by id on odd ones.
  const leftOff = new Set([3, 1_000, 20_000, 45_678, 70_001, 88_888, count - 1].map((i) => i % count));
  const moved = new Set([10, 33_333, 77_777].map((i) => (i % count) + 1).filter((i) => !leftOff.has(i)));
  const roster: string[] = ['name,idNumber,unit'];
  people.forEach((p, i) => {
    if (leftOff.has(i)) return;
    const unit = moved.has(i) ? units[(units.indexOf(p.unit) + 1) % units.length] : p.unit;
    roster.push(`${p.name},${p.idNumber},${i % 2 ? unit.id : unit.name}`);
  });
  for (let k = 0; k < 5; k++) roster.push(`${personName(count + k)},${idNumber(count + k)},${units[k].name}`);
  for (let k = 5; k < 7; k++)
    roster.push(`${personName(count + k)},${withWrongCheck(idNumber(count + k))},${units[k].id}`);
  const rosterCsv = roster.join('\n');
  const expected = {
    rosterRows: roster.length - 1,
    peopleOn: count,
    notOnEstablishment: 5,
    notOnRoster: leftOff.size,
    unitDiffers: moved.size,
    invalid: 2,
  };
  const reconciles = [];
  for (let i = 0; i < 3; i++) {
    const f = await withProcessFigures(() => office('POST', '/v1/people/reconcile', rosterCsv, 'text/csv'));
    must('reconcile', f.result, 201);
    const counts = f.result.json.counts;
    const same = JSON.stringify(counts) === JSON.stringify(expected);
    check(`reconciliation ${i + 1} finds what was planted`, same, { counts, expected });
    const off = new Set((f.result.json.notOnRoster as { idNumberMasked: string }[]).map((x) => x.idNumberMasked));
    const masked = (id: string) => `${id.slice(0, 4)}${'*'.repeat(10)}${id.slice(14)}`;
    const namesLeftOff = [...leftOff].every((k) => off.has(masked(people[k].idNumber)));
    check(`reconciliation ${i + 1} names the people left off`, namesLeftOff);
    reconciles.push({ ...f, result: undefined, counts });
  }
  const rssPeak = Math.max(...reconciles.map((r) => r.apiRssMiB.peak));
  console.log(
    `  people: reconciliation of ${expected.rosterRows} rows (${MiB(Buffer.byteLength(rosterCsv))} MiB): ` +
      `${reconciles.map((r) => r.ms).join(', ')} ms; API RSS peak ${rssPeak} MiB`,
  );

  // An import of `small` more people into the places left, with two bad rows: one check character wrong, one
  // person twice. The answer must name exactly those two rows; the same file with them mended, as a dry run, for
  // comparison.
  const places = units.flatMap((u) =>
    Object.entries(u.roomAfter).flatMap(([c, n]) => Array.from({ length: n }, () => ({ u, c }))),
  );
  const more: Person[] = Array.from({ length: Math.min(small, places.length) }, (_, k) => ({
    name: personName(count + 100 + k),
    idNumber: idNumber(count + 100 + k), // strangers: no import or roster has them
    unit: places[k].u,
    category: places[k].c,
  }));
  const badCheck = Math.floor(more.length * 0.25);
  const twice = Math.floor(more.length * 0.7);
  const good = csvOf(importRows(more));
  const badRows = importRows(more);
  badRows[badCheck] = { ...badRows[badCheck], idNumber: withWrongCheck(badRows[badCheck].idNumber) };
  badRows[twice] = { ...badRows[twice], idNumber: badRows[10].idNumber };
  const bad = csvOf(badRows);
  const refusals: number[] = [];
  const validDry: number[] = [];
  let refusal: Reply | null = null;
  for (let i = 0; i < 5; i++) {
    refusal = await admin('POST', '/v1/people/import', bad, 'text/csv');
    refusals.push(refusal.ms);
    validDry.push(
      must('the mended file, dry run', await admin('POST', '/v1/people/import?dryRun=true', good, 'text/csv'), 201).ms,
    );
  }
  const problems: { row?: number; rule?: string }[] = refusal?.json?.details ?? [];
  check(
    `the import of ${more.length} with two bad rows is refused naming exactly those rows`,
    refusal?.status === 400 &&
      problems.length === 2 &&
      problems[0].row === badCheck &&
      problems[0].rule === 'INVALID_ID_NUMBER' &&
      problems[1].row === twice &&
      problems[1].rule === 'DUPLICATE_PERSON',
    { status: refusal?.status, problems },
  );
  console.log(
    `  people: import of ${more.length} with two bad rows refused (${refusal?.status}) in ` +
      `p50 ${stats(refusals).p50} ms; the mended file's dry run ${stats(validDry).p50} ms`,
  );
  // The dry run of one large place: `bigPlace` teachers into the school district's one unit and category, against
  // the big import's rows per second over hundreds of places of at most 250.
  const placesFilled = units.reduce((a, u) => a + Object.keys(u.people).length, 0);
  const teachers = Array.from({ length: bigPlace }, (_, k) => {
    const i = count + 10_000 + k; // strangers again, none on record
    return { name: personName(i), idNumber: idNumber(i), unitId: reg.json.units.big, category: 'SCHOOL_STAFF' };
  });
  const oneBig = await sampleDatabase(databaseUrl, () =>
    withProcessFigures(() => admin('POST', '/v1/people/import?dryRun=true', csvOf(teachers), 'text/csv')),
  );
  must('the dry run of one large place', oneBig.result.result, 201);
  const bigPlaceFigures = {
    rows: bigPlace,
    ...oneBig.result,
    result: undefined,
    rowsPerSecond: Math.round((bigPlace / oneBig.result.ms) * 1000),
    timeShares: oneBig.shares(),
  };
  console.log(
    `  people: dry run of ${bigPlace} into one unit and category: ${oneBig.result.ms} ms ` +
      `(${bigPlaceFigures.rowsPerSecond} rows/s, against ${dry.figures.rowsPerSecond} rows/s for ${count} ` +
      `in ${placesFilled} places)` +
      `; where the time goes: ${JSON.stringify(bigPlaceFigures.timeShares)}`,
  );

  const failed = Object.entries(checks).filter(([, ok]) => !ok);
  console.log(`  people: ${Object.keys(checks).length - failed.length} of ${Object.keys(checks).length} checks hold`);

  return {
    loadAverage: { start: loadAtStart, end: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    people: count,
    units: units.length,
    registryImportMs: Math.round(reg.ms),
    generateMs,
    csvMiB: MiB(Buffer.byteLength(csv)),
    jsonMiB: MiB(Buffer.byteLength(json)),
    jsonDryRun: { status: jsonDryRun.status, ms: Math.round(jsonDryRun.ms), error: jsonDryRun.json?.code ?? null },
    csvDryRun: dry.figures,
    csvImport: imp.figures,
    sameFileAgain: {
      ...again.figures,
      problems: againProblems.length,
      byRule: againByRule,
      responseMiB: MiB(Buffer.byteLength(again.r.text)),
    },
    monthly: {
      month,
      json: stats(monthlyJson),
      csv: stats(monthlyCsv),
      tableRows: report.table.length,
      named,
      occupied,
      namedOverOccupied,
    },
    unitsWithOccupiedWrong: wrongUnits,
    list,
    queryPlans,
    reconcile: { rows: expected.rosterRows, rosterMiB: MiB(Buffer.byteLength(rosterCsv)), runs: reconciles },
    refusal: {
      rows: more.length,
      badRows: [badCheck, twice],
      status: refusal?.status,
      ms: stats(refusals),
      mendedDryRunMs: stats(validDry),
    },
    oneLargePlaceDryRun: { ...bigPlaceFigures, comparedWith: { rows: count, places: placesFilled } },
    checks,
    failedChecks: failed.map(([k]) => k),
  };
}
