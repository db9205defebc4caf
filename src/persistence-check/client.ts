/** A small HTTP client for a live deployment: JSON in and out, one session cookie kept. */
export class CanaryClient {
  constructor(
    readonly baseUrl: string,
    public cookie = '',
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<CanaryResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const session = response.headers.getSetCookie().find((c) => c.startsWith('mosaic_session='));
    if (session) {
      const value = session.split(';')[0]!;
      this.cookie = value === 'mosaic_session=' ? '' : value;
    }
    const raw = Buffer.from(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    let json: any;
    if (type.includes('json') && raw.length > 0) json = JSON.parse(raw.toString('utf8'));
    return { status: response.status, body: json, raw };
  }
}

export interface CanaryResponse {
  status: number;
  /** The parsed JSON body, when there is one. */
  body: any;
  raw: Buffer;
}

/** The deployment has no such route at all (the capability is not deployed yet), not a missing record. */
export function isMissingRoute(response: CanaryResponse): boolean {
  return response.status === 404 && response.body?.error?.code === 'not_found' && /^No route/.test(response.body?.error?.message ?? '');
}

export function describe(response: CanaryResponse): string {
  const error = response.body?.error;
  return error ? `HTTP ${response.status} ${error.code}: ${error.message}` : `HTTP ${response.status}`;
}
