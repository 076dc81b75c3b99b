import { EntityManager } from 'typeorm';
import { ListVisibility, visibleRequestsSql } from './change-request.repository';

// The work lists of the web console (待办 / 已办), in SQL over the read model (change_requests, its `procedure`
// column holding the workflow's ProcedureState) and over the audit trail: one query per role family, each
// narrowed by an index (status, unit, the consultations' GIN index, the audit trail's actor index).

export const WORK_ACTIONS = [
  'submit',
  'revise',
  'review',
  'answer_consultation',
  'vote',
  'close_vote',
  'decide',
  'higher_decision',
  'retry',
] as const;
export type WorkAction = (typeof WORK_ACTIONS)[number];

/** Who asks: the user's id, roles and unit, as the token says. */
export interface WorkListUser {
  id: string;
  roles: readonly string[];
  unitId: string | null;
}

export interface WorkItem {
  requestId: string;
  title: string;
  type: string;
  status: string;
  unitId: string;
  unitName: string | null;
  action: WorkAction;
  /** A consultation's due time or a vote's deadline. */
  dueAt?: string;
  /** Past its due time (催办). */
  overdue: boolean;
  /** Since when the item has been waiting for the caller. */
  since: string;
}

export interface DoneItem {
  requestId: string;
  title: string;
  type: string;
  status: string;
  unitId: string;
  unitName: string | null;
  /** The caller's last action on the request (an audit record's action). */
  action: string;
  actedAt: string;
}

interface Row {
  request_id: string;
  title: string;
  type: string;
  status: string;
  unit_id: string;
  unit_name: string | null;
  action: WorkAction;
  due_at: Date | null;
  since: Date | null;
}

const SELECT = `SELECT r.id AS request_id, r.title, r.type, r.status, r.unit_id, u.name AS unit_name`;
const FROM = `FROM change_requests r LEFT JOIN units u ON u.id = r.unit_id`;

/** Per role, the query of what waits for it, with its parameters (the user's id or unit). */
const BY_ROLE: Record<string, { params: (u: WorkListUser) => unknown[] | null; sql: string }> = {
  // A clerk: its unit's drafts to submit and returned requests to revise.
  clerk: {
    params: (u) => (u.unitId ? [u.unitId] : null),
    sql: `${SELECT}, CASE r.status WHEN 'draft' THEN 'submit' ELSE 'revise' END AS action, NULL::timestamptz AS due_at,
      CASE r.status WHEN 'draft' THEN r.created_at
        ELSE COALESCE((r.procedure -> 'returns' -> -1 ->> 'at')::timestamptz, r.updated_at) END AS since
      ${FROM} WHERE r.unit_id = $1::uuid AND r.status IN ('draft', 'returned')`,
  },
  // A reviewer: requests in demonstration it did not make itself (separation of duties), since they
  // (re-)entered demonstration: submitted, revised, or back from a vote without quorum.
  reviewer: {
    params: (u) => [u.id],
    sql: `${SELECT}, 'review' AS action, NULL::timestamptz AS due_at,
      COALESCE((SELECT max(a.at) FROM audit_records a WHERE a.request_id = r.id
        AND a.action IN ('submitted', 'revised', 'vote_closed_no_quorum')), r.updated_at) AS since
      ${FROM} WHERE r.status = 'demonstration' AND r.created_by <> $1::uuid`,
  },
  // A consultee: its unit's open consultations of the current round (no opinion, not lapsed).
  consultee: {
    params: (u) => (u.unitId ? [u.unitId] : null),
    sql: `${SELECT}, 'answer_consultation' AS action, (c ->> 'dueAt')::timestamptz AS due_at,
      (c ->> 'requestedAt')::timestamptz AS since
      ${FROM} CROSS JOIN LATERAL jsonb_array_elements(r.procedure -> 'consultations') AS c
      WHERE r.status = 'demonstration'
        AND r.procedure -> 'consultations' @> jsonb_build_array(jsonb_build_object('unitId', $1::text))
        AND c ->> 'unitId' = $1::text AND (c ->> 'round')::int = (r.procedure ->> 'round')::int
        AND c -> 'opinion' IS NULL AND c -> 'lapsedAt' IS NULL`,
  },
  // A committee member: open votes it is eligible for and has not voted in (not on its own requests).
  committee_member: {
    params: (u) => [u.id],
    sql: `${SELECT}, 'vote' AS action, (r.procedure -> 'vote' ->> 'deadline')::timestamptz AS due_at,
      (r.procedure -> 'vote' ->> 'openedAt')::timestamptz AS since
      ${FROM} WHERE r.status = 'committee' AND r.created_by <> $1::uuid
        AND r.procedure -> 'vote' -> 'outcome' IS NULL
        AND r.procedure -> 'vote' -> 'eligible' @> jsonb_build_array(jsonb_build_object('id', $1::text))
        AND NOT r.procedure -> 'vote' -> 'ballots' @> jsonb_build_array(jsonb_build_object('memberId', $1::text))`,
  },
  // The chair: open votes not yet asked to close.
  committee_chair: {
    params: () => [],
    sql: `${SELECT}, 'close_vote' AS action, (r.procedure -> 'vote' ->> 'deadline')::timestamptz AS due_at,
      (r.procedure -> 'vote' ->> 'openedAt')::timestamptz AS since
      ${FROM} WHERE r.status = 'committee' AND r.procedure -> 'vote' -> 'outcome' IS NULL
        AND r.procedure -> 'vote' -> 'closeRequestedBy' IS NULL`,
  },
  // The office director: requests the office decides (not its own unit's), since the forward; and steps of
  // implementation that stalled (or the notice of a refusal), waiting for the office's retry (docs/domain.md,
  // "Implementation").
  office_director: {
    params: (u) => [u.id, u.unitId],
    sql: `${SELECT}, CASE r.status WHEN 'office_decision' THEN 'decide' ELSE 'retry' END AS action,
      NULL::timestamptz AS due_at,
      CASE r.status WHEN 'office_decision' THEN COALESCE((SELECT max(a.at) FROM audit_records a
          WHERE a.request_id = r.id AND a.action = 'forwarded'), r.updated_at)
        ELSE (r.procedure -> 'stalled' ->> 'at')::timestamptz END AS since
      ${FROM} WHERE (r.status = 'office_decision' AND r.created_by <> $1::uuid
          AND r.unit_id IS DISTINCT FROM $2::uuid)
        OR (r.status IN ('implementing', 'implemented', 'rejected') AND r.procedure -> 'stalled' IS NOT NULL
          AND r.unit_id IS DISTINCT FROM $2::uuid)`,
  },
  // The higher liaison: requests awaiting the higher office's approval, since the vote that sent them there.
  higher_liaison: {
    params: () => [],
    sql: `${SELECT}, 'higher_decision' AS action, NULL::timestamptz AS due_at,
      COALESCE((r.procedure -> 'vote' ->> 'closedAt')::timestamptz, r.updated_at) AS since
      ${FROM} WHERE r.status = 'awaiting_higher_approval'`,
  },
};

