import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsObject, IsUUID } from 'class-validator';
import { REQUEST_TYPES, RequestType } from '@bianzhi/domain';
import { DiffEntryView, RuleViolationView } from '../change-requests/change-request.responses';

// The preview's body and answer: what a draft would change and which rules it would break, before it exists.

export class PreviewDto {
  @ApiProperty({ enum: REQUEST_TYPES }) @IsIn(REQUEST_TYPES) type: RequestType;
  @ApiProperty({ format: 'uuid', description: "the requesting unit: the clerk's own" }) @IsUUID() unitId: string;
  @ApiProperty({ description: 'typed by `type`, as at creation', type: 'object', additionalProperties: true })
  @IsObject()
  payload: Record<string, unknown>;
}

export class PreviewResponse {
  @ApiProperty({
    type: DiffEntryView,
    isArray: true,
    description: 'the registry change, per unit and field',
  })
  diff: DiffEntryView[];
  @ApiProperty({
    type: RuleViolationView,
    isArray: true,
    description: 'the rules the change would break, each with the numbers involved; empty when none',
  })
  violations: RuleViolationView[];
  @ApiProperty({ enum: ['COMMITTEE', 'OFFICE'], description: 'who would decide it' }) decidedBy: 'COMMITTEE' | 'OFFICE';
  @ApiProperty({
    type: String,
    isArray: true,
    description: 'why it would go to the higher office (上级编办), if it would',
  })
  referralReasons: string[];
}
