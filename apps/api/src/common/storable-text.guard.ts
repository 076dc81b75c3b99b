import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError } from './api-error';

/** A UTF-16 surrogate without its pair: not a character, so no UTF-8 text (nor PostgreSQL's json) can hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What makes a string unstorable, if anything: a NUL character, or half of a surrogate pair. */
export function unstorable(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (a lone surrogate is not a character)';
  return null;
}

/** The first path (`payload.lines[0].count` style) to a string or key that cannot be stored, and why. */
export function findUnstorable(value: unknown, at = ''): { field: string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = unstorable(value);
    return problem ? { field: at || 'body', problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${at}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const field = at ? `${at}.${k}` : k;
      const problem = unstorable(k);
      if (problem) return { field: JSON.stringify(field).slice(1, -1), problem };
      const found = findUnstorable(v, field);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Refuses a NUL character or a lone surrogate anywhere in a body or query (400), before anything else looks at
 * it: no text of an establishment office holds one, PostgreSQL stores neither, and the audit trail's json
 * columns reject a lone surrogate, so it would otherwise surface as a 500 or, inside an activity, be retried
 * for ever.
 */
@Injectable()
export class StorableTextGuard implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    const req = ctx.switchToHttp().getRequest<{ body?: unknown; query?: unknown; headers: Record<string, unknown> }>();
    const found =
      findUnstorable(req.body) ??
      findUnstorable(req.query) ??
      findUnstorable(req.headers['idempotency-key'], 'Idempotency-Key');
    if (found) throw ApiError.validation([found]);
    return true;
  }
}
