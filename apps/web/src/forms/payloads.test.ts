import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { FORM_TYPES, type FormType } from '../domain/labels';
import { batchField, buildPayload, FORM_FIELDS, payloadToValues, placeFieldProblems } from './payloads';

// Every change type's form makes a payload the API's payload validation accepts. The checks mirror
// apps/api/src/change-requests/payload.dto.ts (the console may not import the API): required keys, UUIDs,
// enumerations, integer bounds, dates as YYYY-MM-DD, no keys the DTO does not know.

const A = '0b6f6a0e-1c1a-4c6e-9a53-0c7b1c1e0001';
const B = '0b6f6a0e-1c1a-4c6e-9a53-0c7b1c1e0002';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CATEGORY = ['ADMIN', 'POLITICAL_LEGAL', 'PUBLIC_INSTITUTION', 'SCHOOL_STAFF', 'CONTRACT'];
const GRADE = ['COUNTY', 'DEPUTY_COUNTY', 'SECTION', 'DEPUTY_SECTION', 'STOCK', 'UNGRADED'];
const KIND = ['PARTY', 'GOVERNMENT', 'PEOPLES_CONGRESS', 'CPPCC', 'MASS_ORG', 'PUBLIC_INSTITUTION', 'TOWNSHIP'];
const count = (n: unknown) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 100_000;
const posts = (p: unknown) =>
  Array.isArray(p) &&
  p.every((x) => GRADE.includes(x.grade) && Number.isInteger(x.principal) && Number.isInteger(x.deputy));
const CHANNEL = ['RECRUITED', 'SELECTED', 'TRANSFERRED_IN', 'VETERAN', 'OTHER'];
const REASON = ['RETIRED', 'RESIGNED', 'DISMISSED', 'DECEASED', 'TRANSFERRED_OUT', 'OTHER'];
/** PersonIdentityDto: a name of 1..100 characters, an ID number of 18 (the API checks its check character). */
const person = (v: unknown) => {
  const p = v as { name?: unknown; idNumber?: unknown };
  return (
    typeof p?.name === 'string' &&
    p.name.length >= 1 &&
    p.name.length <= 100 &&
    typeof p.idNumber === 'string' &&
    /^\d{17}[\dX]$/.test(p.idNumber) &&
    Object.keys(p).length === 2
  );
};
const strings = (s: unknown) => Array.isArray(s) && new Set(s).size === s.length && s.every((x) => x.length >= 1);

/** The DTO's rules per type, as predicates over the payload's keys (API.md "Change request payloads"). */
const DTO: Record<FormType, Record<string, (v: unknown) => boolean>> = {
  ESTABLISH_UNIT: {
    name: (v) => typeof v === 'string' && v.length >= 1 && v.length <= 200,
    kind: (v) => KIND.includes(v as string),
    grade: (v) => GRADE.includes(v as string),
    quotas: (v) => Object.entries(v as object).every(([k, n]) => CATEGORY.includes(k) && Number.isInteger(n)),
    leadershipPosts: posts,
    sections: strings,
  },
  ABOLISH_UNIT: { unitId: (v) => UUID.test(v as string) },
  MERGE_UNITS: {
    sourceIds: (v) => Array.isArray(v) && v.length >= 1 && v.every((x) => UUID.test(x)),
    targetId: (v) => UUID.test(v as string),
  },
  RENAME_UNIT: { unitId: (v) => UUID.test(v as string), newName: (v) => typeof v === 'string' && v.length >= 1 },
  ADD_NAME_PLATE: { unitId: (v) => UUID.test(v as string), namePlate: (v) => typeof v === 'string' && v.length >= 1 },
  CHANGE_GRADE: { unitId: (v) => UUID.test(v as string), grade: (v) => GRADE.includes(v as string) },
  ADJUST_SECTIONS: { unitId: (v) => UUID.test(v as string), add: strings, remove: strings },
  ADJUST_QUOTA: {
    unitId: (v) => UUID.test(v as string),
    category: (v) => CATEGORY.includes(v as string),
    delta: (v) => Number.isInteger(v) && v !== 0,
  },
  TRANSFER_QUOTA: {
    lines: (v) =>
      Array.isArray(v) &&
      v.length >= 1 &&
      v.every(
        (l) => UUID.test(l.fromUnitId) && UUID.test(l.toUnitId) && CATEGORY.includes(l.category) && count(l.count),
      ),
  },
  CONVERT_QUOTA: {
    unitId: (v) => UUID.test(v as string),
    fromCategory: (v) => CATEGORY.includes(v as string),
    toCategory: (v) => CATEGORY.includes(v as string),
    count,
  },
  ADJUST_LEADERSHIP: { unitId: (v) => UUID.test(v as string), posts },
  LEND_POOL_QUOTA: {
    loans: (v) => Array.isArray(v) && v.length >= 1 && v.every((l) => UUID.test(l.unitId) && count(l.count)),
    dueDate: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v as string),
  },
  USE_QUOTA: { unitId: (v) => UUID.test(v as string), category: (v) => CATEGORY.includes(v as string), count },
  ENROL_PERSON: {
    unitId: (v) => UUID.test(v as string),
    category: (v) => CATEGORY.includes(v as string),
    person: person,
    channel: (v) => CHANNEL.includes(v as string),
  },
  DISENROL_PERSON: {
    personId: (v) => UUID.test(v as string),
    reason: (v) => REASON.includes(v as string),
    date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v as string),
  },
  TRANSFER_PERSON: {
    personId: (v) => UUID.test(v as string),
    toUnitId: (v) => UUID.test(v as string),
    category: (v) => CATEGORY.includes(v as string),
  },
};
const OPTIONAL: Record<string, string[]> = {
  ESTABLISH_UNIT: ['parentId', 'funding', 'namePlates'],
  ABOLISH_UNIT: ['quotaTo', 'peopleTo'],
};

