// What every form shares: one submit hook (busy, error, done), the local refusal that looks
// like the API's, a field's message, and the note of a stale edit.
import { useRef, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ApiError } from '../lib/api';

/** invalid refuses a form before it is sent, the way the API would: 422 with field messages. */
export function invalid(fields: Record<string, string>): never {
  throw new ApiError(422, 'validation_failed', t('form.invalid'), fields);
}

/** Moves the focus once the next render is done. */
export const focusSoon = (id: string) => setTimeout(() => document.getElementById(id)?.focus(), 0);

export interface SubmitOptions<T> {
  /** Runs after a success, with the answer. */
  onDone?: (result: T) => void;
  /** After a refusal the first of these fields the error names takes the focus (its element id from `id`). */
  focus?: { fields: readonly string[]; id: (field: string) => string };
}

export interface Submit<T, A = void> {
  busy: boolean;
  error: unknown;
  /** true after a success, until the next submit */
  done: boolean;
  /** The answer of the last success. */
  result: T | undefined;
  /** Sends the form (an event's default is prevented); a second submit while busy is ignored. */
  submit: (e?: Event) => Promise<void>;
  /** Runs the action with an argument (e.g. which of a form's buttons was pressed). */
  run: (arg?: A) => Promise<void>;
  /** Forgets the last error and success (e.g. when what the form edits changed). */
  reset: () => void;
}

/**
 * useSubmit runs a form's action: it is busy while the action runs, keeps what was typed when the
 * API refuses (the error carries the field messages), and says when it is done. The action may
 * refuse before sending with invalid().
 */
export function useSubmit<T, A = void>(action: (arg?: A) => Promise<T>, opts: SubmitOptions<T> = {}): Submit<T, A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<{ value: T } | null>(null);
  const running = useRef(false);
  async function run(arg?: A) {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await action(arg);
      setResult({ value: r });
      opts.onDone?.(r);
    } catch (err) {
      setError(err);
      const f = opts.focus;
      const first = f && err instanceof ApiError ? f.fields.find((name) => err.field(name)) : undefined;
      if (f && first) focusSoon(f.id(first));
    } finally {
      running.current = false;
      setBusy(false);
    }
  }
  return {
    busy,
    error,
    done: result !== null,
    result: result?.value,
    submit: (e?: Event) => {
      e?.preventDefault();
      return run();
    },
    run,
    reset: () => {
      setError(null);
      setResult(null);
    },
  };
}

/** True when the error is the API's "someone else saved first" (409 on a stale version). */
export const isStale = (e: unknown) => e instanceof ApiError && e.code === 'conflict';

/** True when the error names at least one of these fields (its message then sits by the field). */
export const namesAny = (e: unknown, fields: readonly string[]) => e instanceof ApiError && fields.some((f) => e.field(f));

/** A field's error, right under it (its id is what aria-describedby names). */
export function FieldMessage({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <small id={id} class="field-error">
      {error}
    </small>
  ) : null;
}

/** The note of a stale edit (409): someone else saved first; the button loads the latest version. */
export function StaleNote({ message, onReload }: { message: string; onReload: () => void }) {
  return (
    <div class="error-note" role="alert">
      <span>{message}</span>
      <button type="button" class="link" onClick={onReload}>
        {t('common.reloadLatest')}
      </button>
    </div>
  );
}
