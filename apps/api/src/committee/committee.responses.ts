import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An active member of the committee (编委会成员). */
export class CommitteeMember {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() username: string;
  @ApiProperty() displayName: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the unit the member leads, if any (recusal)' }) unitId?: string;
}
