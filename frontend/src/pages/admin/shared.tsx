// Pieces the settings tabs share: the create form every list has above it, the list that
// shows loading, error and empty states around a table, and how a row's editor starts.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n';
import { parseDecimal } from '../../lib/format';
import { Empty, ErrorNote, FormError, Loading, SubmitButton, fieldError, OkNote } from '../../components/ui';
import { invalid, namesAny, useSubmit } from '../../components/form';

/**
 * How a row's editor starts: its first field takes the focus, and when the list brings a newer
 * version of the row (after "load the latest"), the editor starts again from it. Returns the ref
 * for the first field.
 */
export function useEditorStart<T extends { version?: number }>(row: T, base: T, restart: (row: T) => void) {
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  useEffect(() => {
    if (row.version !== base.version) restart(row);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [row.version]);
  return first;
}

export interface Spec {
  name: string;
  label: MessageKey;
  type?: 'text' | 'email' | 'password' | 'number' | 'select';
  options?: { value: string; label: string }[];
  optional?: boolean;
}

/** A create form: values stay when the API refuses them, each field shows its own error. */
export function CreateForm({
  id,
  title,
  specs,
  submit,
  onDone,
}: {
  id: string;
  title: string;
  specs: Spec[];
  submit: (v: Record<string, string>) => Promise<unknown>;
  onDone: () => void;
}) {
  const blank = () => Object.fromEntries(specs.map((s) => [s.name, s.type === 'select' && !s.optional ? s.options?.[0]?.value ?? '' : '']));
  const [values, setValues] = useState<Record<string, string>>(blank);
  const set = (k: string, v: string) => setValues((x) => ({ ...x, [k]: v }));
  // A required select whose options arrived after the form was made shows (and sends) the first one.
  const value = (s: Spec) => (s.type === 'select' && !s.optional && !s.options?.some((o) => o.value === values[s.name]) ? s.options?.[0]?.value ?? '' : values[s.name]);
  const form = useSubmit(() => submit(Object.fromEntries(specs.map((s) => [s.name, value(s)]))), {
    onDone: () => {
      setValues(blank());
      onDone();
    },
  });
  const error = form.error;
  return (
    <form class="card form create-form" noValidate aria-labelledby={`${id}-h`} onSubmit={form.submit}>
      <h2 id={`${id}-h`}>{title}</h2>
      <div class="row wrap">
        {specs.map((s) => {
          const fid = `${id}-${s.name}`;
          const err = fieldError(error, s.name);
          const aria = { 'aria-invalid': err ? ('true' as const) : undefined, 'aria-describedby': err ? `${fid}-error` : undefined };
          return (
            <div key={s.name} class={`field${err ? ' has-error' : ''}`}>
              <label for={fid}>
                {t(s.label)}
                {s.optional ? <span class="hint"> ({t('common.optional')})</span> : null}
              </label>
              {s.type === 'select' ? (
                <select id={fid} value={value(s)} onChange={(e) => set(s.name, (e.currentTarget as HTMLSelectElement).value)} {...aria}>
                  {s.optional ? <option value="">—</option> : null}
                  {s.options?.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={fid}
                  type={(s.type === 'number' || !s.type ? 'text' : s.type) as 'text'}
                  inputMode={s.type === 'number' ? 'decimal' : undefined}
                  autoComplete={s.type === 'password' ? 'new-password' : 'off'}
                  value={values[s.name]}
                  onInput={(e) => set(s.name, (e.currentTarget as HTMLInputElement).value)}
                  {...aria}
                />
              )}
              {err ? (
                <small id={`${fid}-error`} class="field-error">
                  {err}
                </small>
              ) : null}
            </div>
          );
        })}
      </div>
      {error && !namesAny(error, specs.map((s) => s.name)) ? <FormError error={error} /> : null}
      <SubmitButton busy={form.busy}>{t('common.add')}</SubmitButton>
      {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
    </form>
  );
}

/**
 * numbers reads the named fields as numbers ("" is left out, so the API's default applies); a
 * field that is not a number is refused before anything is sent.
 */
export function numbers(v: Record<string, string>, names: string[]): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  const bad: Record<string, string> = {};
  for (const n of names) {
    if (v[n].trim() === '') continue;
    const x = parseDecimal(v[n]);
    if (x === null) bad[n] = t('form.number');
    else out[n] = x;
  }
  if (Object.keys(bad).length) invalid(bad);
  return out;
}

/** A list's states around its table: loading, the error with a retry, empty, or the rows. */
export function List<T>({
  loaded,
  empty,
  children,
}: {
  loaded: { data: T[] | undefined; error: unknown; reload: () => void };
  empty: string;
  children: (rows: T[]) => ComponentChildren;
}) {
  if (loaded.error) return <ErrorNote error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  if (loaded.data.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={empty}>
      {children(loaded.data)}
    </div>
  );
}
