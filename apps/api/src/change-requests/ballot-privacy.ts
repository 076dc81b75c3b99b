import { AuthUser, hasRole } from '@bianzhi/auth';

// Who sees each member's ballot (name and choice): the committee and the auditors. Clerks and consultees see the
// tally only, in the request view and in its audit records alike (docs/api.md, "Change requests").

export function seesBallots(user: AuthUser): boolean {
  return hasRole(user, 'auditor', 'committee_member', 'committee_chair');
}

type Json = unknown;

/** The procedure state with its ballots left out (the tally stays derivable from the request view). */
function withoutBallots(state: Json): Json {
  if (!state || typeof state !== 'object' || Array.isArray(state)) return state;
  const s = { ...(state as Record<string, Json>) };
  const strip = (vote: Json) =>
    vote && typeof vote === 'object' ? { ...(vote as object), ballots: undefined, ballotsHidden: true } : vote;
  if (s.vote) s.vote = strip(s.vote);
  if (Array.isArray(s.pastVotes)) s.pastVotes = s.pastVotes.map(strip);
  if (s.procedure) s.procedure = withoutBallots(s.procedure);
  return s;
}

/**
 * An audit record as a clerk or consultee may read it: no ballot in the states, and a ballot's record names
 * neither the member nor the choice. The hash stays as stored; verifying the chain is the auditors' (full view).
 */
export function redactBallots<
  R extends {
    action: string;
    actor: string;
    actorId: string | null;
    before: Json;
    after: Json;
    comment: string | null;
  },
>(record: R): R {
  const voted = record.action === 'voted';
  return {
    ...record,
    before: withoutBallots(record.before),
    after: withoutBallots(record.after),
    ...(voted ? { actor: 'committee member', actorId: null, comment: null } : {}),
  };
}
