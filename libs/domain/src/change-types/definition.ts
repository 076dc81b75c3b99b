import { PeopleNamed, PersonMove } from '../people/person';
import { PoolLoan, RegistrySnapshot, UnitState } from '../registry';
import { RuleViolation } from '../violations';

// What every change type (机构编制事项) supplies. Each type lives in its own file beside this one and is listed
// once in CHANGE_TYPES (index.ts), whose mapped type makes a type without a definition, or a definition
// without one of these members, a compile error (docs/architecture.md).

/** Who takes the decision (审议决定): the committee's vote, or the office director (编办主任办公会议). */
export type Decider = 'COMMITTEE' | 'OFFICE';

/**
 * The registry as a change is being applied to it (组织实施). Copy on write: a change touches a few units of a
 * county's hundreds, so only the units reached through `unit()` are copied; the others stay the very objects of
 * `before`, which the invariant check and the diff then skip by identity.
 */
export interface RegistryDraft {
  readonly before: RegistrySnapshot;
  /** The registry after the change, being built: its `units`, `totals`, `poolSize` and `loans` are copies. */
  readonly after: RegistrySnapshot;
  /** The unit `id` of `after`, copied from `before` on first access so that it may be changed. */
  unit(id: string): UnitState;
  /** Rules broken by the shape of the change itself (a duplicate name plate, …); the invariants come after. */
  readonly violations: RuleViolation[];
  readonly loansCreated: PoolLoan[];
  readonly loansEnded: PoolLoan[];
  /** The people the change puts on, takes off or moves (实名制), written with the registry at implementation. */
  readonly personMoves: PersonMove[];
  /** The request's id, kept on loans. */
  readonly requestId: string;
  /** The id a unit set up by this request gets (fixed when the request is created). */
  readonly newUnitId: string;
}

/**
 * One change type: its payload `P`, its effect on the registry and every rule of the procedure that depends
 * on the type. Members are function-typed properties (not methods) so that the payload is checked strictly.
 */
export interface ChangeTypeDefinition<P> {
  /** The office's own term (设立机构, 撤销机构, …). */
  readonly chineseName: string;
  /**
   * For a type the office may be configured to decide (编办主任办公会议, docs/domain.md "Who decides"): true when
   * this change stays within the office's authority (USE_QUOTA: within the unit's actual vacancy). Absent: the
   * office's authority, where configured, has no further bound.
   */
  readonly withinOfficeAuthority?: (before: RegistrySnapshot, payload: P) => boolean;
  /**
   * The document series of the office's decision on it when the type has its own (a USE_QUOTA's 编制使用通知: 编用);
   * else the office's 编办 series (docs/domain.md, "Implementation").
   */
  readonly officeDocumentSeries?: 'QUOTA_USE';
  /** True when the change sets up a unit, whose id is fixed when the request is created. */
  readonly setsUpUnit: boolean;
  /** Unit ids the payload names; each must exist and be active (invariant 6). */
  readonly referencedUnitIds: (payload: P) => string[];
  /**
   * The units the change alters that the requesting unit must speak for, being itself or under it
   * (NOT_YOUR_UNIT_CHANGE): a department proposes for its own office and the units under it.
   */
  readonly ownUnitIds: (payload: P) => string[];
  /** The units the change takes quota from, abolishes or merges away: heard when not the requester's own. */
  readonly takesFrom: (payload: P) => string[];
  /** The effect on the registry, applied to `draft` once its references were found active. */
  readonly apply: (draft: RegistryDraft, payload: P) => void;
  /**
   * Why the change is beyond the county's authority and needs the higher authority's approval (报批, 上级编办),
   * or an empty list when the county decides alone.
   */
  readonly higherApprovalReasons: (before: RegistrySnapshot, payload: P) => string[];
  /** Follow-up tasks recorded at implementation (事业单位登记, 统一社会信用代码, 实名制). */
  readonly followUpTasks: (before: RegistrySnapshot, payload: P) => string[];
  /**
   * Only for a type that names people (实名制): what the API does with them before a request is kept — seal the ID
   * numbers of people named by number (NEW_PEOPLE), or complete people named by id with where they are on record
   * (PEOPLE_ON_RECORD).
   */
  readonly peopleInPayload?: 'NEW_PEOPLE' | 'PEOPLE_ON_RECORD';
  /** Only for a type that names people (实名制): whom the records must load beside the registry to check it. */
  readonly peopleNamed?: (payload: P) => PeopleNamed;
  /**
   * Only for a type that closes units: where the people on record of each closed unit go with its `occupied`
   * (an abolished unit's `peopleTo`, a merged unit's target).
   */
  readonly peopleFollow?: (payload: P) => { fromUnitId: string; toUnitId: string }[];
  /** Only for a type that lends turnover-pool quota: the loans' due date, which the workflow watches. */
  readonly poolLoanDueDate?: (payload: P) => string;
}
