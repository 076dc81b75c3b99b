import { describe, expect, it } from 'vitest';
import {
  historySentence,
  importLines,
  importProblem,
  monthTable,
  moveRows,
  namedRows,
  payloadPeople,
  payloadSummary,
  peopleTemplateCsv,
  rosterLine,
  thisMonth,
  type HistoryEntry,
} from './model';

// 实名制's words, computed from the API's answers: a people request's payload, a person's moves, 实名 and 未实名,
// the monthly tables, and the import's problems (apps/api/src/people/people.service.ts) said by row.

const NAMES: Record<string, string> = { fin: '县财政局', edu: '县教育局', gone: '县扶贫开发局' };
const name = (id?: string) => (id ? (NAMES[id] ?? '该单位') : '该单位');
const filed = { name: '张三', idHash: 'h1', idNumberMasked: '1101**********002X' };
const onFile = (unitId: string) => ({ name: '李四', idNumberMasked: '4405**********0014', unitId, category: 'ADMIN' });

describe("a people request's payload in words", () => {
  it('lists an enrolment of one person with the unit, the category and the channel', () => {
    const people = payloadPeople('ENROL_PERSON', {
      unitId: 'fin',
      category: 'ADMIN',
      channel: 'VETERAN',
      person: filed,
    });
    expect(people).toEqual([
      {
        key: '0',
        personId: undefined,
        name: '张三',
        idNumberMasked: '1101**********002X',
        unitId: 'fin',
        category: 'ADMIN',
        channel: 'VETERAN',
      },
    ]);
    expect(payloadSummary('ENROL_PERSON', people, name)).toBe('张三上编到县财政局行政编制');
  });

  it('lists a batch line by line and says how many', () => {
    const line = { unitId: 'edu', category: 'SCHOOL_STAFF', channel: 'RECRUITED', person: filed };
    const people = payloadPeople('ENROL_PERSON', { lines: [line, { ...line, person: { ...filed, name: '王五' } }] });
    expect(people.map((p) => p.name)).toEqual(['张三', '王五']);
    expect(payloadSummary('ENROL_PERSON', people, name)).toBe('张三等 2 人上编到县教育局中小学教职工编制');
  });

  it('names where the person was on when a 下编 or 调动 was filed', () => {
    const off = payloadPeople('DISENROL_PERSON', {
      personId: 'p1',
      reason: 'RETIRED',
      date: '2026-12-31',
      person: onFile('fin'),
    });
    expect(off[0]).toMatchObject({
      personId: 'p1',
      name: '李四',
      fromUnitId: 'fin',
      reason: 'RETIRED',
      date: '2026-12-31',
    });
    expect(payloadSummary('DISENROL_PERSON', off, name)).toBe('李四从县财政局下编');
    const moved = payloadPeople('TRANSFER_PERSON', {
      personId: 'p1',
      toUnitId: 'edu',
      category: 'PUBLIC_INSTITUTION',
      person: onFile('fin'),
    });
    expect(moved[0]).toMatchObject({
      fromUnitId: 'fin',
      fromCategory: 'ADMIN',
      unitId: 'edu',
      category: 'PUBLIC_INSTITUTION',
    });
    expect(payloadSummary('TRANSFER_PERSON', moved, name)).toBe('李四调动到县教育局事业编制');
  });

  it('says so when the records had the person off when the request was filed', () => {
    const [p] = payloadPeople('DISENROL_PERSON', { personId: 'p9', reason: 'OTHER', date: '2026-01-01' });
    expect(p).toMatchObject({ personId: 'p9', name: '（申请时查无在编记录）', idNumberMasked: '' });
    expect(p.fromUnitId).toBeUndefined();
  });
});

describe("a person's history", () => {
  const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
    at: '2026-03-01T02:00:00.000Z',
    action: 'ENROLLED',
    unitId: 'fin',
    category: 'ADMIN',
    fromUnitId: null,
    fromCategory: null,
    channel: null,
    reason: null,
    date: null,
    requestId: null,
    documentNumber: null,
    ...over,
  });

  it('says each move with the units by name', () => {
    expect(historySentence(entry({ action: 'IMPORTED' }), name)).toBe('导入实名制信息：县财政局 行政编制');
    expect(historySentence(entry({ channel: 'RECRUITED' }), name)).toBe('上编到 县财政局 行政编制（公开招聘）');
    expect(historySentence(entry({ action: 'DISENROLLED', reason: 'RETIRED', date: '2026-12-31' }), name)).toBe(
      '从 县财政局 行政编制 下编（退休，2026-12-31）',
    );
    expect(historySentence(entry({ action: 'DISENROLLED' }), name)).toBe('从 县财政局 行政编制 下编');
    expect(
      historySentence(
        entry({
          action: 'TRANSFERRED',
          unitId: 'edu',
          category: 'PUBLIC_INSTITUTION',
          fromUnitId: 'fin',
          fromCategory: 'ADMIN',
        }),
        name,
      ),
    ).toBe('从 县财政局 行政编制 调动到 县教育局 事业编制');
    expect(historySentence(entry({ action: 'MOVED_WITH_UNIT', unitId: 'edu', fromUnitId: 'gone' }), name)).toBe(
      '县扶贫开发局撤并，随单位转入 县教育局 行政编制',
    );
  });
});

describe('实有, 实名 and 未实名', () => {
  it('counts the people on by category against the unit’s occupied figures', () => {
    const people = [{ category: 'ADMIN' }, { category: 'ADMIN' }, { category: 'PUBLIC_INSTITUTION' }];
    expect(namedRows({ ADMIN: 10, PUBLIC_INSTITUTION: 1, CONTRACT: 0 }, people)).toEqual([
      { category: 'ADMIN', occupied: 10, named: 2, unnamed: 8 },
      { category: 'PUBLIC_INSTITUTION', occupied: 1, named: 1, unnamed: 0 },
    ]);
  });
});

