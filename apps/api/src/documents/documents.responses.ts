import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An official document (公文) as listed: the PDF itself is `GET /v1/documents/:id`. */
export class DocumentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['APPROVAL_REPLY', 'REJECTION_NOTICE', 'QUOTA_USE_NOTICE', 'MINUTES'] }) kind: string;
  @ApiPropertyOptional({ description: '文号, e.g. 清编〔2026〕1号' }) documentNumber?: string;
  @ApiProperty({ description: 'as printed: 关于同意…的批复' }) title: string;
  @ApiProperty({ description: 'SHA-256 of the PDF, hex; the audit record of the step that issued it has it too' })
  sha256: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
}
