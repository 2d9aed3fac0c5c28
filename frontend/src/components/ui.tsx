import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { t, zoneLabel, statusLabel, lang } from '../i18n';
import { ApiError } from '../lib/api';
import { fmtPercent } from '../lib/format';
import { store } from '../lib/state';
import { isZoneKey } from '../lib/zones';

/** A zone's colour, always with its label, and the figure when given (the complete zone's label already says 100%). */
export function ZoneChip({ zone, percent }: { zone: string; percent?: number | null }) {
  const cls = isZoneKey(zone) ? zone : 'no_data';
  return (
    <span class={`chip zone-${cls}`}>
      {percent !== undefined && percent !== null && zone !== 'complete' ? <span class="chip-value">{fmtPercent(percent, lang.value)}</span> : null}
      <span class="chip-label">{zoneLabel(zone)}</span>
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{statusLabel(status)}</span>;
}

export function Loading({ label }: { label?: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {label ?? t('common.loading')}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/**
 * The plain-words message of an error from the API (or the network). A form that lost the server
 * adds that what was typed is kept; a page that only reads does not.
 */
export function errorText(e: unknown, inForm = false): string {
  if (e instanceof ApiError) {
    if (e.code === 'network') return t(inForm ? 'error.networkForm' : 'error.network');
    if (e.code === 'aborted') return t('error.aborted');
    return e.message;
  }
  return t('error.unexpected');
}

/** An error where something was to be shown (a page, a list), with a retry; `message` replaces the error's own. */
export function ErrorNote({ error, onRetry, message }: { error: unknown; onRetry?: () => void; message?: string }) {
  if (!error) return null;
  return (
    <div class="error-note" role="alert">
      <span>{message ?? errorText(error)}</span>
      {onRetry ? (
        <button type="button" class="link" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

interface InputProps {
  type?: 'text' | 'email' | 'password' | 'search';
  inputMode?: 'decimal' | 'numeric' | 'text' | 'email';
  autoComplete?: string;
  placeholder?: string;
  required?: boolean;
  spellcheck?: boolean;
  /** the id of a datalist of suggestions */
  list?: string;
}

/** A labelled input whose error (from the API's `fields`) sits right under it. */
export function Field({
  id,
  label,
  error,
  hint,
  value,
  onValue,
  ...rest
}: InputProps & { id: string; label: string; error?: string; hint?: string; value: string; onValue: (v: string) => void }) {
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLInputElement).value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
        {...(rest as Record<string, unknown>)}
      />
      {hint ? (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function TextArea({
  id,
  label,
  error,
  hint,
  value,
  onValue,
  rows = 3,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  value: string;
  onValue: (v: string) => void;
  rows?: number;
}) {
  const describedBy = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onInput={(e) => onValue((e.currentTarget as HTMLTextAreaElement).value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {hint ? (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      ) : null}
      {error ? (
        <small id={`${id}-error`} class="field-error">
          {error}
        </small>
      ) : null}
    </div>
  );
}

/** The form-level message of an error: the API's message, unless its fields say it all. */
export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {errorText(error, true)}
    </p>
  );
}

export const fieldError = (e: unknown, name: string) => (e instanceof ApiError ? e.field(name) : undefined);

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  set: (v: T) => void;
}

/** useLoad runs an async loader when deps change, keeping the last data while reloading. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    fn().then(
      (v) => {
        if (mine !== seq.current) return;
        setData(v);
        setLoading(false);
      },
      (e) => {
        if (mine !== seq.current) return;
        setError(e);
        setLoading(false);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { data, error, loading, reload, set: setData };
}

/** The year selector; it lists the periods and keeps the choice in the store. */
export function YearSelect({ id = 'year' }: { id?: string }) {
  const periods = store.periods.value;
  useEffect(() => {
    if (!periods) store.loadPeriods().catch(() => undefined);
  }, [periods]);
  if (!periods || periods.length === 0) return null;
  return (
    <div class="year-select">
      <label for={id}>{t('common.year')}</label>
      <select
        id={id}
        value={String(store.year.value ?? '')}
        onChange={(e) => (store.year.value = Number((e.currentTarget as HTMLSelectElement).value))}
      >
        {periods.map((p) => (
          <option key={p.year} value={String(p.year)}>
            {p.year}
          </option>
        ))}
      </select>
    </div>
  );
}

/** useYear waits for the periods and gives the chosen year (null when there is no period). */
export function useYear(): { year: number | null; ready: boolean; error: unknown } {
  const [error, setError] = useState<unknown>(null);
  const periods = store.periods.value;
  useEffect(() => {
    if (!periods) store.loadPeriods().catch(setError);
  }, [periods]);
  return { year: store.year.value, ready: periods !== null, error };
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Pantau`;
  }, [title]);
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children ? <div class="page-tools">{children}</div> : null}
    </div>
  );
}

/** Saves a Blob as a file download. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** How long a claim has waited, in whole days ("came in today" for none). */
export const waitedText = (days: number) => t(days === 0 ? 'review.ageToday' : days === 1 ? 'review.ageOne' : 'review.age', { days });

/**
 * Renders a page's parts a few at a time: the first `first` at once, then `step` more each time
 * the page has painted. What lies below the first screen then costs the first screen nothing,
 * and no task grows long on a slow phone. Parts only ever append, so nothing shown moves (put
 * nothing visible after them); once all are shown, new data renders them all at once.
 */
export function Progressive({ parts, first = 0, step = 1 }: { parts: ComponentChildren[]; first?: number; step?: number }) {
  const [shown, setShown] = useState(first);
  const more = shown < parts.length;
  useEffect(() => {
    if (!more) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setShown((n) => n + step))));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [shown, more, step]);
  return <>{more ? parts.slice(0, shown) : parts}</>;
}

/** A short confirmation next to a form's button ("Tersimpan"), announced to screen readers. */
export function OkNote({ children }: { children: ComponentChildren }) {
  return (
    <span class="ok" role="status">
      {children}
    </span>
  );
}

/** SubmitButton is a form's main button; it says "saving" and is disabled while busy. */
export function SubmitButton({ busy, disabled, children }: { busy: boolean; disabled?: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" class="primary" disabled={busy || disabled}>
      {busy ? t('common.saving') : children}
    </button>
  );
}
