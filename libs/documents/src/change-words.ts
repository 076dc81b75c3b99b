import type { DiffEntry, LeadershipPosts, PayloadByType, RequestType } from '@bianzhi/domain';
import { disenrolLines, enrolLines, transferLines } from '@bianzhi/domain';
import {
  arabicDay,
  categoryWord,
  CATEGORY_WORDS,
  FUNDING_WORDS,
  GRADE_WORDS,
  joinNames,
  KIND_WORDS,
  postsWords,
} from './words';

// The approved change in words (docs/domain.md, "Official documents"): one function per change type states what
// is approved from the payload, and the diff adds what the registry shows afterwards. A type this file does not
// know (a newer one) is told from the diff alone.

/** What a change says: the approval (after 同意) and the registry's state afterwards. */
export interface ChangeWords {
  /** Each approved change, a clause without 同意 and without the full stop: 将甲事业编制5名划转至乙. */
  approved: string[];
  /** Sentences on the result, from the diff: 调整后，乙事业编制由30名调整为35名。 */
  after: string[];
  /** A short phrase for the title when the request's own does not do: 划转乙编制. */
  phrase: string;
}

export interface ChangeInput {
  type: RequestType | string;
  unitName: string;
  payload: Record<string, unknown>;
  diff: DiffEntry[];
  unitNames: Record<string, string>;
}

type Namer = (id: unknown) => string;

function namer(input: ChangeInput): Namer {
  const fromDiff = new Map<string, string>();
  for (const d of input.diff) if (d.unitId && d.unitName) fromDiff.set(d.unitId, d.unitName);
  return (id) => {
    const key = typeof id === 'string' ? id : '';
    return input.unitNames[key] ?? fromDiff.get(key) ?? '有关单位';
  };
}

const count = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);
/** 加挂…牌子 without 牌子牌子 when the plate's name already ends with it. */
const plate = (name: string) => (name.endsWith('牌子') ? name : `${name}牌子`);

function quotaList(quotas: Record<string, unknown> | undefined): string {
  return Object.keys(CATEGORY_WORDS)
    .filter((c) => count(quotas?.[c]) > 0)
    .map((c) => `${CATEGORY_WORDS[c]}${count(quotas?.[c])}名`)
    .join('、');
}

/** The quota lines of the diff, unit by unit: 调整后，甲事业编制由30名调整为35名。 */
function quotaAfter(diff: DiffEntry[], name: Namer, lead = '调整后'): string[] {
  const lines = diff
    .filter((d) => d.scope === 'unit' && d.field.startsWith('quotas.'))
    .map((d) => {
      const c = categoryWord(d.field.slice('quotas.'.length));
      const unit = d.unitName ?? name(d.unitId);
      return `${unit}${c}由${count(d.before)}名调整为${count(d.after)}名`;
    });
  return lines.length ? [`${lead}，${lines.join('，')}。`] : [];
}

function diffEntry(diff: DiffEntry[], unitId: unknown, field: string): DiffEntry | undefined {
  return diff.find((d) => d.unitId === unitId && d.field === field);
}

type Words<T extends RequestType> = (p: PayloadByType[T], name: Namer, input: ChangeInput) => ChangeWords;

