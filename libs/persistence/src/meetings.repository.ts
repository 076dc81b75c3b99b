import { EntityManager, QueryFailedError } from 'typeorm';
import type { ProcedureState, RequestStatus } from '@bianzhi/domain';
import { ImplementationRepository } from './change-request.repository';
import { MeetingEntity, MeetingItemEntity, Minutes } from './entities';

// Committee meetings (编委会会议) and their agenda items: the SQL lives here, the API's meetings service says what it
// wants (docs/architecture.md). The minutes' numbers come from the documents' counters, series MINUTES (编委纪).

/** An agenda item with its request as it stands now (its title, status and procedure, for the live tally). */
export interface MeetingItemRow extends MeetingItemEntity {
  title: string;
  status: RequestStatus;
  procedure: ProcedureState;
}

/** Another open meeting already holds one of the requests (a request is on one open meeting at most). */
export class AlreadyOnAgendaError extends Error {
  constructor(
    readonly requestId: string,
    readonly meetingId: string | null,
  ) {
    super(`request ${requestId} is on the agenda of an open meeting${meetingId ? ` (${meetingId})` : ''}`);
  }
}

const ONE_OPEN_INDEX = 'meeting_items_one_open_idx';

export class MeetingsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Runs `work` in one transaction, with this repository bound to it and its manager (for the audit append). */
  transaction<T>(work: (meetings: MeetingsRepository, em: EntityManager) => Promise<T>): Promise<T> {
    return this.em.transaction((em) => work(new MeetingsRepository(em), em));
  }

  /** Which of these requests are on a meeting not yet closed, and on which. */
  openItemsOf(requestIds: string[]): Promise<{ requestId: string; meetingId: string }[]> {
    return this.em
      .getRepository(MeetingItemEntity)
      .createQueryBuilder('i')
      .select(['i.request_id AS "requestId"', 'i.meeting_id AS "meetingId"'])
      .where('i.request_id IN (:...ids)', { ids: requestIds })
      .andWhere('i.result IS NULL')
      .getRawMany();
  }

  /**
   * Inserts a meeting and its agenda; AlreadyOnAgendaError when another open meeting took one of its requests
   * meanwhile (the partial unique index decides, whatever the earlier check saw).
   */
  async insert(meeting: MeetingEntity, items: MeetingItemEntity[]): Promise<void> {
    await this.em.getRepository(MeetingEntity).insert(meeting);
    try {
      await this.em.getRepository(MeetingItemEntity).insert(items);
    } catch (err) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const driver = err instanceof QueryFailedError ? (err.driverError as any) : null;
      if (driver?.code === '23505' && driver?.constraint === ONE_OPEN_INDEX) {
        const id = /\(request_id\)=\(([0-9a-f-]+)\)/.exec(driver.detail ?? '')?.[1] ?? items[0].requestId;
        throw new AlreadyOnAgendaError(id, null);
      }
      throw err;
    }
  }

  find(id: string): Promise<MeetingEntity | null> {
    return this.em.getRepository(MeetingEntity).findOneBy({ id });
  }

  /** The meeting, its row locked until the transaction ends (one close issues the minutes' number). */
  findForUpdate(id: string): Promise<MeetingEntity | null> {
    return this.em
      .getRepository(MeetingEntity)
      .createQueryBuilder('m')
      .where('m.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  /** The meetings' items in agenda order, each with its request as it stands now. */
  async items(meetingIds: string[]): Promise<MeetingItemRow[]> {
    if (!meetingIds.length) return [];
    const rows: (MeetingItemEntity & { title: string; status: RequestStatus; procedure: ProcedureState })[] =
      await this.em.query(
        `SELECT i.meeting_id AS "meetingId", i.request_id AS "requestId", i.position, i.vote_round AS "voteRound",
                i.result, i.tally, r.title, r.status, r.procedure
         FROM meeting_items i JOIN change_requests r ON r.id = i.request_id
         WHERE i.meeting_id = ANY($1::uuid[])
         ORDER BY i.meeting_id, i.position`,
        [meetingIds],
      );
    return rows;
  }

  /** A page of meetings, newest first. */
  async list(page: number, pageSize: number): Promise<{ rows: MeetingEntity[]; total: number }> {
    const [rows, total] = await this.em.getRepository(MeetingEntity).findAndCount({
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { rows, total };
  }

  /** Marks an open meeting as being closed (its items' votes are closed next); a closing one stays so. */
  async markClosing(id: string): Promise<void> {
    await this.em.query(`UPDATE meetings SET status = 'closing' WHERE id = $1 AND status = 'open'`, [id]);
  }

  /** Records the close: the minutes, their number, and each item's result (which frees its request). */
  async close(id: string, closedAt: Date, minutesNumber: string, minutes: Minutes): Promise<void> {
    await this.em.query(
      `UPDATE meetings SET status = 'closed', closed_at = $2, minutes_number = $3, minutes = $4 WHERE id = $1`,
      [id, closedAt, minutesNumber, minutes],
    );
    for (const item of minutes.items)
      await this.em.query(
        `UPDATE meeting_items SET result = $3, tally = $4 WHERE meeting_id = $1 AND request_id = $2`,
        [id, item.requestId, item.result, item.tally],
      );
  }

  /** The year's next minutes number: the 编委纪 series (MINUTES) of the documents' gap-free counters. */
  nextMinutesNumber(year: number): Promise<number> {
    return new ImplementationRepository(this.em).nextDocumentNumber('MINUTES', year);
  }
}
