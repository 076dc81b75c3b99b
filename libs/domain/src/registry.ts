import type { PersonState } from './people/person';
import { Category, CategoryMap, Funding, Grade, toCategoryMap, UnitKind, UnitStatus } from './enums';

/** 领导职数 at one grade: principal (正) and deputy (副) posts. */
export interface LeadershipPosts {
  grade: Grade;
  principal: number;
  deputy: number;
}

/** One unit (机构) of the registry (机构编制台账) as the rules see it. */
export interface UnitState {
  id: string;
  name: string;
  kind: UnitKind;
  grade: Grade;
  parentId: string | null;
  funding: Funding | null;
  creditCode: string | null;
  status: UnitStatus;
  mergedInto: string | null;
  /** 核定: approved quota per category. */
  quotas: CategoryMap;
  /** 实有: people on establishment. */
  occupied: CategoryMap;
  /** 待入编: recruited, not yet on. */
  pending: CategoryMap;
  /** 周转池编制 lent to the unit, kept apart from `quotas`. */
  loaned: CategoryMap;
  leadershipPosts: LeadershipPosts[];
  sections: string[];
  namePlates: string[];
}

/** An outstanding loan from the turnover pool. */
export interface PoolLoan {
  requestId: string;
  unitId: string;
  category: Category;
  count: number;
  dueDate: string; // YYYY-MM-DD
}

/** The whole registry at one moment: what every rule is checked against. */
export interface RegistrySnapshot {
  year: number;
  units: Record<string, UnitState>;
  /** 总量: the county total per category, handed down by the city. */
  totals: CategoryMap;
  /** The turnover pool's size per category, apart from the totals. */
  poolSize: CategoryMap;
  loans: PoolLoan[];
  /** 机构限额: the most active PARTY + GOVERNMENT units the county may have; null or absent when none is set. */
  bodyLimit?: number | null;
  /**
   * The people on record a request names (实名制), by id: loaded beside the registry for the request being checked,
   * not the county's whole roll. Absent where no request names people.
   */
  people?: Record<string, PersonState>;
}

export function totalPosts(posts: LeadershipPosts[]): number {
  return posts.reduce((sum, p) => sum + p.principal + p.deputy, 0);
}

/** A unit as stored (JSON, possibly written before a category existed), with every category map complete. */
export function withCompleteMaps(u: UnitState): UnitState {
  return {
    ...u,
    quotas: toCategoryMap(u.quotas),
    occupied: toCategoryMap(u.occupied),
    pending: toCategoryMap(u.pending),
    loaned: toCategoryMap(u.loaned),
  };
}
