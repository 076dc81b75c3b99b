import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { appendAudit } from '@bianzhi/audit';
import { AuthUser } from '@bianzhi/auth';
import {
  closingRefusal,
  CommitteeMemberRef,
  CommitteeVote,
  formatDocumentNumber,
  itemVote,
  meetingAttendance,
  MeetingItemOutcome,
  meetingItemOutcome,
  officeYear,
  tallyVotes,
} from '@bianzhi/domain';
import { issuerFor, MinutesFacts } from '@bianzhi/documents';
import {
  AlreadyOnAgendaError,
  ChangeRequestRepository,
  DocumentMeta,
  DocumentsRepository,
  RegistryRepository,
  MeetingEntity,
  MeetingItemRow,
  MeetingsRepository,
  Minutes,
  MinutesItem,
  UsersRepository,
} from '@bianzhi/persistence';
import { ChangeRequestsService } from '../change-requests/change-requests.service';
import { ApiError } from '../common/api-error';
import { documentView, DocumentsService } from '../documents/documents.service';
import { CreateMeetingDto, ListMeetingsQueryDto } from './meetings.dto';
import { MeetingItemView, MeetingView } from './meetings.responses';

// Committee meetings (编委会会议, docs/api.md "Committee meetings"): the chair puts requests in the committee stage
// on an agenda, members vote on each as usual, and closing the meeting closes every item's vote by the rule
// (through the request's workflow), then records the results, the attendance and the minutes' number at once.

/** How long a close waits for an item's vote that another close (the chair's own, say) is closing already. */
const SETTLE_MS = 10_000;

const ref = (m: { id: string; username: string; unitId: string | null }): CommitteeMemberRef => ({
  id: m.id,
  username: m.username,
  unitId: m.unitId ?? null,
});

@Injectable()
export class MeetingsService {
  private readonly officeCode: string;
  private readonly utcOffsetHours: number;

  constructor(
    private readonly meetings: MeetingsRepository,
    private readonly requests: ChangeRequestRepository,
    private readonly users: UsersRepository,
    private readonly changeRequests: ChangeRequestsService,
    private readonly documents: DocumentsService,
    private readonly documentRows: DocumentsRepository,
    private readonly registry: RegistryRepository,
    config: ConfigService,
  ) {
    // The same 机关代字 and office time zone as the worker's document numbers.
    this.officeCode = config.get<string>('OFFICE_CODE') ?? '清';
    this.utcOffsetHours = Number(config.get('OFFICE_UTC_OFFSET') ?? 8);
  }

  // ── reading ──────────────────────────────────────────────────────────────────────────────────────

  private itemView(meeting: MeetingEntity, item: MeetingItemRow): MeetingItemView {
    const recorded = meeting.minutes?.items.find((i) => i.requestId === item.requestId);
    const vote = itemVote(item.procedure, item.voteRound);
    const { outcome: _o, ...live } = tallyVotes(vote?.eligible.length ?? 0, vote?.ballots ?? []);
    return {
      requestId: item.requestId,
      title: recorded?.title ?? item.title,
      position: item.position,
      status: item.status,
      tally: item.tally ?? vote?.tally ?? live,
      ...(item.result ? { result: item.result } : {}),
      recused: (recorded?.recused ?? vote?.recused ?? []).map(ref),
    };
  }

  private view(meeting: MeetingEntity, items: MeetingItemRow[], documents: DocumentMeta[]): MeetingView {
    return {
      id: meeting.id,
      title: meeting.title,
      heldAt: meeting.heldAt.toISOString(),
      status: meeting.status,
      items: items.filter((i) => i.meetingId === meeting.id).map((i) => this.itemView(meeting, i)),
      createdBy: meeting.createdBy,
      createdAt: meeting.createdAt.toISOString(),
      closedAt: meeting.closedAt?.toISOString() ?? null,
      minutesNumber: meeting.minutesNumber,
      attendance: meeting.minutes
        ? { present: meeting.minutes.attendance.present.map(ref), absent: meeting.minutes.attendance.absent.map(ref) }
        : null,
      documents: documents.map(documentView),
    };
  }

  private async found(id: string): Promise<MeetingEntity> {
    const meeting = await this.meetings.find(id);
    if (!meeting) throw ApiError.notFound('the meeting');
    return meeting;
  }

  async get(id: string): Promise<MeetingView> {
    const meeting = await this.found(id);
    return this.view(meeting, await this.meetings.items([id]), await this.documentRows.ofMeeting(id));
  }

