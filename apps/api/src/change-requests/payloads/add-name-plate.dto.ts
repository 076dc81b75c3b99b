import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { UnitRefDto } from './common';

/** ADD_NAME_PLATE (加挂牌子). */
export class AddNamePlatePayloadDto extends UnitRefDto {
  @ApiProperty() @IsString() @Length(1, 200) namePlate: string;
}
