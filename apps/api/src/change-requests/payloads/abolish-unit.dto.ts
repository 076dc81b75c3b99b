import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { UnitRefDto } from './common';

/** ABOLISH_UNIT (撤销机构). */
export class AbolishUnitPayloadDto extends UnitRefDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "the unit taking the quota; the county's free quota if left out",
  })
  @IsOptional()
  @IsUUID()
  quotaTo?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the unit the people move to; required when the unit has any' })
  @IsOptional()
  @IsUUID()
  peopleTo?: string;
}
