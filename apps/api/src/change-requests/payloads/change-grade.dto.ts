import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { Grade, GRADES } from '@bianzhi/domain';
import { UnitRefDto } from './common';

/** CHANGE_GRADE (规格调整). */
export class ChangeGradePayloadDto extends UnitRefDto {
  @ApiProperty({ enum: GRADES }) @IsIn(GRADES) grade: Grade;
}
