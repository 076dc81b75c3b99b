import { DocumentView } from '../documents/documents.responses';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MEETING_ITEM_RESULTS, MeetingItemResult, REQUEST_STATUSES, RequestStatus } from '@bianzhi/domain';
import { VoteMember, VoteTally } from '../change-requests/change-request.responses';

/** An agenda item (议题): its request, the tally of its vote (live while open), and the result once closed. */
export class MeetingItemView {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: 'integer', description: 'its place on the agenda, from 1' }) position: number;
  @ApiProperty({ enum: REQUEST_STATUSES, description: 'the request as it stands now' }) status: RequestStatus;
  @ApiProperty({ type: VoteTally }) tally: VoteTally;
  @ApiPropertyOptional({
    enum: MEETING_ITEM_RESULTS,
    description: "once the meeting is closed: the vote's outcome by the rule, or WITHDRAWN",
  })
  result?: MeetingItemResult;
  @ApiProperty({ type: [VoteMember], description: 'members who recused on this item (回避)' })
  recused: VoteMember[];
}

export class MemberRefView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) unitId: string | null;
}

/** Who attended (the minutes'): the chair and every member who voted on an item; the other members absent. */
export class AttendanceView {
  @ApiProperty({ type: [MemberRefView] }) present: MemberRefView[];
  @ApiProperty({ type: [MemberRefView] }) absent: MemberRefView[];
}

/** A committee meeting (编委会会议). */
export class MeetingView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'ISO 8601' }) heldAt: string;
  @ApiProperty({
    enum: ['open', 'closing', 'closed'],
    description: 'closing: its items are being closed (closing it again finishes)',
  })
  status: 'open' | 'closing' | 'closed';
  @ApiProperty({ type: [MeetingItemView] }) items: MeetingItemView[];
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) closedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: '{机关代字}编委纪〔year〕n号, issued at the close' })
  minutesNumber: string | null;
  @ApiProperty({ type: AttendanceView, nullable: true, description: 'recorded at the close' })
  attendance: AttendanceView | null;
  @ApiProperty({ type: [DocumentView], description: 'the minutes (会议纪要), once the meeting is closed' })
  documents: DocumentView[];
}

export class MeetingPage {
  @ApiProperty({ type: [MeetingView] }) items: MeetingView[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}
