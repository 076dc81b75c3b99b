import { Category, DisenrolReason, EnrolChannel, Funding, Grade, RequestType, UnitKind } from './enums';
import { LeadershipPosts } from './registry';

// The typed payload of each change request type (docs/domain.md, "The 13 change types").

export interface EstablishUnitPayload {
  name: string;
  kind: UnitKind;
  grade: Grade;
  parentId?: string;
  funding?: Funding;
  quotas: Partial<Record<Category, number>>;
  leadershipPosts: LeadershipPosts[];
  sections?: string[];
  namePlates?: string[];
}
export interface AbolishUnitPayload {
  unitId: string;
  quotaTo?: string;
  peopleTo?: string;
}
export interface MergeUnitsPayload {
  sourceIds: string[];
  targetId: string;
}
export interface RenameUnitPayload {
  unitId: string;
  newName: string;
}
export interface AddNamePlatePayload {
  unitId: string;
  namePlate: string;
}
export interface ChangeGradePayload {
  unitId: string;
  grade: Grade;
}
export interface AdjustSectionsPayload {
  unitId: string;
  add: string[];
  remove: string[];
}
export interface AdjustQuotaPayload {
  unitId: string;
  category: Category;
  delta: number;
}
export interface TransferLine {
  fromUnitId: string;
  toUnitId: string;
  category: Category;
  count: number;
}
export interface TransferQuotaPayload {
  lines: TransferLine[];
}
export interface ConvertQuotaPayload {
  unitId: string;
  fromCategory: Category;
  toCategory: Category;
  count: number;
}
export interface AdjustLeadershipPayload {
  unitId: string;
  posts: LeadershipPosts[];
}
export interface LendPoolQuotaPayload {
  loans: { unitId: string; category: Category; count: number }[];
  dueDate: string;
}
export interface UseQuotaPayload {
  unitId: string;
  category: Category;
  count: number;
}

/**
 * A person as a request names them (实名制). As filed, the ID number; as stored, in the trail and in the procedure's
 * history, only its keyed hash and masked form: the API seals the number before anything is kept (docs/domain.md,
 * "People on the establishment").
 */
export interface PersonIdentity {
  name: string;
  /** As filed; removed by the API, which keeps it encrypted apart. */
  idNumber?: string;
  /** The keyed hash (HMAC) of the normalised number: how the rules and the records find the person. */
  idHash?: string;
  /** 3301**********1234 */
  idNumberMasked?: string;
}
/** A person on record as the request found them when filed, written by the API (never trusted from the client). */
export interface PersonOnFile {
  name: string;
  idNumberMasked: string;
  unitId: string;
  category: Category;
}
export interface EnrolPersonLine {
  unitId: string;
  category: Category;
  person: PersonIdentity;
  channel: EnrolChannel;
}
/** 上编: one person (the line's fields at the top) or a batch (`lines`, checked whole). */
export interface EnrolPersonPayload extends Partial<EnrolPersonLine> {
  lines?: EnrolPersonLine[];
}
export interface DisenrolPersonLine {
  personId: string;
  reason: DisenrolReason;
  /** The day the person comes off (退休 date, …), YYYY-MM-DD. */
  date: string;
  person?: PersonOnFile;
}
export interface DisenrolPersonPayload extends Partial<DisenrolPersonLine> {
  lines?: DisenrolPersonLine[];
}
export interface TransferPersonLine {
  personId: string;
  toUnitId: string;
  category: Category;
  person?: PersonOnFile;
}
export interface TransferPersonPayload extends Partial<TransferPersonLine> {
  lines?: TransferPersonLine[];
}

export interface PayloadByType {
  ESTABLISH_UNIT: EstablishUnitPayload;
  ABOLISH_UNIT: AbolishUnitPayload;
  MERGE_UNITS: MergeUnitsPayload;
  RENAME_UNIT: RenameUnitPayload;
  ADD_NAME_PLATE: AddNamePlatePayload;
  CHANGE_GRADE: ChangeGradePayload;
  ADJUST_SECTIONS: AdjustSectionsPayload;
  ADJUST_QUOTA: AdjustQuotaPayload;
  TRANSFER_QUOTA: TransferQuotaPayload;
  CONVERT_QUOTA: ConvertQuotaPayload;
  ADJUST_LEADERSHIP: AdjustLeadershipPayload;
  LEND_POOL_QUOTA: LendPoolQuotaPayload;
  USE_QUOTA: UseQuotaPayload;
  ENROL_PERSON: EnrolPersonPayload;
  DISENROL_PERSON: DisenrolPersonPayload;
  TRANSFER_PERSON: TransferPersonPayload;
}

/** A change request of type `T` as the rules see it: what it asks, not where it is in the procedure. */
export interface ChangeSpecOf<T extends RequestType> {
  type: T;
  /** The requesting unit (申请单位): the clerk's own. */
  unitId: string;
  payload: PayloadByType[T];
  /** The request's id, kept on loans and on registry history. */
  requestId: string;
  /** The id a unit set up by this request will get (ESTABLISH_UNIT), fixed when the request is created. */
  newUnitId?: string;
}

/** A change request of any type, narrowed by `type`. */
export type ChangeSpec = { [T in RequestType]: ChangeSpecOf<T> }[RequestType];
