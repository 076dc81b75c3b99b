import { Category, DisenrolReason, EnrolChannel, PersonStatus } from '../enums';
import {
  DisenrolPersonLine,
  DisenrolPersonPayload,
  EnrolPersonLine,
  EnrolPersonPayload,
  TransferPersonLine,
  TransferPersonPayload,
} from '../payloads';

// A person on the establishment (实名制) as the rules see them, and the moves a request makes (docs/domain.md,
// "People on the establishment"). The registry's `occupied` counts people on; the people on record are the named
// part of it (a unit loaded with a count and no people shows the rest as 未实名).

export interface PersonState {
  id: string;
  name: string;
  /** The keyed hash of the ID number: the one way the rules compare people. */
  idHash: string;
  idNumberMasked: string;
  status: PersonStatus;
  /** Where the person is on (or was last, when off). */
  unitId: string | null;
  category: Category | null;
}

export type PersonAction = 'ENROLLED' | 'DISENROLLED' | 'TRANSFERRED';

/** One person's move made by a request, written to the people records at implementation with its document number. */
export interface PersonMove {
  action: PersonAction;
  /** Absent for a person never on record before: the records give them an id when the move is written. */
  personId: string | null;
  name: string;
  idHash: string;
  idNumberMasked: string;
  /** Where the person is afterwards (for a person taken off: where they were). */
  unitId: string;
  category: Category;
  fromUnitId?: string;
  fromCategory?: Category;
  channel?: EnrolChannel;
  reason?: DisenrolReason;
  date?: string;
  /** True when the person took a place promised by an earlier USE_QUOTA (待入编) rather than a vacancy. */
  tookPendingPlace?: boolean;
}

/** The people a request names, by id and by ID-number hash, which the records load beside the registry. */
export interface PeopleNamed {
  ids: string[];
  idHashes: string[];
}

export function enrolLines(p: EnrolPersonPayload): EnrolPersonLine[] {
  return p.lines?.length ? p.lines : [p as EnrolPersonLine];
}
export function disenrolLines(p: DisenrolPersonPayload): DisenrolPersonLine[] {
  return p.lines?.length ? p.lines : [p as DisenrolPersonLine];
}
export function transferLines(p: TransferPersonPayload): TransferPersonLine[] {
  return p.lines?.length ? p.lines : [p as TransferPersonLine];
}

/** The person on record with this ID-number hash, if any. */
export function personByHash(
  people: Record<string, PersonState> | undefined,
  idHash: string | undefined,
): PersonState | undefined {
  if (!people || !idHash) return undefined;
  return Object.values(people).find((p) => p.idHash === idHash);
}
