import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError } from './api-error';

/** The first path (`payload.lines[0].count` style) to a string or key holding a NUL character, if any. */
export function findNul(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at || 'body' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const field = at ? `${at}.${k}` : k;
      if (k.includes('\u0000')) return field.replaceAll('\u0000', '\\u0000');
      const found = findNul(v, field);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Refuses a NUL character anywhere in a body or query (400), before anything else looks at it: no text of
 * an establishment office holds one, and PostgreSQL stores none, so it would otherwise surface as a 500.
 */
@Injectable()
export class NoNulGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<{ body?: unknown; query?: unknown; headers: Record<string, unknown> }>();
    const field = findNul(req.body) ?? findNul(req.query) ?? findNul(req.headers['idempotency-key'], 'Idempotency-Key');
    if (field) throw ApiError.validation([{ field, problem: 'must not contain a NUL character' }]);
    return true;
  }
}
