import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { UnitRefDto } from './common';

/** RENAME_UNIT (更名/重组). */
export class RenameUnitPayloadDto extends UnitRefDto {
  @ApiProperty() @IsString() @Length(1, 200) newName: string;
}
