import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CATEGORIES, Category, PERSON_STATUSES, PersonStatus } from '@bianzhi/domain';

export class PersonView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: '3301**********1234' }) idNumberMasked: string;
  @ApiPropertyOptional({ description: 'in full, to the office (reviewer, office director) only' }) idNumber?: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ enum: CATEGORIES, nullable: true }) category: Category | null;
  @ApiProperty({ enum: PERSON_STATUSES }) status: PersonStatus;
  @ApiProperty({ description: 'since when the person is where they are (or off)' }) since: string;
}

export class PersonPage {
  @ApiProperty({ type: [PersonView] }) items: PersonView[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

export class PersonHistoryEntry {
  @ApiProperty() at: string;
  @ApiProperty({ enum: ['IMPORTED', 'ENROLLED', 'DISENROLLED', 'TRANSFERRED', 'MOVED_WITH_UNIT'] }) action: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) fromUnitId: string | null;
  @ApiProperty({ enum: CATEGORIES, nullable: true }) fromCategory: Category | null;
  @ApiProperty({ nullable: true, type: String, description: 'ENROLLED: how the person came on' }) channel:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'DISENROLLED: why' }) reason: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'DISENROLLED: the day, YYYY-MM-DD' }) date: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: String }) documentNumber: string | null;
}

export class PersonDetail extends PersonView {
  @ApiProperty({ type: [PersonHistoryEntry], description: 'oldest first' }) history: PersonHistoryEntry[];
}

export class PeopleImportResult {
  @ApiProperty({ type: 'integer', description: 'people imported (0 on a dry run)' }) imported: number;
  @ApiProperty({ type: 'integer' }) checked: number;
  @ApiProperty() dryRun: boolean;
}

export class ReconcileFinding {
  @ApiPropertyOptional({ type: 'integer', description: "the roster's row (0 = the first after the header)" })
  row?: number;
  @ApiPropertyOptional({ format: 'uuid' }) personId?: string;
  @ApiProperty() name: string;
  @ApiProperty() idNumberMasked: string;
  @ApiPropertyOptional({ description: 'the unit as the roster names it' }) rosterUnit?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the unit the person is on' }) unitId?: string;
  @ApiPropertyOptional() unitName?: string;
}

export class ReconcileProblem {
  @ApiProperty() field: string;
  @ApiProperty() problem: string;
  @ApiPropertyOptional() rule?: string;
  @ApiPropertyOptional({ type: 'integer' }) row?: number;
}

export class ReconcileCounts {
  @ApiProperty({ type: 'integer' }) rosterRows: number;
  @ApiProperty({ type: 'integer' }) peopleOn: number;
  @ApiProperty({ type: 'integer' }) notOnEstablishment: number;
  @ApiProperty({ type: 'integer' }) notOnRoster: number;
  @ApiProperty({ type: 'integer' }) unitDiffers: number;
  @ApiProperty({ type: 'integer' }) invalid: number;
}

export class ReconcileResult {
  @ApiProperty() at: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) unitId: string | null;
  @ApiProperty({ type: ReconcileCounts }) counts: ReconcileCounts;
  @ApiProperty({ type: [ReconcileFinding], description: '在册不在编: on the roster, not on establishment' })
  notOnEstablishment: ReconcileFinding[];
  @ApiProperty({ type: [ReconcileFinding], description: '在编不在册: on establishment, not on the roster' })
  notOnRoster: ReconcileFinding[];
  @ApiProperty({ type: [ReconcileFinding], description: '单位不一致: on both, in different units' })
  unitDiffers: ReconcileFinding[];
  @ApiProperty({ type: [ReconcileProblem], description: 'roster rows whose ID number is no ID number' })
  invalid: ReconcileProblem[];
}

export class MoveCount {
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ description: 'the kind of the unit gone to (taken off: the unit left)' }) unitKind: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

export class MonthTableRow {
  @ApiProperty() unitKind: string;
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ type: 'integer', description: '核定' }) approved: number;
  @ApiProperty({ type: 'integer', description: '实有' }) occupied: number;
  @ApiProperty({ type: 'integer', description: '空编 = 核定 − 实有' }) vacant: number;
  @ApiProperty({ type: 'integer', description: '待入编' }) pending: number;
  @ApiProperty({ type: 'integer', description: '实际空编 = 空编 − 待入编' }) actualVacant: number;
  @ApiProperty({ type: 'integer', description: '实名: people on record (the rest of 实有 is 未实名)' }) named: number;
}

export class MonthlyReport {
  @ApiProperty({ example: '2026-11' }) month: string;
  @ApiProperty({ description: "the moment the table is as of: the month's end, or now for the current month" })
  asOf: string;
  @ApiProperty({ type: [MoveCount], description: '上编' }) enrolled: MoveCount[];
  @ApiProperty({ type: [MoveCount], description: '下编' }) disenrolled: MoveCount[];
  @ApiProperty({ type: [MoveCount], description: '调动' }) transferred: MoveCount[];
  @ApiProperty({ type: [MonthTableRow], description: 'the seed-004 table at the month end, by unit kind' })
  table: MonthTableRow[];
}
