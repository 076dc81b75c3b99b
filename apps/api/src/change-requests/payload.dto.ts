import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  NotEquals,
  ValidateNested,
} from 'class-validator';
import {
  Category,
  CATEGORIES,
  Funding,
  FUNDING_FORMS,
  Grade,
  GRADES,
  RequestType,
  UNIT_KINDS,
  UnitKind,
} from '@bianzhi/domain';
import { CategoryCountsDto, LeadershipPostsDto } from '../registry/registry.dto';

// The typed payload of each request type (docs/domain.md, change types). The shape is checked when the draft is saved;
// the registry rules are checked at submission (libs/domain).

const COUNT = { min: 1, max: 100_000 };

class UnitRef {
  @IsUUID() unitId: string;
}

export class EstablishUnitPayloadDto {
  @IsString() @Length(1, 200) name: string;
  @IsIn(UNIT_KINDS) kind: UnitKind;
  @IsIn(GRADES) grade: Grade;
  @IsOptional() @IsUUID() parentId?: string;
  @IsOptional() @IsIn(FUNDING_FORMS) funding?: Funding;
  @ValidateNested() @Type(() => CategoryCountsDto) quotas: CategoryCountsDto;
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => LeadershipPostsDto)
  leadershipPosts: LeadershipPostsDto[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  sections?: string[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  namePlates?: string[];
}

export class AbolishUnitPayloadDto extends UnitRef {
  @IsOptional() @IsUUID() quotaTo?: string;
  @IsOptional() @IsUUID() peopleTo?: string;
}

export class MergeUnitsPayloadDto {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ArrayUnique() @IsUUID('all', { each: true }) sourceIds: string[];
  @IsUUID() targetId: string;
}

export class RenameUnitPayloadDto extends UnitRef {
  @IsString() @Length(1, 200) newName: string;
}

export class AddNamePlatePayloadDto extends UnitRef {
  @IsString() @Length(1, 200) namePlate: string;
}

export class ChangeGradePayloadDto extends UnitRef {
  @IsIn(GRADES) grade: Grade;
}

export class AdjustSectionsPayloadDto extends UnitRef {
  @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsString({ each: true }) @Length(1, 100, { each: true }) add: string[];
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  remove: string[];
}

export class AdjustQuotaPayloadDto extends UnitRef {
  @IsIn(CATEGORIES) category: Category;
  @IsInt() @Min(-COUNT.max) @Max(COUNT.max) @NotEquals(0) delta: number;
}

export class TransferLineDto {
  @IsUUID() fromUnitId: string;
  @IsUUID() toUnitId: string;
  @IsIn(CATEGORIES) category: Category;
  @IsInt() @Min(COUNT.min) @Max(COUNT.max) count: number;
}

export class TransferQuotaPayloadDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => TransferLineDto)
  lines: TransferLineDto[];
}

export class ConvertQuotaPayloadDto extends UnitRef {
  @IsIn(CATEGORIES) fromCategory: Category;
  @IsIn(CATEGORIES) toCategory: Category;
  @IsInt() @Min(COUNT.min) @Max(COUNT.max) count: number;
}

export class AdjustLeadershipPayloadDto extends UnitRef {
  @IsArray()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => LeadershipPostsDto)
  posts: LeadershipPostsDto[];
}

export class LoanLineDto extends UnitRef {
  @IsIn(CATEGORIES) category: Category;
  @IsInt() @Min(COUNT.min) @Max(COUNT.max) count: number;
}

export class LendPoolQuotaPayloadDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => LoanLineDto)
  loans: LoanLineDto[];
  @IsString() @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' }) dueDate: string;
}

export class UseQuotaPayloadDto extends UnitRef {
  @IsIn(CATEGORIES) category: Category;
  @IsInt() @Min(COUNT.min) @Max(COUNT.max) count: number;
}

export const PAYLOAD_DTOS: Record<RequestType, new () => object> = {
  ESTABLISH_UNIT: EstablishUnitPayloadDto,
  ABOLISH_UNIT: AbolishUnitPayloadDto,
  MERGE_UNITS: MergeUnitsPayloadDto,
  RENAME_UNIT: RenameUnitPayloadDto,
  ADD_NAME_PLATE: AddNamePlatePayloadDto,
  CHANGE_GRADE: ChangeGradePayloadDto,
  ADJUST_SECTIONS: AdjustSectionsPayloadDto,
  ADJUST_QUOTA: AdjustQuotaPayloadDto,
  TRANSFER_QUOTA: TransferQuotaPayloadDto,
  CONVERT_QUOTA: ConvertQuotaPayloadDto,
  ADJUST_LEADERSHIP: AdjustLeadershipPayloadDto,
  LEND_POOL_QUOTA: LendPoolQuotaPayloadDto,
  USE_QUOTA: UseQuotaPayloadDto,
};
