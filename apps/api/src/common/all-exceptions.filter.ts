import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthUser } from '@bianzhi/auth';
import { SecurityLogService } from '../auth/security-log.service';
import { errorBody } from './api-error';
import { isUnavailableError } from './unavailable';

const CODES: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

/** Turns every error into the one shape of docs/api.md ("Errors"); no stack trace or SQL ever reaches a client. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  constructor(private readonly securityLog: SecurityLogService) {}

  async catch(exception: unknown, host: ArgumentsHost): Promise<void> {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    const body = this.toBody(exception);
    // Every denial goes to the security log (docs/architecture.md); a failed sign-in is logged as such already.
    const req = host.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    if ((body.statusCode === 401 || body.statusCode === 403) && !/^\/v1\/auth\/login\/?$/i.test(req.path))
      await this.securityLog.record({
        type: 'access_denied',
        username: req.user?.username ?? null,
        actor: req.user?.username ?? null,
        address: req.ip ?? null,
        detail: { status: body.statusCode, code: body.code, method: req.method, path: req.path },
      });
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown) {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response && 'code' in response && 'details' in response)
        return response as ReturnType<typeof errorBody>;
      if (
        status === 503 &&
        typeof response === 'object' &&
        response &&
        'error' in response &&
        'details' in response &&
        'status' in response
      ) {
        // @nestjs/terminus's readiness answer: keep what it says is down.
        const down = Object.keys((response as { error: object }).error ?? {});
        return {
          ...errorBody(503, 'UNAVAILABLE', `not ready: ${down.join(', ') || 'unknown'} down`),
          ...(response as object),
        } as ReturnType<typeof errorBody>;
      }
      const raw = typeof response === 'string' ? response : (response as { message?: string | string[] }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : (raw ?? exception.message);
      if (status >= 500) this.logger.error(exception.message);
      const code = CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'ERROR');
      // body-parser's errors (malformed JSON, too large) arrive here as HttpExceptions too
      return errorBody(status, code, status >= 500 ? 'internal error' : message);
    }
    const err = exception as { status?: number; type?: string; message?: string };
    if (err?.type === 'entity.parse.failed')
      return errorBody(400, 'VALIDATION_FAILED', 'the body is not valid JSON', [
        { field: 'body', problem: 'malformed JSON' },
      ]);
    if (err?.type === 'entity.too.large') return errorBody(413, 'PAYLOAD_TOO_LARGE', 'the body is too large');
    if (isUnavailableError(exception)) {
      this.logger.warn(`backing service unavailable: ${(exception as Error).message}`);
      return errorBody(
        503,
        'UNAVAILABLE',
        'a backing service (database or workflow engine) is unavailable; retry later',
      );
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return errorBody(500, 'INTERNAL', 'internal error');
  }
}
