// Recognises an outage of PostgreSQL or Temporal, so that it is answered 503 UNAVAILABLE (docs/api.md, "Errors").

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);

export function isUnavailableError(err: unknown): boolean {
  for (
    let e = err as { code?: string; name?: string; message?: string; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code && NETWORK_CODES.has(String(e.code))) return true;
    const name = e.name ?? '';
    const msg = e.message ?? '';
    if (name === 'ServiceError' || name === 'TransportError') return true;
    if (
      /Connection terminated|timeout exceeded when trying to connect|Connection refused|connect ECONNREFUSED|UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect|Client network socket disconnected|terminating connection/i.test(
        msg,
      )
    )
      return true;
  }
  return false;
}
