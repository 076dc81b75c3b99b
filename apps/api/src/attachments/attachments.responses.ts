import { ApiProperty } from '@nestjs/swagger';

// The attachments' answers (附件), described for the OpenAPI document.

export class AttachmentResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'the name as the clerk gave it (never a path)' }) name: string;
  @ApiProperty({ description: 'bytes' }) size: number;
  @ApiProperty({
    description: 'judged from the content',
    enum: [
      'application/pdf',
      'application/ofd',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'image/jpeg',
      'image/png',
    ],
  })
  contentType: string;
  @ApiProperty({ description: 'SHA-256 of the bytes, hex; the audit trail records it too' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class UploadAttachmentDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF, OFD, DOCX, XLSX, JPEG or PNG; 20 MiB at most' })
  file: unknown;
}