/** What a person enters in each form (antd's values: numbers from InputNumber, dayjs from DatePicker). */
const FILLED: Record<FormType, Record<string, unknown>> = {
  ESTABLISH_UNIT: {
    name: ' 县数据局 ',
    kind: 'GOVERNMENT',
    grade: 'SECTION',
    quotas: { ADMIN: 8, CONTRACT: 0 },
    leadershipPosts: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
    sections: ['综合股', '综合股', ' 数据股'],
  },
  ABOLISH_UNIT: { unitId: A, quotaTo: B },
  MERGE_UNITS: { sourceIds: [A], targetId: B },
  RENAME_UNIT: { unitId: A, newName: '县数据局' },
  ADD_NAME_PLATE: { unitId: A, namePlate: '县政务服务中心' },
  CHANGE_GRADE: { unitId: A, grade: 'DEPUTY_COUNTY' },
  ADJUST_SECTIONS: { unitId: A, add: ['法规股'] },
  ADJUST_QUOTA: { unitId: A, category: 'ADMIN', delta: -2 },
  TRANSFER_QUOTA: { lines: [{ fromUnitId: A, toUnitId: B, category: 'PUBLIC_INSTITUTION', count: 4 }] },
  CONVERT_QUOTA: { unitId: A, fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count: 1 },
  ADJUST_LEADERSHIP: { unitId: A, posts: [{ grade: 'SECTION', principal: 1, deputy: 3 }] },
  LEND_POOL_QUOTA: { loans: [{ unitId: A, category: 'PUBLIC_INSTITUTION', count: 2 }], dueDate: dayjs('2027-06-30') },
  USE_QUOTA: { unitId: A, category: 'ADMIN', count: 3 },
  ENROL_PERSON: {
    unitId: A,
    category: 'ADMIN',
    channel: 'RECRUITED',
    mode: 'one',
    person: { name: ' 张三 ', idNumber: '11010519491231002x' },
  },
  DISENROL_PERSON: { personId: A, reason: 'RETIRED', date: dayjs('2026-12-31') },
  TRANSFER_PERSON: { personId: A, toUnitId: B, category: 'PUBLIC_INSTITUTION' },
};

