import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CATEGORIES,
  Category,
  DiffEntry,
  OPINION_POSITIONS,
  OpinionPosition,
  REQUEST_STATUSES,
  REQUEST_TYPES,
  RequestStatus,
  RequestType,
  RuleViolation,
  Tally,
  VOTE_CHOICES,
  VoteChoice,
  VoteOutcome,
} from '@bianzhi/domain';
import { AuditRecordView, CheckpointView } from '../audit/audit.responses';
import { ANY_JSON } from '../common/api.responses';

const VOTE_OUTCOMES: VoteOutcome[] = ['APPROVED', 'REJECTED', 'NO_QUORUM'];
const DATE_TIME = { type: String, format: 'date-time' } as const;
const DIFF_SCOPES: DiffEntry['scope'][] = ['unit', 'county', 'pool'];

/** One line of what the change would do to the registry (the before/after the committee sees). */
export class DiffEntryView implements DiffEntry {
  @ApiProperty({ enum: DIFF_SCOPES }) scope: DiffEntry['scope'];
  @ApiPropertyOptional({ format: 'uuid' }) unitId?: string;
  @ApiPropertyOptional() unitName?: string;
  @ApiProperty({ description: 'the field changed, e.g. quotas.ADMIN or name' }) field: string;
  @ApiProperty({ ...ANY_JSON, description: 'any JSON value' }) before: unknown;
  @ApiProperty({ ...ANY_JSON, description: 'any JSON value' }) after: unknown;
}

/** A consulted unit's answer (征求意见). */
export class OpinionView {
  @ApiProperty({ enum: OPINION_POSITIONS }) position: OpinionPosition;
  @ApiProperty() comment: string;
  @ApiProperty({ description: 'username' }) by: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A unit asked for its opinion in a round of 论证. */
export class ConsultationView {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ type: 'integer' }) round: number;
  @ApiProperty(DATE_TIME) dueAt: string;
  @ApiProperty(DATE_TIME) requestedAt: string;
  @ApiPropertyOptional(DATE_TIME) remindedAt?: string;
  @ApiPropertyOptional({ ...DATE_TIME, description: 'set when the due date passed without an answer' })
  lapsedAt?: string;
  @ApiPropertyOptional({ type: OpinionView }) opinion?: OpinionView;
  @ApiProperty({ description: 'asked by the procedure itself: the change takes from this unit (docs/api.md)' })
  automatic: boolean;
}

/** The committee's count: quorum at two thirds of the eligible voting, approvals above half to pass. */
export class VoteTally implements Tally {
  @ApiProperty({ type: 'integer' }) eligible: number;
  @ApiProperty({ type: 'integer' }) approve: number;
  @ApiProperty({ type: 'integer' }) reject: number;
  @ApiProperty({ type: 'integer' }) abstain: number;
  @ApiProperty() quorumReached: boolean;
}

/** The count of the current (or last) vote, with its outcome once closed. */
export class TallyView extends VoteTally {
  @ApiProperty({ enum: VOTE_OUTCOMES, nullable: true, description: 'null while the vote is open' })
  outcome: VoteOutcome | null;
}

/** `POST /v1/change-requests/:id/votes` answers the running count. */
export class VoteResult {
  @ApiProperty({ type: VoteTally }) tally: VoteTally;
}

/** A member's ballot: shown to the committee and auditors only. */
export class BallotView {
  @ApiProperty({ format: 'uuid' }) memberId: string;
  @ApiPropertyOptional() username?: string;
  @ApiProperty({ enum: VOTE_CHOICES }) vote: VoteChoice;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A committee member as a vote records them (eligible or recused). */
export class VoteMember {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) unitId: string | null;
}

export class ConsultationDeadline {
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty(DATE_TIME) dueAt: string;
}

/** What is still awaited, and by when. */
export class Deadlines {
  @ApiProperty({ type: [ConsultationDeadline], description: 'unanswered consultations of the current round' })
  consultations: ConsultationDeadline[];
  @ApiProperty({ ...DATE_TIME, nullable: true, description: "the open vote's deadline" }) vote: string | null;
}

