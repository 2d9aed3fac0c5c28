// The API client: JSON in and out, the session cookie plus the X-CSRF-Token header on every
// state-changing call, errors in the contract's shape turned into ApiError.

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/** An error the API answered (or a network failure, code "network"). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
  /** The message for one field, if the API named it. */
  field(name: string): string | undefined {
    return this.fields[name];
  }
}

export interface ClientOptions {
  base?: string;
  fetch?: typeof fetch;
  /** The language for the API's messages ("id" or "en"). */
  lang: () => string;
  /** The session's CSRF token, sent on state-changing calls. */
  csrf: () => string | null;
  /** Called when a signed-in call answers 401 (the session ended). */
  onUnauthenticated?: () => void;
  /** Builds the XMLHttpRequest used for uploads (tests pass a fake). */
  xhr?: () => XMLHttpRequest;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface Upload<T> {
  promise: Promise<T>;
  abort: () => void;
}

const unsafe = (m: string) => !['GET', 'HEAD', 'OPTIONS'].includes(m.toUpperCase());

/** errorFrom turns a response body into an ApiError, whatever the body holds. */
export function errorFrom(status: number, body: unknown, fallback: string): ApiError {
  const e = (body as ErrorBody | null)?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(status, e.code, e.message || fallback, e.fields ?? {});
  }
  return new ApiError(status, status >= 500 ? 'internal' : 'bad_response', fallback);
}

export type Client = ReturnType<typeof createClient>;

export function createClient(opts: ClientOptions) {
  const base = opts.base ?? '';
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  function headers(method: string, json: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', 'Accept-Language': opts.lang() };
    if (json) h['Content-Type'] = 'application/json';
    const csrf = opts.csrf();
    if (unsafe(method) && csrf) h['X-CSRF-Token'] = csrf;
    return h;
  }

  async function send(method: string, path: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await doFetch(base + path, {
        method,
        credentials: 'same-origin',
        headers: headers(method, body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network', 'network');
    }
    if (!res.ok) {
      let parsed: unknown = null;
      try {
        parsed = await res.json();
      } catch {
        /* not JSON */
      }
      const err = errorFrom(res.status, parsed, res.statusText || String(res.status));
      if (res.status === 401 && !path.endsWith('/auth/login')) opts.onUnauthenticated?.();
      throw err;
    }
    return res;
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await send(method, path, body);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }

  /** Downloads a file as a Blob, with the response's headers (e.g. X-Verification-Code). */
  async function blob(path: string): Promise<{ blob: Blob; headers: Headers; filename: string | null }> {
    const res = await send('GET', path);
    return { blob: await res.blob(), headers: res.headers, filename: filenameFrom(res.headers.get('Content-Disposition')) };
  }

  /**
   * Uploads one file as multipart field "file", reporting progress. Other fields (e.g.
   * "replaces", "effective_date") go first, in the order given: the API reads them before the
   * file it streams.
   */
  function upload<T>(
    path: string,
    file: Blob,
    name: string,
    onProgress?: (p: UploadProgress) => void,
    fields?: Record<string, string | number | null | undefined>,
  ): Upload<T> {
    const xhr = opts.xhr ? opts.xhr() : new XMLHttpRequest();
    const promise = new Promise<T>((resolve, reject) => {
      xhr.open('POST', base + path);
      xhr.withCredentials = true;
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Accept-Language', opts.lang());
      const csrf = opts.csrf();
      if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
      xhr.upload.onprogress = (e: ProgressEvent) => onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
      xhr.onload = () => {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON */
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.({ loaded: file.size, total: file.size });
          resolve(parsed as T);
          return;
        }
        if (xhr.status === 401) opts.onUnauthenticated?.();
        reject(errorFrom(xhr.status, parsed, xhr.statusText || String(xhr.status)));
      };
      xhr.onerror = () => reject(new ApiError(0, 'network', 'network'));
      xhr.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
      const form = new FormData();
      for (const [k, v] of Object.entries(fields ?? {})) {
        if (v !== null && v !== undefined && v !== '') form.append(k, String(v));
      }
      form.append('file', file, name);
      xhr.send(form);
    });
    return { promise, abort: () => xhr.abort() };
  }

  return {
    get: <T>(path: string) => json<T>('GET', path),
    post: <T>(path: string, body?: unknown) => json<T>('POST', path, body ?? {}),
    put: <T>(path: string, body: unknown) => json<T>('PUT', path, body),
    patch: <T>(path: string, body: unknown) => json<T>('PATCH', path, body),
    blob,
    upload,
  };
}

/** filenameFrom reads the filename of a Content-Disposition header. */
export function filenameFrom(cd: string | null): string | null {
  if (!cd) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(cd);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : null;
}

/** Path segments are escaped so that codes with dots or odd characters stay one segment. */
export const seg = (s: string | number) => encodeURIComponent(String(s));
