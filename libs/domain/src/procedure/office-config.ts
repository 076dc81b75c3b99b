import { REQUEST_TYPES, RequestType } from '../enums';
import { DEFAULT_OFFICE_DECIDED_TYPES } from './decision';

/**
 * The types the office decides (编办主任办公会议), from the operator's OFFICE_DECIDED_TYPES (comma-separated
 * type names; empty: none), or the default (docs/domain.md, "Who decides"). An unknown name stops the start.
 */
export function officeDecidedTypesFrom(value: string | undefined): readonly RequestType[] {
  if (value === undefined) return DEFAULT_OFFICE_DECIDED_TYPES;
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(REQUEST_TYPES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`OFFICE_DECIDED_TYPES: unknown request type(s) ${unknown.join(', ')}`);
  return names as RequestType[];
}