/** A return for revision (退回修改). */
export class ReturnView {
  @ApiProperty() comment: string;
  @ApiProperty({ description: 'username' }) by: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A closed vote of an earlier round. */
export class PastVote {
  @ApiProperty({ type: 'integer' }) round: number;
  @ApiPropertyOptional({ enum: VOTE_OUTCOMES }) outcome?: VoteOutcome;
  @ApiPropertyOptional({ type: VoteTally }) tally?: VoteTally;
  @ApiPropertyOptional(DATE_TIME) closedAt?: string;
}

/** The higher establishment office's answer (上级编办审批). */
export class HigherDecisionView {
  @ApiProperty() approved: boolean;
  @ApiProperty({ description: '文号' }) documentNumber: string;
  @ApiProperty() comment: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A registry rule the change breaks (422 RULE_VIOLATION's details, a rejection's rules). */
export class RuleViolationView implements RuleViolation {
  [figure: string]: unknown;
  @ApiProperty({ description: 'the rule, e.g. QUOTA_EXCEEDS_TOTAL' }) rule: RuleViolation['rule'];
  @ApiProperty() message: string;
  @ApiPropertyOptional({ format: 'uuid' }) unitId?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) category?: Category;
}

/** The office director's decision (编办主任办公会议). */
export class OfficeDecisionView {
  @ApiProperty() approved: boolean;
  @ApiProperty() comment: string;
  @ApiProperty({ description: 'username' }) by: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A step of implementation that failed for good and waits for the office's retry. */
export class StalledView {
  @ApiProperty({ enum: ['implementation', 'pool_loan_return', 'document'] }) step: string;
  @ApiProperty({ description: 'why it failed' }) reason: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A document issued for the request, as its procedure records it. */
export class IssuedDocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['APPROVAL_REPLY', 'REJECTION_NOTICE', 'QUOTA_USE_NOTICE'] }) kind: string;
  @ApiProperty({ description: '文号' }) documentNumber: string;
  @ApiProperty({ description: 'SHA-256 of the PDF, hex' }) sha256: string;
  @ApiProperty(DATE_TIME) issuedAt: string;
}

export class RejectionView {
  @ApiProperty({ enum: REQUEST_STATUSES, description: 'the stage it was rejected at' }) stage: RequestStatus;
  @ApiProperty() reason: string;
  @ApiPropertyOptional({ type: [RuleViolationView] }) rules?: RuleViolationView[];
}

/** A withdrawal by the requesting unit (撤回). */
export class WithdrawalView {
  @ApiProperty() reason: string;
  @ApiProperty({ description: 'username' }) by: string;
  @ApiProperty(DATE_TIME) at: string;
}

/** A change request (机构编制事项) as the API shows it: its content, stage, and the procedure so far. */
export class ChangeRequestView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: REQUEST_TYPES }) type: RequestType;
  @ApiProperty({ enum: REQUEST_STATUSES }) status: RequestStatus;
  @ApiProperty({ format: 'uuid', description: 'the requesting unit' }) unitId: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: '理由' }) justification: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'typed by `type` (docs/api.md)' })
  payload: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true, description: "来文号: the requesting unit's own document number" })
  referenceNumber: string | null;
  @ApiProperty({ type: 'array', items: { type: 'string', format: 'uuid' }, description: '抄送: unit ids' })
  copyTo: string[];
  @ApiProperty({ type: [DiffEntryView] }) diff: DiffEntryView[];
  @ApiProperty({ type: [ConsultationView] }) consultations: ConsultationView[];
  @ApiProperty({ type: TallyView }) tally: TallyView;
  @ApiPropertyOptional({ type: [BallotView], description: 'to committee members, the chair and auditors only' })
  ballots?: BallotView[];
  @ApiProperty({ type: [VoteMember] }) eligibleMembers: VoteMember[];
  @ApiProperty({ type: [VoteMember], description: 'members who lead a unit the request concerns' })
  recusedMembers: VoteMember[];
  @ApiProperty({ type: Deadlines }) deadlines: Deadlines;
  @ApiProperty({ type: 'integer', description: 'the round of 论证 (a revision starts the next)' }) round: number;
  @ApiProperty({ type: [ReturnView] }) returns: ReturnView[];
  @ApiProperty({ type: [PastVote] }) pastVotes: PastVote[];
  @ApiProperty({ type: [String], description: 'why the higher office must approve, if it must' })
  higherApprovalReasons: string[];
  @ApiProperty({ type: [String], description: '报批: why it goes up (the same list as higherApprovalReasons)' })
  referralReasons: string[];
  @ApiProperty({ enum: ['COMMITTEE', 'OFFICE'], description: 'who decides (fixed at the forward)' })
  decidedBy: 'COMMITTEE' | 'OFFICE';
  @ApiProperty({ type: OfficeDecisionView, nullable: true }) officeDecision: OfficeDecisionView | null;
  @ApiProperty({ type: StalledView, nullable: true, description: 'a step of implementation waiting for a retry' })
  stalled: StalledView | null;
  @ApiProperty({ type: HigherDecisionView, nullable: true }) higherDecision: HigherDecisionView | null;
  @ApiProperty({ type: String, nullable: true, description: '文号, once implemented' }) documentNumber: string | null;
  @ApiProperty({ type: [String], description: 'follow-up tasks after implementation' }) followUps: string[];
  @ApiProperty({
    type: [IssuedDocumentView],
    description: 'the official documents issued (公文): GET /v1/change-requests/:id/documents has their titles',
  })
  documents: IssuedDocumentView[];
  @ApiProperty({ type: RejectionView, nullable: true }) rejection: RejectionView | null;
  @ApiProperty({ type: WithdrawalView, nullable: true }) withdrawal: WithdrawalView | null;
  @ApiProperty({ format: 'uuid', description: "the requester's user id" }) createdBy: string;
  @ApiProperty(DATE_TIME) createdAt: string;
  @ApiProperty(DATE_TIME) updatedAt: string;
}

