import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthUser, hasRole } from '@bianzhi/auth';
import {
  fontDirsFrom,
  issuerFor,
  MinutesFacts,
  ProcedureEntry,
  renderDocument,
  RenderedDocument,
  requestPart,
  RequestDocumentFacts,
} from '@bianzhi/documents';
import {
  AuditTrailRepository,
  ChangeRequestEntity,
  DocumentMeta,
  DocumentsRepository,
  MeetingsRepository,
  RegistryRepository,
  UsersRepository,
} from '@bianzhi/persistence';
import { MEETING_READERS } from '../auth/access';
import { seesBallots } from '../change-requests/ballot-privacy';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { ApiError } from '../common/api-error';
import { DocumentView } from './documents.responses';

// Official documents (公文, docs/api.md "Documents"): listed with a request or a meeting, downloaded by whoever may
// see that request or meeting (a 404 for the rest, as for the request itself), and the 审批表 rendered on demand
// from the request and its audit trail.

export function documentView(d: DocumentMeta): DocumentView {
  return {
    id: d.id,
    kind: d.kind,
    ...(d.documentNumber ? { documentNumber: d.documentNumber } : {}),
    title: d.title,
    sha256: d.sha256,
    issuedAt: d.issuedAt.toISOString(),
  };
}

@Injectable()
export class DocumentsService {
  /** The county's name as its documents print it, and the office's fonts (the worker's settings too). */
  readonly countyName: string;
  readonly fontDirs: string[];

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly requests: ChangeRequestsService,
    private readonly trail: AuditTrailRepository,
    private readonly users: UsersRepository,
    private readonly registry: RegistryRepository,
    private readonly meetings: MeetingsRepository,
    config: ConfigService,
  ) {
    this.countyName = config.get<string>('COUNTY_NAME') ?? '本县';
    this.fontDirs = fontDirsFrom(config.get<string>('DOCUMENT_FONT_DIRS'));
  }

  render(facts: RequestDocumentFacts | MinutesFacts): Promise<RenderedDocument> {
    return renderDocument(facts, { fontDirs: this.fontDirs });
  }

  async ofRequest(user: AuthUser, requestId: string): Promise<DocumentView[]> {
    await this.requests.findVisible(user, requestId);
    return (await this.documents.ofRequest(requestId)).map(documentView);
  }

  async ofMeeting(meetingId: string): Promise<DocumentView[]> {
    if (!(await this.meetings.find(meetingId))) throw ApiError.notFound('the meeting');
    return (await this.documents.ofMeeting(meetingId)).map(documentView);
  }

  /** The PDF, to whoever may see its request or meeting; a 404 alike for a document that is not there or not theirs. */
  async download(user: AuthUser, id: string): Promise<{ meta: DocumentMeta; content: Buffer }> {
    const meta = await this.documents.find(id);
    if (!meta) throw ApiError.notFound('the document');
    if (meta.requestId) {
      await this.requests.findVisible(user, meta.requestId).catch((err) => {
        // Not theirs reads as not there; any other failure (the database down) stays what it is.
        throw err instanceof ApiError && err.getStatus() === 404 ? ApiError.notFound('the document') : err;
      });
    } else if (!hasRole(user, ...MEETING_READERS)) throw ApiError.notFound('the document');
    const stored = await this.documents.content(id);
    return { meta, content: stored!.content };
  }

  /**
   * The 审批表 of a request: its content and every step of its procedure (opinions, votes, decisions) with the
   * names and dates, from the audit trail; rendered when asked, not numbered, not stored.
   */
  async approvalForm(user: AuthUser, requestId: string): Promise<RenderedDocument> {
    const row = await this.requests.findVisible(user, requestId);
    const records = await this.trail.recordsOfRequest(requestId);
    const names = new Map<string, string>();
    for (const id of new Set(records.map((r) => r.actorId)))
      if (id && id !== 'system') names.set(id, (await this.users.findById(id))?.displayName ?? '');
    // Who voted how is the committee's and the auditors' to read (ballot privacy): others see that a member voted.
    const ballots = seesBallots(user);
    const procedure: ProcedureEntry[] = records.map((r) =>
      r.action === 'voted' && !ballots
        ? { action: r.action, actor: '编委会成员', role: r.role, at: r.at.toISOString(), comment: null }
        : {
            action: r.action,
            actor: (r.actorId && names.get(r.actorId)) || r.actor,
            role: r.role,
            at: r.at.toISOString(),
            comment: r.comment,
          },
    );
    return this.render({
      ...(await this.requestFacts(row)),
      kind: 'APPROVAL_FORM',
      issuer: issuerFor('APPROVAL_FORM', this.countyName),
      documentNumber: row.documentNumber,
      issuedAt: (records.at(-1)?.at ?? row.updatedAt).toISOString(),
      procedure,
    });
  }

  private async requestFacts(row: ChangeRequestEntity): Promise<Omit<RequestDocumentFacts, 'kind' | 'issuer'>> {
    const p = row.procedure;
    return {
      decidedBy: p.decidedBy,
      documentNumber: row.documentNumber,
      issuedAt: row.updatedAt.toISOString(),
      ...requestPart(row, (await this.registry.snapshot()).units),
      ...(p.rejection ? { rejection: p.rejection } : {}),
      higherDecision: p.higherDecision
        ? {
            approved: p.higherDecision.approved,
            documentNumber: p.higherDecision.documentNumber,
            comment: p.higherDecision.comment,
          }
        : null,
    };
  }
}
