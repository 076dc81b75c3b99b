import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MeetingAttendance, MeetingItemOutcome, MeetingItemResult, Tally } from '../../../domain/src';

export type MeetingStatus = 'open' | 'closing' | 'closed';

/** What the minutes (会议纪要) record of one item, written once the meeting closes. */
export interface MinutesItem extends MeetingItemOutcome {
  requestId: string;
  title: string;
  position: number;
  voteRound: number;
}

/** The minutes' data (the document itself comes with the official documents): who closed, who attended, results. */
export interface Minutes {
  chair: { id: string; username: string };
  attendance: MeetingAttendance;
  items: MinutesItem[];
}

/** A committee meeting (编委会会议): an agenda of requests in the committee stage, closed by the chair. */
@Entity('meetings')
export class MeetingEntity {
  @PrimaryColumn('uuid') id: string;
  @Column({ type: 'text' }) title: string;
  @Column({ name: 'held_at', type: 'timestamptz' }) heldAt: Date;
  /** open → closing (the items' votes being closed; a repeated close finishes it) → closed. */
  @Column({ type: 'text' }) status: MeetingStatus;
  @Column({ name: 'created_by', type: 'uuid' }) createdBy: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true }) closedAt: Date | null;
  /** From the gap-free 编委纪 series, issued in the transaction that closes the meeting. */
  @Column({ name: 'minutes_number', type: 'text', nullable: true }) minutesNumber: string | null;
  @Column({ type: 'jsonb', nullable: true }) minutes: Minutes | null;
}

/** An item of a meeting's agenda (议题): a request and the vote (its round) the meeting decides. */
@Entity('meeting_items')
export class MeetingItemEntity {
  @PrimaryColumn({ name: 'meeting_id', type: 'uuid' }) meetingId: string;
  @PrimaryColumn({ name: 'request_id', type: 'uuid' }) requestId: string;
  @Column({ type: 'int' }) position: number;
  /** The round of the request's vote that was open when it was put on the agenda. */
  @Column({ name: 'vote_round', type: 'int' }) voteRound: number;
  /** Null until the meeting closes: an item without a result is on an open (or closing) meeting. */
  @Column({ type: 'text', nullable: true }) result: MeetingItemResult | null;
  @Column({ type: 'jsonb', nullable: true }) tally: Tally | null;
}
