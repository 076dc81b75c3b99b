import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CATEGORIES,
  Category,
  CategoryMap,
  Funding,
  FUNDING_FORMS,
  Grade,
  GRADES,
  PoolLoan,
  UNIT_KINDS,
  UNIT_STATUSES,
  UnitKind,
  UnitState,
  UnitStatus,
} from '@bianzhi/domain';

const DATE_TIME = { type: String, format: 'date-time' } as const;

/** A count for every category (编制类别): all five are always present in an answer. */
export class CategoryCounts implements CategoryMap {
  @ApiProperty({ type: 'integer' }) ADMIN: number;
  @ApiProperty({ type: 'integer' }) POLITICAL_LEGAL: number;
  @ApiProperty({ type: 'integer' }) PUBLIC_INSTITUTION: number;
  @ApiProperty({ type: 'integer' }) SCHOOL_STAFF: number;
  @ApiProperty({ type: 'integer' }) CONTRACT: number;
}

/** 领导职数 of one grade. */
export class LeadershipPostsView {
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty({ type: 'integer' }) principal: number;
  @ApiProperty({ type: 'integer' }) deputy: number;
}

/** A unit as docs/api.md shows it: its state plus 空编 (vacant) and 实际空编 (actualVacant). */
/** A category over quota: people on and places promised beyond approved + loaned, by how many. */
export class OverQuotaView {
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ type: 'integer' }) by: number;
}

/** Leadership posts beyond the quota they count against (invariant 3). */
export class OverPostsView {
  @ApiProperty({ type: 'integer' }) posts: number;
  @ApiProperty({ type: 'integer' }) limit: number;
  @ApiProperty({ type: 'integer' }) by: number;
}

/** What the unit must correct (超编, 超职数), by the rules the summary counts with. */
export class UnitCorrectionsView {
  @ApiProperty({ type: [OverQuotaView], description: '超编: empty when none' }) overQuota: OverQuotaView[];
  @ApiProperty({ type: OverPostsView, nullable: true, description: '超职数' }) overPosts: OverPostsView | null;
}

export class UnitView implements UnitState {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty({ enum: GRADES }) grade: Grade;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) parentId: string | null;
  @ApiProperty({ enum: FUNDING_FORMS, nullable: true }) funding: Funding | null;
  @ApiProperty({ type: String, nullable: true, description: '统一社会信用代码' }) creditCode: string | null;
  @ApiProperty({ enum: UNIT_STATUSES }) status: UnitStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) mergedInto: string | null;
  @ApiProperty({ type: CategoryCounts, description: '核定' }) quotas: CategoryCounts;
  @ApiProperty({ type: CategoryCounts, description: '实有' }) occupied: CategoryCounts;
  @ApiProperty({ type: CategoryCounts, description: '待入编' }) pending: CategoryCounts;
  @ApiProperty({ type: CategoryCounts, description: '周转池编制 lent to the unit' }) loaned: CategoryCounts;
  @ApiProperty({ type: [LeadershipPostsView] }) leadershipPosts: LeadershipPostsView[];
  @ApiProperty({ type: [String] }) sections: string[];
  @ApiProperty({ type: [String] }) namePlates: string[];
  @ApiProperty({ type: CategoryCounts, description: '空编 = quotas − occupied' }) vacant: CategoryCounts;
  @ApiProperty({ type: CategoryCounts, description: '实际空编 = vacant − pending' }) actualVacant: CategoryCounts;
  @ApiProperty({ type: UnitCorrectionsView }) corrections: UnitCorrectionsView;
}

export class UnitPage {
  @ApiProperty({ type: [UnitView] }) items: UnitView[];
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiProperty({ type: 'integer' }) page: number;
  @ApiProperty({ type: 'integer' }) pageSize: number;
}

/** What made a version of a unit: an import, a request (with its document number), a loan's return. */
export class UnitVersionCause {
  @ApiProperty(DATE_TIME) validFrom: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) requestId: string | null;
  @ApiProperty({ type: String, nullable: true, description: '文号' }) documentNumber: string | null;
  @ApiProperty() cause: string;
}

