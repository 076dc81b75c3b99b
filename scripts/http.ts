// One JSON request to the API, for the scripts that drive it from outside (the demo loader, the benchmark).

export interface JsonResponse {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * Sends `body` as JSON with the bearer token if any (and `headers`, such as an Idempotency-Key); answers the status
 * and the parsed body (null when empty or not JSON).
 */
export async function requestJson(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<JsonResponse> {
  const res = await fetch(base + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: the status says what happened */
  }
  return { status: res.status, body: parsed };
}
