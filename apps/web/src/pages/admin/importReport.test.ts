import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  columnLabel,
  importProblemInWords,
  importReport,
  isJsonFile,
  templateCsv,
  TEMPLATE_COLUMNS,
} from './importReport';

// The import check's report as the admin reads it: the row of the file (a CSV's line, after its header), the
// column, the problem in words; and the template's columns are the ones the API reads.

const IMPORTER = fs.readFileSync(path.resolve(__dirname, '../../../../api/src/registry/import.service.ts'), 'utf8');

describe('the report', () => {
  it('names the CSV line (index + 2), the column and the problem, by row', () => {
    const lines = importReport(
      [
        { field: 'units[3].creditCode', problem: 'the check character does not match (GB 32100-2015)' },
        { field: 'units[1].PUBLIC_INSTITUTION', problem: 'x is not a whole number' },
        { field: 'units[1].quotas.PUBLIC_INSTITUTION', problem: 'PUBLIC_INSTITUTION must be an integer number' },
        { field: 'units[1].quotas.PUBLIC_INSTITUTION', problem: 'PUBLIC_INSTITUTION must not be less than 0' },
        { field: 'units[1].quotas.PUBLIC_INSTITUTION', problem: 'PUBLIC_INSTITUTION must not be greater than 1000000' },
        { field: 'units[2].kind', problem: 'kind must be one of the following values: PARTY, GOVERNMENT' },
        { field: 'units[2].parentRef', problem: 'no row has ref zz' },
      ],
      'csv',
    );
    expect(lines).toEqual([
      {
        row: 3,
        column: 'PUBLIC_INSTITUTION',
        columnLabel: '事业编制（核定）',
        problem: '“x”不是整数，请填写不小于 0 的整数',
      },
      { row: 4, column: 'kind', columnLabel: '机构类别', problem: expect.stringContaining('PARTY（党委机构）') },
      { row: 4, column: 'parentRef', columnLabel: '上级（本文件中的行标识）', problem: '文件中没有行标识为 zz 的行' },
      {
        row: 5,
        column: 'creditCode',
        columnLabel: '统一社会信用代码',
        problem: '校验位不正确（GB 32100-2015），请核对统一社会信用代码',
      },
    ]);
  });

  it('counts a JSON file’s units from 1 and keeps the file-wide problems apart', () => {
    const lines = importReport(
      [
        { field: 'units[0].occupied.SCHOOL_STAFF', problem: 'SCHOOL_STAFF must not be less than 0' },
        { field: 'units[1].leadershipPosts[0].grade', problem: 'grade must be one of the following values: COUNTY' },
        {
          field: 'totals.ADMIN',
          problem: 'the county has 3 free ADMIN quota, not 10 (TOTAL_EXCEEDED)',
        },
        {
          field: 'totals.bodyLimit',
          problem: 'the county may have 12 party and government bodies and has 12: not 1 more (BODY_LIMIT_EXCEEDED)',
        },
      ],
      'json',
    );
    expect(lines.map((l) => [l.row, l.columnLabel, l.problem])).toEqual([
      [null, '行政编制总额', '全县行政编制未分配的只有 3 名，文件中各单位合计 10 名，超出核定总额'],
      [null, '机构限额', '机构限额为 12 个，现有党政机构 12 个，文件中又有 1 个，超出机构限额'],
      [1, '中小学教职工编制（实有）', '不能小于 0'],
      [2, '领导职数', expect.stringContaining('COUNTY（正处/正县）')],
    ]);
  });

  it("gives the figures of the registry rules' messages as the domain library words them", () => {
    const load = fs.readFileSync(path.resolve(__dirname, '../../../../../libs/domain/src/registry-load.ts'), 'utf8');
    const messages = [...load.matchAll(/message: `([^`]+)`/g)].map((m) => m[1]);
    expect(messages).toHaveLength(5);
    for (const m of messages) expect(importProblemInWords(`${m.replace(/\$\{[^}]+\}/g, '7')} (RULE)`)).toContain('7');
  });

  it('says a rule worded otherwise by its code', () => {
    expect(importProblemInWords('a new wording (TOTAL_EXCEEDED)', 'totals.SCHOOL_STAFF')).toBe(
      '全县中小学教职工编制总量不足，本次调整会突破核定总额',
    );
  });

  it('says a file that is no CSV in words, never in the parser’s English', () => {
    const [line] = importReport([{ field: 'csv', problem: 'Invalid Record Length: expect 7, got 8 on line 3' }], 'csv');
    expect(line).toEqual({
      row: null,
      column: 'csv',
      columnLabel: '文件格式',
      problem: '第 3 行有 8 列，与表头的 7 列不符（含逗号的内容请加英文双引号）',
    });
    expect(importProblemInWords('Quote Not Closed', 'csv')).toBe(
      '文件不是有效的 CSV：请按模板填写，逗号分隔，UTF-8 编码',
    );
  });

  it('translates every problem the importer writes itself', () => {
    // Every one but the registry rules' (`${v.message} (${v.rule})`), worded by the domain library and read above.
    const written = [...IMPORTER.matchAll(/problem: `([^`]+)`|problem: '([^']+)'/g)]
      .map((m) => m[1] ?? m[2])
      .filter((p) => !p.startsWith('${v.message}'));
    expect(written.length).toBeGreaterThan(5);
    for (const p of written) {
      const sample = p.replace(/\$\{[^}]+\}/g, '7');
      expect([p, importProblemInWords(sample)]).not.toEqual([p, '格式不正确']);
    }
  });
});

describe('the template', () => {
  it('has the columns the API reads, and only those', () => {
    for (const c of ['ref', 'name', 'kind', 'grade', 'parentRef', 'parentId', 'funding', 'creditCode'])
      expect(IMPORTER).toContain(`r.${c}`);
    for (const c of ['leadershipPosts', 'sections', 'namePlates']) expect(IMPORTER).toContain(`r.${c}`);
    expect(IMPORTER).toContain("counts('occupied_')");
    expect(IMPORTER).toContain("counts('pending_')");
    expect(TEMPLATE_COLUMNS).toEqual(expect.arrayContaining(['ADMIN', 'occupied_SCHOOL_STAFF', 'pending_CONTRACT']));
    expect(TEMPLATE_COLUMNS).toHaveLength(26);
  });

  it('is a CSV of a header and two rows with as many fields, opened by Excel as UTF-8', () => {
    const text = templateCsv();
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = text.slice(1).trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toBe(TEMPLATE_COLUMNS.join(','));
    for (const r of rows) expect(r.split(',')).toHaveLength(TEMPLATE_COLUMNS.length);
    expect(rows[2]).toContain('k4,县第四幼儿园,PUBLIC_INSTITUTION,STOCK,edu');
  });

  it('labels each column', () => {
    for (const c of TEMPLATE_COLUMNS) expect(columnLabel(c)).not.toBe(c);
  });
});

it('tells a JSON file from a CSV', () => {
  expect(isJsonFile('units.json', '')).toBe(true);
  expect(isJsonFile('units.txt', '\uFEFF { "units": [] }')).toBe(true);
  expect(isJsonFile('units.csv', 'ref,name')).toBe(false);
});