/** The request's own fields, as both lists show them. */
function requestFields(r: Pick<Row, 'request_id' | 'title' | 'type' | 'status' | 'unit_id' | 'unit_name'>) {
  return {
    requestId: r.request_id,
    title: r.title,
    type: r.type,
    status: r.status,
    unitId: r.unit_id,
    unitName: r.unit_name,
  };
}

export class WorkItemsRepository {
  constructor(private readonly em: EntityManager) {}

  /** What waits for the user now, oldest first. */
  async waiting(user: WorkListUser, now = new Date()): Promise<WorkItem[]> {
    const queries = Object.entries(BY_ROLE)
      .filter(([role]) => user.roles.includes(role))
      .map(([, q]) => ({ sql: q.sql, params: q.params(user) }))
      .filter((q) => q.params !== null);
    const results: Row[][] = await Promise.all(queries.map((q) => this.em.query(q.sql, q.params!)));
    return results
      .flat()
      .map((r): WorkItem & { at: number } => {
        const since = r.since ?? now;
        return {
          ...requestFields(r),
          action: r.action,
          ...(r.due_at ? { dueAt: r.due_at.toISOString() } : {}),
          overdue: !!r.due_at && r.due_at.getTime() <= now.getTime(),
          since: since.toISOString(),
          at: since.getTime(),
        };
      })
      .sort((a, b) => a.at - b.at || a.requestId.localeCompare(b.requestId) || a.action.localeCompare(b.action))
      .map(({ at: _at, ...item }) => item);
  }

  /**
   * The requests the user acted on (its records in the audit trail) and may still see, newest first, a page of
   * them: a clerk moved to another unit no longer sees its old unit's requests here either.
   */
  async done(
    userId: string,
    visibility: ListVisibility,
    page: number,
    pageSize: number,
  ): Promise<{ items: DoneItem[]; total: number }> {
    const listParams: unknown[] = [userId, pageSize, (page - 1) * pageSize];
    const countParams: unknown[] = [userId];
    const binder = (params: unknown[]) => (value: string) => `$${params.push(value)}`;
    const visibleInList = visibleRequestsSql(visibility, binder(listParams));
    const visibleInCount = visibleRequestsSql(visibility, binder(countParams));
    const [rows, [{ n }]]: [
      {
        request_id: string;
        action: string;
        at: Date;
        title: string;
        type: string;
        status: string;
        unit_id: string;
        unit_name: string | null;
      }[],
      { n: number }[],
    ] = await Promise.all([
      this.em.query(
        `WITH mine AS (
           SELECT DISTINCT ON (a.request_id) a.request_id, a.action, a.at, a.seq
           FROM audit_records a WHERE a.actor_id = $1 AND a.request_id IS NOT NULL
           ORDER BY a.request_id, a.seq DESC)
         ${SELECT}, m.action, m.at
         FROM mine m JOIN change_requests r ON r.id = m.request_id LEFT JOIN units u ON u.id = r.unit_id
         WHERE ${visibleInList}
         ORDER BY m.seq DESC LIMIT $2 OFFSET $3`,
        listParams,
      ),
      this.em.query(
        `SELECT count(DISTINCT a.request_id)::int AS n FROM audit_records a
         JOIN change_requests r ON r.id = a.request_id WHERE a.actor_id = $1 AND ${visibleInCount}`,
        countParams,
      ),
    ]);
    return {
      items: rows.map((r) => ({
        ...requestFields(r),
        action: r.action,
        actedAt: r.at.toISOString(),
      })),
      total: n,
    };
  }
}
