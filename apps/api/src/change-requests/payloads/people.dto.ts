import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, Category, DISENROL_REASONS, DisenrolReason, ENROL_CHANNELS, EnrolChannel } from '@bianzhi/domain';

// The payloads of the three people types (实名制): one person at the top, or a batch in `lines` (checked whole).
// The ID number's check character is checked by the API, which then seals it (docs/api.md, "People").

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const BATCH = 500;
const noLines = (o: { lines?: unknown }) => o.lines === undefined;

export class PersonIdentityDto {
  @ApiProperty({ example: '张三' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: '$property must not contain control characters' })
  name: string;
  @ApiProperty({ description: '公民身份号码 (18 characters, GB 11643 check character)', example: '11010519491231002X' })
  @Transform(trimmed)
  @IsString()
  @Length(18, 18, { message: '$property must be 18 characters: 17 digits and a check character (GB 11643)' })
  idNumber: string;
}

export class EnrolPersonLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() unitId: string;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
  @ApiProperty({ type: PersonIdentityDto }) @ValidateNested() @Type(() => PersonIdentityDto) person: PersonIdentityDto;
  @ApiProperty({ enum: ENROL_CHANNELS }) @IsIn(ENROL_CHANNELS) channel: EnrolChannel;
}

/** ENROL_PERSON (上编/落编): one person, or `lines` for a batch (e.g. a recruitment's new teachers). */
export class EnrolPersonPayloadDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'required without lines' })
  @ValidateIf(noLines)
  @IsUUID()
  unitId?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @ValidateIf(noLines) @IsIn(CATEGORIES) category?: Category;
  @ApiPropertyOptional({ type: PersonIdentityDto })
  @ValidateIf(noLines)
  @ValidateNested()
  @Type(() => PersonIdentityDto)
  person?: PersonIdentityDto;
  @ApiPropertyOptional({ enum: ENROL_CHANNELS }) @ValidateIf(noLines) @IsIn(ENROL_CHANNELS) channel?: EnrolChannel;
  @ApiPropertyOptional({ type: [EnrolPersonLineDto], maxItems: BATCH, description: 'a batch, instead of one person' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BATCH)
  @ValidateNested({ each: true })
  @Type(() => EnrolPersonLineDto)
  lines?: EnrolPersonLineDto[];
}

export class DisenrolPersonLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
  @ApiProperty({ enum: DISENROL_REASONS }) @IsIn(DISENROL_REASONS) reason: DisenrolReason;
  @ApiProperty({ example: '2026-12-31', description: 'the day the person comes off' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  date: string;
}

/** DISENROL_PERSON (下编): 退休, 辞职, 辞退, 死亡, 调出; one person or `lines`. */
export class DisenrolPersonPayloadDto {
  @ApiPropertyOptional({ format: 'uuid' }) @ValidateIf(noLines) @IsUUID() personId?: string;
  @ApiPropertyOptional({ enum: DISENROL_REASONS })
  @ValidateIf(noLines)
  @IsIn(DISENROL_REASONS)
  reason?: DisenrolReason;
  @ApiPropertyOptional({ example: '2026-12-31' })
  @ValidateIf(noLines)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date YYYY-MM-DD' })
  date?: string;
  @ApiPropertyOptional({ type: [DisenrolPersonLineDto], maxItems: BATCH })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BATCH)
  @ValidateNested({ each: true })
  @Type(() => DisenrolPersonLineDto)
  lines?: DisenrolPersonLineDto[];
}

export class TransferPersonLineDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() toUnitId: string;
  @ApiProperty({ enum: CATEGORIES }) @IsIn(CATEGORIES) category: Category;
}

/** TRANSFER_PERSON (调动): filed by the unit the person leaves; the receiving unit is heard. */
export class TransferPersonPayloadDto {
  @ApiPropertyOptional({ format: 'uuid' }) @ValidateIf(noLines) @IsUUID() personId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @ValidateIf(noLines) @IsUUID() toUnitId?: string;
  @ApiPropertyOptional({ enum: CATEGORIES }) @ValidateIf(noLines) @IsIn(CATEGORIES) category?: Category;
  @ApiPropertyOptional({ type: [TransferPersonLineDto], maxItems: BATCH })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BATCH)
  @ValidateNested({ each: true })
  @Type(() => TransferPersonLineDto)
  lines?: TransferPersonLineDto[];
}
