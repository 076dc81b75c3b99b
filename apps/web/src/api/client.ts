import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

// The typed client of the API (docs/api.md), generated from the OpenAPI document by `npm run gen:api`. The
// token lives in sessionStorage: gone when the tab closes, kept across a reload.

const TOKEN_KEY = 'bianzhi.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** An error answer of the API in its one format (docs/api.md "Errors"). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly details: Record<string, unknown>[] = [],
  ) {
    super(message);
  }
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of a 2xx answer, or an ApiProblem; a 401 sends the user back to the sign-in page. */
export async function unwrap<T>(call: Promise<Answer<unknown>>): Promise<T> {
  let answer: Answer<unknown>;
  try {
    answer = await call;
  } catch {
    throw new ApiProblem(0, 'NETWORK', '无法连接服务器');
  }
  const { data, error, response } = answer;
  if (response.ok) return data as T;
  if (response.status === 401 && getToken()) {
    setToken(null);
    window.dispatchEvent(new Event('bianzhi:signed-out'));
  }
  const e = (error ?? {}) as { code?: string; message?: string; details?: Record<string, unknown>[] };
  throw new ApiProblem(response.status, e.code, e.message ?? response.statusText, e.details ?? []);
}

/** One Idempotency-Key per user action: made when the action starts, reused if the same action is sent again. */
export function idempotency(key: string) {
  return { 'Idempotency-Key': key };
}

/**
 * Routes newer than the generated schema (work lists, preview: docs/api.md "Work lists"): the same auth and
 * errors, untyped until `npm run gen:api` picks them up from a merged API.
 */
export async function raw<T>(method: 'GET' | 'POST', url: string, body?: unknown, key?: string): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (key) headers['Idempotency-Key'] = key;
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiProblem(0, 'NETWORK', '无法连接服务器');
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  return unwrap<T>(
    Promise.resolve({ data: response.ok ? parsed : undefined, error: response.ok ? undefined : parsed, response }),
  );
}