describe('月报', () => {
  it('orders the moves by unit kind and category and adds them up', () => {
    const rows = moveRows([
      { unitKind: 'PUBLIC_INSTITUTION', category: 'PUBLIC_INSTITUTION', count: 2 },
      { unitKind: 'GOVERNMENT', category: 'ADMIN', count: 3 },
      { unitKind: 'PARTY', category: 'ADMIN', count: 1 },
    ]);
    expect(rows.map((r) => [r.key, r.count])).toEqual([
      ['PARTY/ADMIN', 1],
      ['GOVERNMENT/ADMIN', 3],
      ['PUBLIC_INSTITUTION/PUBLIC_INSTITUTION', 2],
      ['sum', 6],
    ]);
    expect(moveRows([{ unitKind: 'PARTY', category: 'ADMIN', count: 1 }])).toHaveLength(1); // no 合计 of one row
  });

  it('gives the seed-004 table with 未实名 and a 合计', () => {
    const row = (
      unitKind: string,
      category: string,
      approved: number,
      occupied: number,
      pending: number,
      named: number,
    ) => ({
      unitKind,
      category: category as 'ADMIN',
      approved,
      occupied,
      vacant: approved - occupied,
      pending,
      actualVacant: approved - occupied - pending,
      named,
    });
    const table = monthTable([row('GOVERNMENT', 'ADMIN', 100, 90, 2, 85), row('PARTY', 'ADMIN', 40, 38, 0, 38)]);
    expect(table.map((r) => [r.key, r.occupied, r.named, r.unnamed, r.actualVacant])).toEqual([
      ['PARTY/ADMIN', 38, 38, 0, 2],
      ['GOVERNMENT/ADMIN', 90, 85, 5, 8],
      ['sum', 128, 123, 5, 10],
    ]);
  });

  it('takes this month on the office’s clock', () => {
    expect(thisMonth(Date.parse('2026-11-30T17:00:00Z'))).toBe('2026-12'); // 01:00 on 1 December in China
    expect(thisMonth(Date.parse('2026-11-30T15:00:00Z'))).toBe('2026-11');
  });
});

describe('核查 and 人员导入', () => {
  it('names a roster row by its line in the file (the header is line 1)', () => {
    expect(rosterLine(0)).toBe('第 2 行');
    expect(rosterLine(undefined)).toBe('');
  });

  it('says each problem of a people file by row and column, in words', () => {
    const details = [
      {
        field: 'people[0].idNumber',
        problem: "the check character is 1, the number's is X (GB 11643)",
        rule: 'INVALID_ID_NUMBER',
        row: 0,
      },
      { field: 'people[2].idNumber', problem: 'the same person as people[1]', rule: 'DUPLICATE_PERSON', row: 2 },
      { field: 'people[3].unitId', problem: 'unit x does not exist', rule: 'UNIT_NOT_FOUND', row: 3 },
      { field: 'people[4].category', problem: 'category must be one of the following values: ADMIN, …' },
      {
        field: 'people[5].idNumber',
        problem: 'already on the establishment of 县财政局',
        rule: 'PERSON_ALREADY_ON',
        row: 5,
      },
      {
        field: 'people[6].unitId',
        problem:
          '县财政局 has 1 ADMIN places to fill beyond its 18 on (approved 20, loaned 0, pending 1); this file puts 4 on',
        rule: 'QUOTA_FULL',
        row: 6,
      },
    ];
    expect(importLines(details, 'csv')).toEqual([
      { row: 2, column: '公民身份号码', problem: '公民身份号码校验码不符：末位是 1，应为 X' },
      { row: 4, column: '公民身份号码', problem: '与第 3 行是同一人（公民身份号码相同）' },
      { row: 5, column: '单位（ID）', problem: '没有这个 ID 的单位' },
      { row: 6, column: '编制类别', problem: expect.stringMatching(/^应填以下之一：ADMIN（行政编制）、/) },
      { row: 7, column: '公民身份号码', problem: '此人已在县财政局在编，一人只能占用一个编制' },
      {
        row: 8,
        column: '单位（ID）',
        problem: '县财政局该类编制实有 18 人、尚可进 1 人，文件中共 4 人，超出的部分不能导入（满编、超编单位不得进人）',
      },
    ]);
    expect(importLines(details.slice(0, 1), 'json')[0].row).toBe(1);
    expect(importLines([{ field: 'csv', problem: 'Invalid Record Length' }], 'csv')).toEqual([
      { row: null, column: '文件格式', problem: '文件不是有效的 CSV：请按模板填写，逗号分隔，UTF-8 编码' },
    ]);
  });

  it('says an ID number’s fault as the roster check reports it', () => {
    expect(importProblem({ problem: '20230229 is no birth date', rule: 'INVALID_ID_NUMBER' })).toBe(
      '公民身份号码中的 20230229 不是有效的出生日期',
    );
    expect(
      importProblem({ problem: 'an ID number is 17 digits and a check character', rule: 'INVALID_ID_NUMBER' }),
    ).toBe('公民身份号码应为 17 位数字加 1 位校验码（数字或 X）');
  });

  it('gives a template the import reads', () => {
    const [header, example] = peopleTemplateCsv('u1')
      .replace(/^\uFEFF/, '')
      .split('\r\n');
    expect(header).toBe('name,idNumber,unitId,category');
    expect(example).toBe('张三,11010519491231002X,u1,ADMIN');
  });
});
