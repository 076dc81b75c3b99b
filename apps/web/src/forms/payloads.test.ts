import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { FORM_TYPES, type FormType } from '../domain/labels';
import { buildPayload, FORM_FIELDS } from './payloads';

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
};

describe('change-type forms', () => {
  it('covers the thirteen types of the console', () => {
    expect(FORM_TYPES).toHaveLength(13);
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
