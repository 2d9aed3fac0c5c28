// Settings › Periods: create a year, rename it, set or clear its evidence deadline.
import { useState } from 'preact/hooks';
import { lang, t } from '../../i18n';
import { ok } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import { isoDate, periodPatch } from '../../lib/periods';
import { store } from '../../lib/state';
import type { Period } from '../../lib/types';
import { FormError, SubmitButton, fieldError, useLoad, OkNote } from '../../components/ui';
import { FieldMessage, StaleNote, focusSoon, isStale, namesAny, useSubmit } from '../../components/form';
import { CreateForm, List, numbers, useEditorStart } from './shared';
import { Lifecycle } from './Lifecycle';

export default function Periods() {
  const periods = useLoad(() => ok(store.api.GET('/api/v1/periods')), []);
  const [editing, setEditing] = useState<number | null>(null);
  const l = lang.value;
  const close = (year: number) => {
    setEditing(null);
    focusSoon(`edit-period-${year}`);
  };
  const current = periods.data?.find((p) => p.year === editing);
  return (
    <>
      <CreateForm
        id="new-period"
        title={t('admin.newPeriod')}
        specs={[
          { name: 'year', label: 'common.year', type: 'number' },
          { name: 'name', label: 'admin.name' },
        ]}
        submit={(v) => ok(store.api.POST('/api/v1/periods', { body: { name: v.name, year: numbers(v, ['year']).year as number } }))}
        onDone={() => {
          periods.reload();
          store.loadPeriods().catch(() => undefined);
        }}
      />
      <List loaded={periods} empty={t('dash.noPeriods')}>
        {(rows: Period[]) => (
          <table class="stack-table">
            <caption>{t('admin.tab.periods')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('common.year')}</th>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.deadline')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.year} data-year={p.year}>
                  <td data-label={t('common.year')}>{p.year}</td>
                  <td data-label={t('admin.name')}>
                    {p.name} {p.status === 'closed' ? <span class="badge final">{t('dash.final')}</span> : null}
                  </td>
                  <td data-label={t('admin.deadline')} data-testid="period-deadline">{p.deadline ? fmtDate(isoDate(p.deadline), l, 'UTC') : <span class="hint">{t('admin.noDeadline')}</span>}</td>
                  <td data-label={t('common.actions')}>
                    <button
                      type="button"
                      class="small"
                      id={`edit-period-${p.year}`}
                      aria-expanded={editing === p.year}
                      aria-controls="period-edit"
                      aria-label={t('admin.editPeriodOf', { year: p.year })}
                      onClick={() => (editing === p.year ? close(p.year) : setEditing(p.year))}
                    >
                      {t('admin.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </List>
      {current ? (
        <PeriodEditor
          key={current.year}
          period={current}
          onSaved={(p) => {
            periods.set((periods.data ?? []).map((x) => (x.year === p.year ? p : x)));
            store.loadPeriods().catch(() => undefined);
          }}
          onReload={periods.reload}
          onClose={() => close(current.year)}
        />
      ) : null}
      {(current ?? periods.data?.[0]) ? (
        <Lifecycle
          key={(current ?? periods.data![0]).year}
          period={(current ?? periods.data![0])}
          onChanged={() => {
            periods.reload();
            store.loadPeriods().catch(() => undefined);
          }}
        />
      ) : null}
    </>
  );
}

/** Renames a period and sets or clears its deadline, with the version it started from. */
function PeriodEditor({ period, onSaved, onReload, onClose }: { period: Period; onSaved: (p: Period) => void; onReload: () => void; onClose: () => void }) {
  const [base, setBase] = useState(period);
  const [name, setName] = useState(period.name);
  const [deadline, setDeadline] = useState(isoDate(period.deadline));
  const [note, setNote] = useState<'saved' | 'same' | null>(null);
  const start = (p: Period) => {
    setBase(p);
    setName(p.name);
    setDeadline(isoDate(p.deadline));
  };
  const form = useSubmit(async () => {
    setNote(null);
    const patch = periodPatch(base, name, deadline);
    if (!patch) return setNote('same');
    const p = await ok(store.api.PATCH('/api/v1/periods/{year}', { params: { path: { year: base.year } }, body: patch }));
    start(p);
    setNote('saved');
    onSaved(p);
  });
  const first = useEditorStart(period, base, (x) => {
    start(x);
    form.reset();
  });
  const nameErr = fieldError(form.error, 'name');
  const deadlineErr = fieldError(form.error, 'deadline');
  return (
    <form id="period-edit" class="card form period-edit" noValidate aria-labelledby="period-edit-h" onSubmit={form.submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h2 id="period-edit-h">{t('admin.editPeriodOf', { year: base.year })}</h2>
      <div class="row">
        <div class={`field${nameErr ? ' has-error' : ''}`}>
          <label for="period-name">{t('admin.name')}</label>
          <input ref={first} id="period-name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} aria-invalid={nameErr ? 'true' : undefined} aria-describedby={nameErr ? 'period-name-error' : undefined} />
          <FieldMessage id="period-name-error" error={nameErr} />
        </div>
        <div class={`field${deadlineErr ? ' has-error' : ''}`}>
          <label for="period-deadline">{t('admin.deadline')}</label>
          <input
            id="period-deadline"
            type="date"
            value={deadline}
            onInput={(e) => setDeadline((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={deadlineErr ? 'true' : undefined}
            aria-describedby={['period-deadline-hint', deadlineErr ? 'period-deadline-error' : ''].filter(Boolean).join(' ')}
          />
          <small id="period-deadline-hint" class="hint">
            {t('admin.deadlineHint')}
          </small>
          <FieldMessage id="period-deadline-error" error={deadlineErr} />
        </div>
      </div>
      {isStale(form.error) ? <StaleNote message={t('admin.periodStale')} onReload={onReload} /> : form.error && !namesAny(form.error, ['name', 'deadline']) ? <FormError error={form.error} /> : null}
      <div class="actions">
        <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
        {deadline ? (
          <button type="button" disabled={form.busy} onClick={() => setDeadline('')}>
            {t('admin.clearDeadline')}
          </button>
        ) : null}
        <button type="button" disabled={form.busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
        {note ? <OkNote>{note === 'saved' ? t('common.saved') : t('admin.nothingChanged')}</OkNote> : null}
      </div>
    </form>
  );
}
