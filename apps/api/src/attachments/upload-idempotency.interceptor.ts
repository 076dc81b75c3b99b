import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash } from 'node:crypto';
import { IdempotencyInterceptor } from '../common/idempotency.interceptor';
import type { UploadedBytes } from './attachments.service';

/**
 * `Idempotency-Key` for an upload: applied after the route's file interceptor, so that the request's hash
 * covers the file (its name, size and SHA-256): the same key with another file is 409 IDEMPOTENCY_MISMATCH.
 * The route is marked IdempotencyKeyedByRoute, so the global interceptor leaves it to this one.
 */
@Injectable()
export class UploadIdempotencyInterceptor extends IdempotencyInterceptor {
  protected skips(): boolean {
    return false;
  }

  protected bodyOf(req: Request & { file?: UploadedBytes }): unknown {
    const file = req.file;
    return {
      fields: req.body ?? null,
      file: file
        ? {
            name: file.originalname,
            size: file.buffer.length,
            sha256: createHash('sha256').update(file.buffer).digest('hex'),
          }
        : null,
    };
  }
}
