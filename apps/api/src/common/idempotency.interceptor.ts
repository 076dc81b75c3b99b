import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import { canonicalJson } from '@bianzhi/audit';
import type { AuthUser } from '@bianzhi/auth';
import { IdempotencyClaim, IdempotencyLease, IdempotencyRepository } from '@bianzhi/persistence';
import { ApiError } from './api-error';
import { isUnavailableError } from './unavailable';

const WAIT_MS = 30_000;
const KEYED_BY_ROUTE = 'idempotency:keyed-by-route';

/**
 * Marks a route whose body this global interceptor cannot hash yet (a multipart upload: multer parses it in
 * the route's own interceptors); the route applies its own subclass after parsing instead
 * (attachments/upload-idempotency.interceptor.ts). Chosen by route, not by the request's content type, so a
 * multipart body sent to any other route is still keyed, and a JSON body to an upload route is keyed once.
 */
export const IdempotencyKeyedByRoute = () => SetMetadata(KEYED_BY_ROUTE, true);

/**
 * `Idempotency-Key` on every POST (docs/api.md), scoped to the signed-in user: the same key with the same body
 * returns the first answer (errors included, 5xx excepted) and does nothing twice; another body is 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly reflector: Reflector,
    private readonly lease: IdempotencyLease,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || !key || !req.user || this.skips(ctx)) return next.handle();
    return from(this.handle(req, ctx.switchToHttp().getResponse<Response>(), key, next));
  }

  /** A route marked IdempotencyKeyedByRoute is keyed by its own interceptor, not by this global one. */
  protected skips(ctx: ExecutionContext): boolean {
    return !!this.reflector.get<boolean>(KEYED_BY_ROUTE, ctx.getHandler());
  }

  /** What the request's hash covers besides its method and path. */
  protected bodyOf(req: Request): unknown {
    return req.body ?? null;
  }

  private async handle(
    req: Request & { user?: AuthUser },
    res: Response,
    key: string,
    next: CallHandler,
  ): Promise<unknown> {
    if (!/^[\x21-\x7e]{1,200}$/.test(key))
      throw ApiError.validation([{ field: 'Idempotency-Key', problem: '1 to 200 visible ASCII characters' }]);
    const userId = req.user!.id;
    const requestHash = createHash('sha256')
      // The query is part of the call: a registry import checked (?dryRun=true) is not the import.
      .update(`${req.method} ${req.originalUrl}\n${canonicalJson(this.bodyOf(req))}`)
      .digest('hex');
    const holder = await this.lease.current();
    const claim = await this.keys.claim(userId, key, requestHash, undefined, holder);
    if (claim) return this.run(res, userId, key, claim, next);
    return this.replay(res, userId, key, requestHash, next);
  }

  /**
   * Runs the call holding the key and stores its answer. Exactly once still holds when a claim is taken over
   * (IDEMPOTENCY_CLAIM_TTL_MS): a holder is taken over only when older than any request can run, so it has died;
   * were it only slow, its answer is not stored (the repository records only the key's current claim), and the
   * effects behind the main routes are keyed by the Idempotency-Key too (a request's id, a workflow Update's id).
   */
  private async run(
    res: Response,
    userId: string,
    key: string,
    claim: IdempotencyClaim,
    next: CallHandler,
  ): Promise<unknown> {
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.keys.recordAnswer(userId, key, claim, res.statusCode, body ?? null);
      return body;
    } catch (err) {
      const status = err instanceof HttpException ? err.getStatus() : isUnavailableError(err) ? 503 : 500;
      if (status >= 500)
        await this.keys.release(userId, key, claim).catch(() => undefined); // a retry may redo it
      else await this.keys.recordAnswer(userId, key, claim, status, (err as HttpException).getResponse());
      throw err;
    }
  }

  /**
   * Returns the first answer, waiting while the first call is still at work; runs the call itself when the first
   * holder's claim has gone stale (it crashed without answering).
   */
  private async replay(
    res: Response,
    userId: string,
    key: string,
    requestHash: string,
    next: CallHandler,
  ): Promise<unknown> {
    const deadline = Date.now() + WAIT_MS;
    for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
      const row = await this.keys.find(userId, key);
      if (row && row.requestHash !== requestHash)
        throw new ApiError(409, 'IDEMPOTENCY_MISMATCH', 'this Idempotency-Key was used with another request body');
      if (!row) throw ApiError.unavailable('the first request with this Idempotency-Key failed; retry');
      if (row.statusCode !== null) {
        if (row.statusCode >= 400) throw new HttpException(row.response as object, row.statusCode);
        res.status(row.statusCode);
        return row.response;
      }
      // Only a stale claim is taken over: older than the TTL, or its holder's lease gone (that API died).
      const claim = await this.keys.claim(userId, key, requestHash, undefined, await this.lease.current());
      if (claim) return this.run(res, userId, key, claim, next);
      if (Date.now() > deadline)
        throw ApiError.unavailable('the first request with this Idempotency-Key is still at work; retry later');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