const WORDS: { [T in RequestType]: Words<T> } = {
  ESTABLISH_UNIT: (p, name) => {
    const where = p.parentId ? `${name(p.parentId)}所属` : '';
    const kind = KIND_WORDS[p.kind] ?? '机构';
    const grade = p.grade === 'UNGRADED' ? '不定机构规格的' : (GRADE_WORDS[p.grade] ?? '');
    let s = `设立${p.name}，为${where}${grade}${kind}`;
    if (p.funding) s += `，经费形式为${FUNDING_WORDS[p.funding] ?? p.funding}`;
    const quotas = quotaList(p.quotas as Record<string, unknown>);
    s += quotas ? `；核定${quotas}` : '';
    s += `；核定${postsWords(p.leadershipPosts)}`;
    if (strings(p.sections).length) s += `；内设${joinNames(strings(p.sections))}`;
    if (strings(p.namePlates).length) s += `；加挂${joinNames(strings(p.namePlates).map(plate))}`;
    return { approved: [s], after: [], phrase: `设立${p.name}` };
  },
  ABOLISH_UNIT: (p, name, input) => {
    const unit = name(p.unitId);
    const held = input.diff.filter((d) => d.unitId === p.unitId && d.field.startsWith('quotas.') && count(d.before));
    const quotas = held.map((d) => `${categoryWord(d.field.slice(7))}${count(d.before)}名`).join('、');
    const approved = [`撤销${unit}`];
    if (quotas) approved.push(`${unit}${quotas}${p.quotaTo ? `划转至${name(p.quotaTo)}` : '收回县统筹使用'}`);
    if (p.peopleTo) approved.push(`${unit}在编人员转入${name(p.peopleTo)}`);
    const lost = ['leadershipPosts', 'sections', 'namePlates'].some((f) => diffEntry(input.diff, p.unitId, f));
    const after = lost ? [`${unit}的领导职数、内设机构和加挂牌子相应撤销。`] : [];
    return { approved, after: [...after, ...quotaAfter(input.diff, name, '撤销后')], phrase: `撤销${unit}` };
  },
  MERGE_UNITS: (p, name, input) => {
    const sources = joinNames(p.sourceIds.map(name));
    const target = name(p.targetId);
    const approved = [`将${sources}并入${target}`, `${sources}不再保留，其编制和人员一并划入${target}`];
    return { approved, after: quotaAfter(input.diff, name, '合并后'), phrase: `将${sources}并入${target}` };
  },
  RENAME_UNIT: (p, name, input) => {
    const unit = name(p.unitId);
    const only = input.diff.every((d) => d.field === 'name');
    const after = only ? ['其机构规格、编制和领导职数不变。'] : [];
    return { approved: [`${unit}更名为${p.newName}`], after, phrase: `${unit}更名为${p.newName}` };
  },
  ADD_NAME_PLATE: (p, name) => {
    const s = `${name(p.unitId)}加挂${plate(p.namePlate)}`;
    return { approved: [s], after: [], phrase: s };
  },
  CHANGE_GRADE: (p, name, input) => {
    const unit = name(p.unitId);
    const before = diffEntry(input.diff, p.unitId, 'grade')?.before;
    const from = typeof before === 'string' && GRADE_WORDS[before] ? `由${GRADE_WORDS[before]}` : '';
    const s = `${unit}机构规格${from}调整为${GRADE_WORDS[p.grade] ?? p.grade}`;
    return { approved: [s], after: [], phrase: `调整${unit}机构规格` };
  },
  ADJUST_SECTIONS: (p, name, input) => {
    const unit = name(p.unitId);
    const parts: string[] = [];
    if (strings(p.add).length) parts.push(`增设${joinNames(strings(p.add))}`);
    if (strings(p.remove).length) parts.push(`撤销${joinNames(strings(p.remove))}`);
    const approved = [`${unit}${parts.join('，')}`];
    const after = strings(diffEntry(input.diff, p.unitId, 'sections')?.after);
    const sentence = after.length
      ? [`调整后，${unit}设内设机构${after.length}个：${after.join('、')}。`]
      : [`调整后，${unit}不设内设机构。`];
    return { approved, after: sentence, phrase: `调整${unit}内设机构` };
  },
  ADJUST_QUOTA: (p, name, input) => {
    const unit = name(p.unitId);
    const c = categoryWord(p.category);
    const verb = p.delta >= 0 ? '核增' : '核减';
    const s = `${verb}${unit}${c}${Math.abs(p.delta)}名`;
    return { approved: [s], after: quotaAfter(input.diff, name), phrase: `${verb}${unit}${c}` };
  },
  TRANSFER_QUOTA: (p, name, input) => {
    const approved = p.lines.map(
      (l) => `将${name(l.fromUnitId)}${categoryWord(l.category)}${count(l.count)}名划转至${name(l.toUnitId)}`,
    );
    const receivers = joinNames([...new Set(p.lines.map((l) => name(l.toUnitId)))]);
    return { approved, after: quotaAfter(input.diff, name, '划转后'), phrase: `为${receivers}划转编制` };
  },
  CONVERT_QUOTA: (p, name, input) => {
    const unit = name(p.unitId);
    const s = `将${unit}${categoryWord(p.fromCategory)}${count(p.count)}名置换为${categoryWord(p.toCategory)}`;
    return { approved: [s], after: quotaAfter(input.diff, name, '置换后'), phrase: `置换${unit}编制` };
  },
  ADJUST_LEADERSHIP: (p, name, input) => {
    const unit = name(p.unitId);
    const before = diffEntry(input.diff, p.unitId, 'leadershipPosts')?.before;
    const from = Array.isArray(before) ? `由${postsWords(before as LeadershipPosts[])}` : '';
    const s = `${unit}领导职数${from}调整为${postsWords(p.posts)}`;
    return { approved: [s], after: [], phrase: `调整${unit}领导职数` };
  },
  LEND_POOL_QUOTA: (p, name) => {
    const loans = p.loans.map((l) => `${name(l.unitId)}${categoryWord(l.category)}${count(l.count)}名`);
    const s = `从县周转池编制中借给${loans.join('、')}，使用期限至${arabicDay(p.dueDate)}，到期收回`;
    const units = joinNames([...new Set(p.loans.map((l) => name(l.unitId)))]);
    return { approved: [s], after: [], phrase: `${units}使用周转池编制` };
  },
  USE_QUOTA: (p, name, input) => {
    const unit = name(p.unitId);
    const s = `${unit}使用${categoryWord(p.category)}空编${count(p.count)}名`;
    const pending = input.diff.find((d) => d.unitId === p.unitId && d.field === `pending.${p.category}`);
    const after = pending ? [`核准后，${unit}${categoryWord(p.category)}待入编${count(pending.after)}名。`] : [];
    return { approved: [s], after, phrase: `${unit}使用编制` };
  },
  // People are named with the masked ID number only (docs/domain.md, "People on the establishment").
  ENROL_PERSON: (p, name) => {
    const lines = enrolLines(p);
    const approved = lines.map(
      (l) =>
        `${l.person.name}（${l.person.idNumberMasked ?? ''}）` +
        `${CHANNEL_WORDS[l.channel] ?? ''}在${name(l.unitId)}${categoryWord(l.category)}上编`,
    );
    const units = joinNames([...new Set(lines.map((l) => name(l.unitId)))]);
    const who = lines.length === 1 ? lines[0].person.name : `${lines[0].person.name}等${lines.length}名同志`;
    return { approved, after: [], phrase: `${who}在${units}上编` };
  },
  DISENROL_PERSON: (p, name) => {
    const lines = disenrolLines(p);
    const approved = lines.map(
      (l) =>
        `${l.person?.name ?? '有关人员'}（${l.person?.idNumberMasked ?? ''}）因${REASON_WORDS[l.reason] ?? '其他原因'}` +
        `自${arabicDay(l.date)}起从${name(l.person?.unitId)}${categoryWord(l.person?.category ?? '')}下编`,
    );
    const who =
      lines.length === 1 ? (lines[0].person?.name ?? '有关人员') : `${lines[0].person?.name}等${lines.length}名同志`;
    return { approved, after: [], phrase: `${who}下编` };
  },
  TRANSFER_PERSON: (p, name) => {
    const lines = transferLines(p);
    const approved = lines.map(
      (l) =>
        `${l.person?.name ?? '有关人员'}（${l.person?.idNumberMasked ?? ''}）由${name(l.person?.unitId)}` +
        `${categoryWord(l.person?.category ?? '')}调入${name(l.toUnitId)}${categoryWord(l.category)}`,
    );
    const who =
      lines.length === 1 ? (lines[0].person?.name ?? '有关人员') : `${lines[0].person?.name}等${lines.length}名同志`;
    return { approved, after: [], phrase: `${who}调动` };
  },
};