/** `GET /v1/units/:id`: with `?asOf=`, the version then in force is named beside the unit. */
export class UnitAsOfView extends UnitView {
  @ApiPropertyOptional({ type: UnitVersionCause, description: 'only with ?asOf=' }) version?: UnitVersionCause;
}

export class UnitHistoryEntry extends UnitVersionCause {
  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'null for the version in force' }) validTo: Date | null;
  @ApiProperty({ type: UnitView }) unit: UnitView;
}

/** The county totals (总量) and the turnover pool (周转池) as recorded. */
export class TotalsView {
  @ApiProperty({ type: 'integer' }) year: number;
  @ApiProperty({ type: CategoryCounts }) totals: CategoryCounts;
  @ApiProperty({ type: CategoryCounts }) turnoverPool: CategoryCounts;
  @ApiProperty({ type: 'integer', nullable: true, description: '机构限额; null when none is set' })
  bodyLimit: number | null;
}

/** One category's line of the county-wide table. */
export class CategorySummary {
  @ApiProperty({ type: 'integer', description: '总量' }) total: number;
  @ApiProperty({ type: 'integer', description: 'given to units' }) allocated: number;
  @ApiProperty({ type: 'integer', description: 'total − allocated' }) free: number;
  @ApiProperty({ type: 'integer' }) occupied: number;
  @ApiProperty({ type: 'integer' }) pending: number;
  @ApiProperty({ type: 'integer' }) vacant: number;
  @ApiProperty({ type: 'integer' }) actualVacant: number;
  @ApiProperty({ type: 'integer' }) unitsOverQuota: number;
}

export class PoolFigures {
  @ApiProperty({ type: 'integer' }) size: number;
  @ApiProperty({ type: 'integer' }) lent: number;
  @ApiProperty({ type: 'integer' }) available: number;
}

/** An outstanding loan from the turnover pool. */
export class PoolLoanView implements PoolLoan {
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty({ enum: CATEGORIES }) category: Category;
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ format: 'date', description: 'YYYY-MM-DD' }) dueDate: string;
}

/** The county-wide table the office reports every year, now or as of a moment. */
export class EstablishmentSummary {
  @ApiProperty(DATE_TIME) asOf: string;
  @ApiProperty({ type: 'integer' }) year: number;
  @ApiProperty({
    type: 'object',
    description: 'per category (ADMIN, POLITICAL_LEGAL, …)',
    additionalProperties: { $ref: '#/components/schemas/CategorySummary' },
  })
  categories: Record<string, CategorySummary>;
  @ApiProperty({
    type: 'object',
    description: 'per category',
    additionalProperties: { $ref: '#/components/schemas/PoolFigures' },
  })
  turnoverPool: Record<string, PoolFigures>;
  @ApiProperty({ type: [PoolLoanView] }) loans: PoolLoanView[];
  @ApiProperty({ type: 'integer', nullable: true, description: '机构限额; null when none is set' })
  bodyLimit: number | null;
  @ApiProperty({ type: 'integer', description: 'active PARTY + GOVERNMENT units, what the body limit counts' })
  bodies: number;
}

export class RegistryImportResult {
  @ApiProperty({ type: 'integer', description: 'units imported (0 on a dry run)' }) imported: number;
  @ApiProperty({ type: 'integer', description: 'units checked: every row of the file' }) checked: number;
  @ApiProperty({ description: '?dryRun=true: checked whole as an import would be, nothing written' }) dryRun: boolean;
  @ApiProperty({ description: 'whether the county totals were recorded too' }) totals: boolean;
  @ApiProperty({
    type: 'object',
    description: "each imported unit's id by its ref in the file",
    additionalProperties: { type: 'string', format: 'uuid' },
  })
  units: Record<string, string>;
}

/** Schemas referenced only from `additionalProperties`: the document must define them (see openapi.ts). */
export const REGISTRY_EXTRA_MODELS = [CategorySummary, PoolFigures];
