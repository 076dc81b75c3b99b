import type { DiffEntry } from '@bianzhi/domain';
import { REQUEST_TYPES } from '@bianzhi/domain';
import { changeWords, ChangeInput } from '../src/change-words';

// Each change type's words in a 批复 (docs/domain.md, "Change requests"), from its payload and its diff.

const names = { a: '县甲局', b: '县乙中心', c: '县丙中心', p: '县丁局' };
const q = (unitId: string, category: string, before: number, after: number): DiffEntry => ({
  scope: 'unit',
  unitId,
  unitName: names[unitId as keyof typeof names],
  field: `quotas.${category}`,
  before,
  after,
});

function words(type: string, payload: Record<string, unknown>, diff: DiffEntry[] = []) {
  const input: ChangeInput = { type, unitName: '县甲局', payload, diff, unitNames: names };
  return changeWords(input);
}

describe('changeWords', () => {
  it('sets up a unit with its kind, grade, funding, quota, posts, sections and name plates', () => {
    const w = words('ESTABLISH_UNIT', {
      name: '县应急指挥中心',
      kind: 'PUBLIC_INSTITUTION',
      grade: 'DEPUTY_SECTION',
      parentId: 'a',
      funding: 'FULL',
      quotas: { PUBLIC_INSTITUTION: 10, CONTRACT: 2 },
      leadershipPosts: [{ grade: 'DEPUTY_SECTION', principal: 1, deputy: 2 }],
      sections: ['综合股', '指挥调度股'],
      namePlates: ['县应急救援指挥中心'],
    });
    expect(w.approved).toEqual([
      '设立县应急指挥中心，为县甲局所属副科级事业单位，经费形式为全额拨款；核定事业编制10名、聘用编制2名；' +
        '核定副科级领导职数1正2副；内设综合股和指挥调度股；加挂县应急救援指挥中心牌子',
    ]);
    expect(w.phrase).toBe('设立县应急指挥中心');
  });

  it('abolishes a unit and says where its quota and people go', () => {
    const w = words('ABOLISH_UNIT', { unitId: 'b', quotaTo: 'c', peopleTo: 'c' }, [
      q('b', 'PUBLIC_INSTITUTION', 8, 0),
      q('c', 'PUBLIC_INSTITUTION', 10, 18),
      { scope: 'unit', unitId: 'b', field: 'sections', before: ['综合股'], after: [] },
    ]);
    expect(w.approved).toEqual(['撤销县乙中心', '县乙中心事业编制8名划转至县丙中心', '县乙中心在编人员转入县丙中心']);
    expect(w.after.join('')).toContain('领导职数、内设机构和加挂牌子相应撤销');
    expect(w.after.join('')).toContain('县丙中心事业编制由10名调整为18名');
    expect(words('ABOLISH_UNIT', { unitId: 'b' }, [q('b', 'ADMIN', 3, 0)]).approved[1]).toBe(
      '县乙中心行政编制3名收回县统筹使用',
    );
  });

  it('merges units into one', () => {
    const w = words('MERGE_UNITS', { sourceIds: ['b', 'c'], targetId: 'a' }, [q('a', 'ADMIN', 5, 12)]);
    expect(w.approved).toEqual([
      '将县乙中心和县丙中心并入县甲局',
      '县乙中心和县丙中心不再保留，其编制和人员一并划入县甲局',
    ]);
    expect(w.after).toEqual(['合并后，县甲局行政编制由5名调整为12名。']);
  });

  it('renames, adds a name plate, changes the grade', () => {
    expect(words('RENAME_UNIT', { unitId: 'a', newName: '县乡村振兴局' }, []).approved).toEqual([
      '县甲局更名为县乡村振兴局',
    ]);
    expect(words('ADD_NAME_PLATE', { unitId: 'a', namePlate: '县文物局' }).approved).toEqual([
      '县甲局加挂县文物局牌子',
    ]);
    expect(words('ADD_NAME_PLATE', { unitId: 'a', namePlate: '县文物局牌子' }).approved).toEqual([
      '县甲局加挂县文物局牌子',
    ]);
    const grade = words('CHANGE_GRADE', { unitId: 'b', grade: 'SECTION' }, [
      { scope: 'unit', unitId: 'b', field: 'grade', before: 'DEPUTY_SECTION', after: 'SECTION' },
    ]);
    expect(grade.approved).toEqual(['县乙中心机构规格由副科级调整为正科级']);
  });

  it('adjusts sections and lists them afterwards', () => {
    const w = words('ADJUST_SECTIONS', { unitId: 'a', add: ['法规股'], remove: ['信访股', '督查股'] }, [
      {
        scope: 'unit',
        unitId: 'a',
        field: 'sections',
        before: ['办公室', '信访股', '督查股'],
        after: ['办公室', '法规股'],
      },
    ]);
    expect(w.approved).toEqual(['县甲局增设法规股，撤销信访股和督查股']);
    expect(w.after).toEqual(['调整后，县甲局设内设机构2个：办公室、法规股。']);
  });

  it('raises or lowers quota, transfers, converts', () => {
    expect(words('ADJUST_QUOTA', { unitId: 'a', category: 'ADMIN', delta: 2 }).approved).toEqual([
      '核增县甲局行政编制2名',
    ]);
    expect(words('ADJUST_QUOTA', { unitId: 'a', category: 'POLITICAL_LEGAL', delta: -3 }).approved).toEqual([
      '核减县甲局政法专项编制3名',
    ]);
    const t = words('TRANSFER_QUOTA', {
      lines: [
        { fromUnitId: 'b', toUnitId: 'c', category: 'SCHOOL_STAFF', count: 4 },
        { fromUnitId: 'a', toUnitId: 'c', category: 'CONTRACT', count: 1 },
      ],
    });
    expect(t.approved).toEqual(['将县乙中心中小学教职工编制4名划转至县丙中心', '将县甲局聘用编制1名划转至县丙中心']);
    expect(
      words('CONVERT_QUOTA', { unitId: 'a', fromCategory: 'ADMIN', toCategory: 'PUBLIC_INSTITUTION', count: 3 })
        .approved,
    ).toEqual(['将县甲局行政编制3名置换为事业编制']);
  });

  it('adjusts leadership posts, lends pool quota, uses quota', () => {
    const posts = words('ADJUST_LEADERSHIP', { unitId: 'a', posts: [{ grade: 'SECTION', principal: 1, deputy: 3 }] }, [
      {
        scope: 'unit',
        unitId: 'a',
        field: 'leadershipPosts',
        before: [{ grade: 'SECTION', principal: 1, deputy: 2 }],
        after: [{ grade: 'SECTION', principal: 1, deputy: 3 }],
      },
    ]);
    expect(posts.approved).toEqual(['县甲局领导职数由科级领导职数1正2副调整为科级领导职数1正3副']);
    expect(
      words('LEND_POOL_QUOTA', {
        loans: [{ unitId: 'b', category: 'PUBLIC_INSTITUTION', count: 2 }],
        dueDate: '2027-06-30',
      }).approved,
    ).toEqual(['从县周转池编制中借给县乙中心事业编制2名，使用期限至2027年6月30日，到期收回']);
    expect(words('USE_QUOTA', { unitId: 'b', category: 'PUBLIC_INSTITUTION', count: 3 }).approved).toEqual([
      '县乙中心使用事业编制空编3名',
    ]);
  });

  it('has words for every change type, and tells an unknown type or a malformed payload from the diff', () => {
    for (const type of REQUEST_TYPES) {
      const w = words(type, {}, [q('a', 'ADMIN', 1, 2)]);
      expect(w.approved.length).toBeGreaterThan(0);
      expect(JSON.stringify(w)).not.toMatch(/undefined|NaN/);
    }
    expect(words('ENROL_PERSON', { personId: 'x' }, [q('a', 'ADMIN', 5, 6)]).approved).toEqual([
      '县甲局行政编制核定数由5名调整为6名',
    ]);
    expect(words('TRANSFER_QUOTA', { lines: 'broken' }, [q('a', 'ADMIN', 5, 4)]).approved).toEqual([
      '县甲局行政编制核定数由5名调整为4名',
    ]);
  });
});
