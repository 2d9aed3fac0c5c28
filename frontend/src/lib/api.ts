// The API client: openapi-fetch over the types generated from the server's OpenAPI document
// (schema.d.ts), so that every path, parameter, body and answer is checked by the compiler.
// Every call carries the interface's language and, when it changes state, the session's
// X-CSRF-Token; errors in the contract's shape become ApiError.
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './schema';

/** The API's schemas by name, as the server describes them (e.g. Schemas['Item']). */
export type Schemas = components['schemas'];
export type Api = Client<paths>;

/** An error the API answered (or a network failure, code "network"; a cancelled upload, "aborted"). */
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

export interface ApiOptions {
  /** Origin the paths are relative to ("" in the browser: the page's own). */
  base?: string;
  fetch?: (r: Request) => Promise<Response>;
  /** The language for the API's messages ("id" or "en"). */
  lang: () => string;
  /** The session's CSRF token, sent on state-changing calls. */
  csrf: () => string | null;
  /** Called when a call other than the sign-in answers 401 (the session ended). */
  onUnauthenticated?: () => void;
}

const unsafe = (m: string) => !['GET', 'HEAD', 'OPTIONS'].includes(m.toUpperCase());

/** errorFrom turns a response body into an ApiError, whatever the body holds. */
export function errorFrom(status: number, body: unknown, fallback: string): ApiError {
  const e = (body as Schemas['Error'] | null)?.error;
  if (e && typeof e.code === 'string') {
    return new ApiError(status, e.code, e.message || fallback, e.fields ?? {});
  }
  return new ApiError(status, status >= 500 ? 'internal' : 'bad_response', fallback);
}

export function createApi(opts: ApiOptions): Api {
  const send = opts.fetch ?? ((r: Request) => fetch(r));
  const api = createClient<paths>({
    baseUrl: opts.base ?? '',
    credentials: 'same-origin',
    // A network failure is an ApiError like any other, so that pages show one kind of message.
    fetch: async (r) => {
      try {
        return await send(r);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError(0, 'network', 'network');
      }
    },
  });
  api.use({
    onRequest({ request }) {
      if (!request.headers.has('Accept')) request.headers.set('Accept', 'application/json');
      request.headers.set('Accept-Language', opts.lang());
      const csrf = opts.csrf();
      if (unsafe(request.method) && csrf) request.headers.set('X-CSRF-Token', csrf);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && !new URL(request.url, 'http://x').pathname.endsWith('/auth/login')) opts.onUnauthenticated?.();
      return undefined;
    },
  });
  return api;
}

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** ok waits for a call and gives its data, or throws the ApiError it answered. */
export async function ok<D>(call: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFrom(response.status, error, response.statusText || String(response.status));
  return data as D;
}

/** A file the API sent, with the response's headers (e.g. X-Verification-Code) and its name. */
export interface Download {
  blob: Blob;
  headers: Headers;
  filename: string | null;
}

/** download waits for a call made with parseAs: 'blob' and gives the file. */
export async function download(call: Promise<Answer<Blob>>): Promise<Download> {
  const { data, error, response } = await call;
  if (!response.ok) throw errorFrom(response.status, error, response.statusText || String(response.status));
  return { blob: data as Blob, headers: response.headers, filename: filenameFrom(response.headers.get('Content-Disposition')) };
}

/**
 * multipart is the body serializer for uploads: fields first, in the order given (the API reads
 * them before the file it streams), files last; empty fields are left out.
 */
export function multipart(body: Record<string, unknown>): FormData {
  const form = new FormData();
  const entries = Object.entries(body).filter(([, v]) => v !== null && v !== undefined && v !== '');
  for (const [k, v] of entries) if (!(v instanceof Blob)) form.append(k, String(v));
  for (const [k, v] of entries) if (v instanceof Blob) form.append(k, v, v instanceof File ? v.name : k);
  return form;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/** An upload's own transport: XMLHttpRequest, the one browser API that reports upload progress. */
export interface Uploader {
  /** The fetch to pass to the call (its `fetch` option). */
  fetch: (r: Request) => Promise<Response>;
  /** Cancels the upload; the call then fails with ApiError "aborted". */
  abort: () => void;
}

/** uploader sends a request through XMLHttpRequest and reports how much of the body went out. */
export function uploader(onProgress?: (p: UploadProgress) => void, makeXhr: () => XMLHttpRequest = () => new XMLHttpRequest()): Uploader {
  let xhr: XMLHttpRequest | null = null;
  let aborted = false;
  return {
    abort() {
      aborted = true;
      xhr?.abort();
    },
    async fetch(request) {
      const body = await request.blob();
      if (aborted) throw new ApiError(0, 'aborted', 'aborted');
      return new Promise<Response>((resolve, reject) => {
        const x = (xhr = makeXhr());
        x.open(request.method, request.url);
        x.withCredentials = true;
        request.headers.forEach((v, k) => x.setRequestHeader(k, v));
        x.upload.onprogress = (e: ProgressEvent) => onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : body.size });
        x.onload = () => {
          if (x.status >= 200 && x.status < 300) onProgress?.({ loaded: body.size, total: body.size });
          const empty = x.status === 204 || x.status === 205 || x.status === 304;
          resolve(new Response(empty ? null : x.responseText, { status: x.status, statusText: x.statusText, headers: parseHeaders(x.getAllResponseHeaders()) }));
        };
        x.onerror = () => reject(new ApiError(0, 'network', 'network'));
        x.onabort = () => reject(new ApiError(0, 'aborted', 'aborted'));
        x.send(body);
      });
    },
  };
}

function parseHeaders(raw: string): Headers {
  const h = new Headers();
  for (const line of raw.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) h.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return h;
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