/** `GET /v1/change-requests/:id`: with `?asOf=`, rebuilt from the audit trail alone, and saying so. */
export class ChangeRequestAsOfView extends ChangeRequestView {
  @ApiPropertyOptional({ ...DATE_TIME, description: 'only with ?asOf=' }) asOf?: string;
  @ApiPropertyOptional({ description: 'only with ?asOf=: always true' }) rebuiltFromAudit?: boolean;
  @ApiPropertyOptional({ type: 'integer', description: 'only with ?asOf=: records replayed' }) auditRecords?: number;
}

export class ChangeRequestPage {
  @ApiProperty({ type: [ChangeRequestView] }) items: ChangeRequestView[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

/** The recorded workflow history replayed against today's code: a non-determinism is an answer, not a 500. */
export class ReplayResult {
  @ApiProperty() workflowId: string;
  @ApiProperty({ type: 'integer' }) runs: number;
  @ApiProperty({ type: 'integer', description: 'history events replayed' }) events: number;
  @ApiProperty() deterministic: boolean;
  @ApiPropertyOptional({ description: 'why not, when not deterministic' }) reason?: string;
}

export class DossierWorkflow {
  @ApiProperty() workflowId: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "Temporal's history, as its JSON" })
  history: Record<string, unknown>;
}

/** An official document in a dossier: its PDF as base64, for the verifier to hash and to render again. */
export class DossierDocument {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() kind: string;
  @ApiProperty({ type: String, nullable: true }) documentNumber: string | null;
  @ApiProperty() title: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ description: 'the PDF, base64' }) pdf: string;
}

/** Everything an auditor needs about one request, checked offline by `npm run verify-dossier`. */
export class Dossier {
  @ApiProperty({ example: 'bianzhi-dossier/1' }) format: string;
  @ApiProperty(DATE_TIME) exportedAt: string;
  @ApiProperty({ description: 'username' }) exportedBy: string;
  @ApiProperty({ type: ChangeRequestView }) request: ChangeRequestView;
  @ApiProperty({ type: [AuditRecordView], description: "the request's records within the checkpoint" })
  auditRecords: AuditRecordView[];
  @ApiProperty({
    type: 'integer',
    description: 'the first seq the trail signs: a record before it carries no signature (its checkpoint covers it)',
  })
  recordsSignedFrom: number;
  @ApiProperty({ type: CheckpointView }) checkpoint: CheckpointView;
  @ApiProperty({
    type: 'object',
    description: "each record's inclusion proof in the checkpoint's tree, by seq",
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  inclusionProofs: Record<string, string[]>;
  @ApiProperty({ type: DossierWorkflow }) workflow: DossierWorkflow;
  @ApiProperty({
    type: [DossierDocument],
    description: 'the official documents issued, each rendered again from its record by the verifier',
  })
  documents: DossierDocument[];
}
