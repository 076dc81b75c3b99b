// A small HTTP client for the tests: every call goes through the real API over the network.

/** A response body as the tests read it: whatever JSON the API sent, its fields read directly. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately loose: tests assert on the JSON
export type AnyJson = any;

export interface ApiResponse<T = AnyJson> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  as(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  /** The same user at another API process (the cluster's second API: tokens are good at every replica). */
  at(baseUrl: string): ApiClient {
    return new ApiClient(baseUrl, this.token);
  }

  async login(username: string, password: string): Promise<ApiClient> {
    const res = await this.post('/v1/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return this.as(res.body.accessToken);
  }

  async request<T = AnyJson>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = AnyJson>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = AnyJson>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }

  put<T = AnyJson>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }

  patch<T = AnyJson>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body ?? {});
  }
}