const CHANNEL_WORDS: Record<string, string> = {
  RECRUITED: '经公开招聘',
  SELECTED: '经选调',
  TRANSFERRED_IN: '经调入',
  VETERAN: '经军转安置',
  OTHER: '',
};
const REASON_WORDS: Record<string, string> = {
  RETIRED: '退休',
  RESIGNED: '辞职',
  DISMISSED: '辞退',
  DECEASED: '死亡',
  TRANSFERRED_OUT: '调出',
  OTHER: '其他原因',
};

const FIELD_WORDS: Record<string, string> = {
  name: '名称',
  kind: '机构类别',
  grade: '机构规格',
  parentId: '主管部门',
  funding: '经费形式',
  creditCode: '统一社会信用代码',
  status: '机构状态',
  mergedInto: '并入单位',
  leadershipPosts: '领导职数',
  sections: '内设机构',
  namePlates: '加挂牌子',
};
const STATUS_WORDS: Record<string, string> = { active: '存续', abolished: '撤销', merged: '合并' };
const MAP_WORDS: Record<string, string> = { quotas: '核定', occupied: '实有', pending: '待入编', loaned: '借用周转池' };

function valueWords(field: string, v: unknown, name: Namer): string {
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return '无';
  if (field === 'grade') return GRADE_WORDS[String(v)] ?? String(v);
  if (field === 'kind') return KIND_WORDS[String(v)] ?? String(v);
  if (field === 'funding') return FUNDING_WORDS[String(v)] ?? String(v);
  if (field === 'status') return STATUS_WORDS[String(v)] ?? String(v);
  if (field === 'parentId' || field === 'mergedInto') return name(v);
  if (field === 'leadershipPosts') return postsWords(v as LeadershipPosts[]);
  if (Array.isArray(v)) return v.map(String).join('、');
  if (typeof v === 'number') return `${v}名`;
  return String(v);
}