  async list(q: ListMeetingsQueryDto) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    const { rows, total } = await this.meetings.list(page, pageSize);
    const items = await this.meetings.items(rows.map((m) => m.id));
    const documents = await Promise.all(rows.map((m) => this.documentRows.ofMeeting(m.id)));
    return { items: rows.map((m, i) => this.view(m, items, documents[i])), total, page, pageSize };
  }

  // ── creating ─────────────────────────────────────────────────────────────────────────────────────

  /**
   * A meeting with its agenda: every request must exist (404) and be in `committee` with its vote not being
   * closed (409 WRONG_STAGE), and on no other open meeting (409 ALREADY_ON_AGENDA); each refusal names every
   * request at fault (`details[].field` is `requestIds[i]`), and nothing is created.
   */
  async create(user: AuthUser, dto: CreateMeetingDto): Promise<MeetingView> {
    const rows = await Promise.all(dto.requestIds.map((id) => this.requests.findById(id)));
    const missing = dto.requestIds.flatMap((requestId, i) =>
      rows[i] ? [] : [{ field: `requestIds[${i}]`, requestId }],
    );
    if (missing.length)
      throw new ApiError(404, 'NOT_FOUND', `no change request ${missing.map((m) => m.requestId).join(', ')}`, missing);
    const wrongStage = rows.flatMap((row, i) =>
      row!.status !== 'committee' || closingRefusal(row!.procedure) || !row!.procedure.vote
        ? [{ field: `requestIds[${i}]`, requestId: row!.id, status: row!.status }]
        : [],
    );
    if (wrongStage.length)
      throw new ApiError(
        409,
        'WRONG_STAGE',
        `only requests in the committee stage with an open vote go on an agenda: ${wrongStage
          .map((w) => `${w.requestId} is ${w.status}`)
          .join(', ')}`,
        wrongStage,
      );
    const meeting: MeetingEntity = {
      id: randomUUID(),
      title: dto.title,
      heldAt: new Date(dto.heldAt),
      status: 'open',
      createdBy: user.id,
      createdAt: new Date(),
      closedAt: null,
      minutesNumber: null,
      minutes: null,
    };
    const items = rows.map((row, i) => ({
      meetingId: meeting.id,
      requestId: row!.id,
      position: i + 1,
      voteRound: row!.procedure.vote!.round,
      result: null,
      tally: null,
    }));
    await this.meetings
      .transaction(async (meetings, em) => {
        const taken = await meetings.openItemsOf(dto.requestIds);
        if (taken.length) throw new AlreadyOnAgendaError(taken[0].requestId, taken[0].meetingId);
        await meetings.insert(meeting, items);
        await appendAudit(em, {
          actor: user.username,
          actorId: user.id,
          role: 'committee_chair',
          action: 'meeting_created',
          stepKey: `meeting:${meeting.id}:created`,
          after: {
            meetingId: meeting.id,
            title: meeting.title,
            heldAt: meeting.heldAt.toISOString(),
            items: items.map((item, i) => ({
              requestId: item.requestId,
              title: rows[i]!.title,
              position: item.position,
              voteRound: item.voteRound,
            })),
          },
        });
      })
      .catch((err) => {
        if (!(err instanceof AlreadyOnAgendaError)) throw err;
        const i = dto.requestIds.indexOf(err.requestId);
        throw new ApiError(409, 'ALREADY_ON_AGENDA', err.message, [
          { field: `requestIds[${i}]`, requestId: err.requestId, meetingId: err.meetingId },
        ]);
      });
    return this.get(meeting.id);
  }

  // ── closing ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Closes the meeting: each item's vote closed by the rule through its workflow (once: the Update's id comes
   * from the meeting's), then, once every item has its result, the results, the attendance and the minutes'
   * number in one transaction. Resumable: a close cut short leaves the meeting `closing`, and closing it again
   * finishes the rest. A closed meeting is not closed again (409 WRONG_STAGE; the same Idempotency-Key replays
   * the first answer).
   */
  async close(user: AuthUser, id: string): Promise<MeetingView> {
    const meeting = await this.found(id);
    if (meeting.status === 'closed')
      throw new ApiError(409, 'WRONG_STAGE', `the meeting is closed already (minutes ${meeting.minutesNumber})`);
    await this.meetings.markClosing(id);
    const items = await this.meetings.items([id]);
    // One after another: each waits for its workflow to record the close.
    const outcomes: (MeetingItemOutcome & { vote?: CommitteeVote })[] = [];
    for (const item of items) outcomes.push(await this.closeItem(user, id, item));
    await this.meetings.transaction(async (meetings, em) => {
      const locked = await meetings.findForUpdate(id);
      if (!locked || locked.status === 'closed') return; // a concurrent close finished it
      const closedAt = new Date();
      const members = (await this.users.activeCommitteeMembers()).map(ref);
      const chair = ref(user);
      const votes = outcomes.map((o) => o.vote).filter((v): v is CommitteeVote => !!v);
      const minutesItems: MinutesItem[] = items.map((item, k) => ({
        requestId: item.requestId,
        title: item.title,
        position: item.position,
        voteRound: item.voteRound,
        result: outcomes[k].result,
        tally: outcomes[k].tally,
        recused: outcomes[k].recused,
      }));
      const minutes: Minutes = { chair, attendance: meetingAttendance(chair, members, votes), items: minutesItems };
      const year = officeYear(closedAt.getTime(), this.utcOffsetHours);
      const n = await meetings.nextMinutesNumber(year);
      const minutesNumber = formatDocumentNumber(this.officeCode, year, n, 'MINUTES');
      await meetings.close(id, closedAt, minutesNumber, minutes);
      // The minutes (会议纪要) rendered and stored with the close: its record carries their hash and facts.
      const stepKey = `meeting:${id}:closed`;
      const facts = await this.minutesFacts(locked, minutes, minutesNumber, closedAt, user);
      const rendered = await this.documents.render(facts);
      const document = {
        id: randomUUID(),
        kind: 'MINUTES',
        documentNumber: minutesNumber,
        sha256: rendered.sha256,
        issuedAt: closedAt.toISOString(),
      };
      await new DocumentsRepository(em).insert({
        ...document,
        requestId: null,
        meetingId: id,
        title: rendered.title,
        fonts: rendered.fonts ?? null,
        size: rendered.pdf.byteLength,
        content: Buffer.from(rendered.pdf),
        facts,
        stepKey,
        issuedAt: closedAt,
      });
      await appendAudit(em, {
        at: closedAt,
        actor: user.username,
        actorId: user.id,
        role: 'committee_chair',
        action: 'meeting_closed',
        stepKey,
        after: {
          meetingId: id,
          title: locked.title,
          minutesNumber,
          ...minutes,
          document: { ...document, title: rendered.title, fonts: rendered.fonts ?? null, facts },
        },
      });
    });
    return this.get(id);
  }

  /** What the minutes print: the meeting, its items with their units, who attended and who stood aside, by name. */
  private async minutesFacts(
    meeting: MeetingEntity,
    minutes: Minutes,
    minutesNumber: string,
    closedAt: Date,
    chair: AuthUser,
  ): Promise<MinutesFacts> {
    const users = new Map((await this.users.list()).map((u) => [u.id, u.displayName || u.username]));
    users.set(chair.id, chair.displayName || chair.username);
    const name = (m: CommitteeMemberRef) => users.get(m.id) ?? m.username;
    const items: MinutesFacts['meeting']['items'] = [];
    for (const item of minutes.items) {
      const row = await this.requests.findById(item.requestId);
      const unit = row ? await this.registry.unit(row.unitId) : null;
      items.push({
        title: item.title,
        unitName: unit?.name ?? row?.unitId ?? '',
        recused: item.recused.map(name),
        tally: item.tally,
        result: item.result,
      });
    }
    return {
      kind: 'MINUTES',
      issuer: issuerFor('MINUTES', this.documents.countyName),
      documentNumber: minutesNumber,
      issuedAt: closedAt.toISOString(),
      meeting: {
        id: meeting.id,
        title: meeting.title,
        heldAt: meeting.heldAt.toISOString(),
        present: minutes.attendance.present.map(name),
        absent: minutes.attendance.absent.map(name),
        items,
      },
    };
  }

  /**
   * One item: its vote closed by the meeting unless closed already (by itself, by the chair, or the request
   * withdrawn: then 409 WRONG_STAGE, and its result is read from the request), then its outcome.
   */
  private async closeItem(
    user: AuthUser,
    meetingId: string,
    item: MeetingItemRow,
  ): Promise<MeetingItemOutcome & { vote?: CommitteeVote }> {
    let state = item.procedure ? { ...item.procedure, status: item.status } : null;
    const outcomeOf = () => (state ? meetingItemOutcome(state, item.voteRound) : null);
    // Only the vote the meeting holds: a later round (the request forwarded again) is not the meeting's to close.
    if (!outcomeOf() && item.status === 'committee' && item.procedure.vote?.round === item.voteRound) {
      try {
        await this.changeRequests.act(
          'closeVoteByMeeting',
          user,
          item.requestId,
          { meetingId },
          `meeting:${meetingId}:${item.requestId}`,
        );
      } catch (err) {
        if (!(err instanceof ApiError) || err.getStatus() !== 409) throw err;
      }
    }
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const row = await this.requests.findById(item.requestId);
      state = row ? { ...row.procedure, status: row.status } : null;
      const outcome = outcomeOf();
      if (outcome) return { ...outcome, vote: state ? itemVote(state, item.voteRound) : undefined };
      if (Date.now() > deadline)
        throw ApiError.unavailable(`the vote on ${item.requestId} is not closed yet; close the meeting again`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