describe('change-type forms', () => {
  it('covers the thirteen registry types and the three people types', () => {
    expect(FORM_TYPES).toHaveLength(16);
    expect(Object.keys(FORM_FIELDS).sort()).toEqual([...FORM_TYPES].sort());
  });

  it.each(FORM_TYPES)('%s makes a payload the API accepts', (type) => {
    const payload = buildPayload(type, FILLED[type]);
    for (const [key, ok] of Object.entries(DTO[type])) {
      expect({ key, ok: ok(payload[key]) }).toEqual({ key, ok: true });
    }
    const known = [...Object.keys(DTO[type]), ...(OPTIONAL[type] ?? [])];
    expect(Object.keys(payload).filter((k) => !known.includes(k))).toEqual([]);
  });

  it('trims and de-duplicates lists, drops zero quotas and formats dates', () => {
    expect(buildPayload('ESTABLISH_UNIT', FILLED.ESTABLISH_UNIT)).toMatchObject({
      name: '县数据局',
      quotas: { ADMIN: 8 },
      sections: ['综合股', '数据股'],
    });
    expect(buildPayload('LEND_POOL_QUOTA', FILLED.LEND_POOL_QUOTA).dueDate).toBe('2027-06-30');
    expect(buildPayload('ADJUST_SECTIONS', { unitId: A, add: ['法规股'] })).toEqual({
      unitId: A,
      add: ['法规股'],
      remove: [],
    });
  });

  it('leaves optional units out rather than sending null', () => {
    expect(buildPayload('ABOLISH_UNIT', { unitId: A, quotaTo: undefined, peopleTo: null })).toEqual({ unitId: A });
  });
});

describe('the people forms (实名制)', () => {
  it('sends one person with the ID number as the API compares it', () => {
    expect(buildPayload('ENROL_PERSON', FILLED.ENROL_PERSON)).toEqual({
      unitId: A,
      category: 'ADMIN',
      channel: 'RECRUITED',
      person: { name: '张三', idNumber: '11010519491231002X' },
    });
  });

  it('sends a pasted batch as lines, each with the unit, category and channel', () => {
    const payload = buildPayload('ENROL_PERSON', {
      unitId: A,
      category: 'SCHOOL_STAFF',
      channel: 'RECRUITED',
      mode: 'batch',
      batch: '姓名,身份证号\n张三,11010519491231002X\n\n李四\t440524188001010014\n',
    });
    expect(payload).toEqual({
      lines: [
        {
          unitId: A,
          category: 'SCHOOL_STAFF',
          channel: 'RECRUITED',
          person: { name: '张三', idNumber: '11010519491231002X' },
        },
        {
          unitId: A,
          category: 'SCHOOL_STAFF',
          channel: 'RECRUITED',
          person: { name: '李四', idNumber: '440524188001010014' },
        },
      ],
    });
    const lines = payload.lines as Record<string, unknown>[];
    expect(lines.every((l) => person(l.person) && CHANNEL.includes(l.channel as string))).toBe(true);
  });

  it('prefills a returned request without what the API keeps sealed', () => {
    const filed = { name: '张三', idHash: 'h', idNumberMasked: '1101**********002X' };
    expect(
      payloadToValues('ENROL_PERSON', { unitId: A, category: 'ADMIN', channel: 'VETERAN', person: filed }),
    ).toEqual({ unitId: A, category: 'ADMIN', channel: 'VETERAN', person: { name: '张三' } });
    expect(
      payloadToValues('ENROL_PERSON', { lines: [{ unitId: A, category: 'ADMIN', channel: 'VETERAN', person: filed }] }),
    ).toEqual({ unitId: A, category: 'ADMIN', channel: 'VETERAN', mode: 'batch' });
    const where = { name: '张三', idNumberMasked: '1101**********002X', unitId: A, category: 'ADMIN' };
    expect(payloadToValues('TRANSFER_PERSON', { personId: A, toUnitId: B, category: 'ADMIN', person: where })).toEqual({
      personId: A,
      toUnitId: B,
      category: 'ADMIN',
    });
  });

  it('puts a batch line’s problem at the pasted rows, with the line it came from', () => {
    expect(batchField('payload.lines[3].person.idNumber')).toEqual({ field: 'payload.batch', at: 3 });
    expect(batchField('payload.person.idNumber')).toEqual({ field: 'payload.person.idNumber' });
    const pasted = '姓名,身份证号\n张三,11010519491231002X\n\n李四,440524188001010014';
    expect(
      placeFieldProblems(
        [
          { field: 'payload.lines[1].person.idNumber', problem: '出生日期 1880-01-01 晚于今天' },
          { field: 'payload.lines[0].person.name', problem: '不能为空' },
          { field: 'payload.lines[7].channel', problem: '请从列表中选择' },
          { field: 'payload.unitId', problem: '请从列表中选择' },
        ],
        pasted,
      ),
    ).toEqual([
      {
        field: 'payload.batch',
        errors: [
          '第 4 行（李四）：出生日期 1880-01-01 晚于今天',
          '第 2 行（张三）：不能为空',
          '第 8 人：请从列表中选择',
        ],
      },
      { field: 'payload.unitId', errors: ['请从列表中选择'] },
    ]);
  });
});
