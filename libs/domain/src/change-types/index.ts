import { RequestType } from '../enums';
import { ChangeSpecOf, PayloadByType } from '../payloads';
import { abolishUnit } from './abolish-unit';
import { addNamePlate } from './add-name-plate';
import { adjustLeadership } from './adjust-leadership';
import { adjustQuota } from './adjust-quota';
import { adjustSections } from './adjust-sections';
import { changeGrade } from './change-grade';
import { convertQuota } from './convert-quota';
import { ChangeTypeDefinition } from './definition';
import { disenrolPerson } from './disenrol-person';
import { enrolPerson } from './enrol-person';
import { establishUnit } from './establish-unit';
import { lendPoolQuota } from './lend-pool-quota';
import { mergeUnits } from './merge-units';
import { renameUnit } from './rename-unit';
import { transferPerson } from './transfer-person';
import { transferQuota } from './transfer-quota';
import { useQuota } from './use-quota';

export * from './definition';

/** One definition per request type, each typed by its own payload. */
export type ChangeTypeRegistry = { readonly [T in RequestType]: ChangeTypeDefinition<PayloadByType[T]> };

/**
 * Every change type, the one place the rules look a type up (docs/architecture.md). A new type is one file
 * beside this one and one line here; a request type without its line, or a line whose definition lacks a
 * member or takes another type's payload, does not compile.
 */
export const CHANGE_TYPES = {
  ESTABLISH_UNIT: establishUnit,
  ABOLISH_UNIT: abolishUnit,
  MERGE_UNITS: mergeUnits,
  RENAME_UNIT: renameUnit,
  ADD_NAME_PLATE: addNamePlate,
  CHANGE_GRADE: changeGrade,
  ADJUST_SECTIONS: adjustSections,
  ADJUST_QUOTA: adjustQuota,
  TRANSFER_QUOTA: transferQuota,
  CONVERT_QUOTA: convertQuota,
  ADJUST_LEADERSHIP: adjustLeadership,
  LEND_POOL_QUOTA: lendPoolQuota,
  USE_QUOTA: useQuota,
  ENROL_PERSON: enrolPerson,
  DISENROL_PERSON: disenrolPerson,
  TRANSFER_PERSON: transferPerson,
} satisfies ChangeTypeRegistry;

const registry: ChangeTypeRegistry = CHANGE_TYPES;

/**
 * Calls `use` with a request's definition and payload, typed together: on a `ChangeSpec` (a union over the
 * types) TypeScript cannot otherwise tell that the payload is the one its definition takes.
 */
export function withDefinition<T extends RequestType, R>(
  spec: ChangeSpecOf<T>,
  use: (definition: ChangeTypeDefinition<PayloadByType[T]>, payload: PayloadByType[T]) => R,
): R {
  return use(registry[spec.type], spec.payload);
}