/** One clause per diff entry: 甲事业编制核定数由30名调整为35名. */
export function diffClauses(diff: DiffEntry[], name: Namer): string[] {
  return diff.map((d) => {
    const where =
      d.scope === 'county' ? '县空余编制' : d.scope === 'pool' ? '周转池已借出编制' : (d.unitName ?? name(d.unitId));
    const [head, tail] = d.field.split('.');
    if (tail) {
      const what = `${categoryWord(tail)}${d.scope === 'unit' ? (MAP_WORDS[head] ?? '') : ''}数`;
      return `${where}${what}由${count(d.before)}名调整为${count(d.after)}名`;
    }
    const what = FIELD_WORDS[head] ?? head;
    return `${where}${what}由${valueWords(head, d.before, name)}调整为${valueWords(head, d.after, name)}`;
  });
}

/** The change of a request in words. */
export function changeWords(input: ChangeInput): ChangeWords {
  const name = namer(input);
  const words = (WORDS as Record<string, Words<RequestType> | undefined>)[input.type];
  if (words) {
    try {
      const w = words(input.payload as never, name, input);
      // A payload not of its type's shape (an older request) would print undefined: told from the diff below.
      if (!/undefined|NaN|\[object/.test(JSON.stringify(w))) return w;
    } catch {
      // As above.
    }
  }
  const clauses = diffClauses(input.diff, name);
  return {
    approved: clauses.length ? clauses : [`${input.unitName}所请事项`],
    after: [],
    phrase: `${input.unitName}机构编制事项`,
  };
}
