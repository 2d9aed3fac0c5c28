// Settings › Periods: a year's lifecycle — close it (final; admin and coordinator), reopen it
// with a reason (admin), and extend the deadline for one region until a date, with a reason.
import { useState } from 'preact/hooks';
import { lang, t } from '../../i18n';
import { ok } from '../../lib/api';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { can, store } from '../../lib/state';
import type { Period } from '../../lib/types';
import { ErrorNote, FormError, Loading, SubmitButton, TextArea, fieldError, useLoad, OkNote } from '../../components/ui';
import { FieldMessage, invalid, namesAny, useSubmit } from '../../components/form';

export function Lifecycle({ period, onChanged }: { period: Period; onChanged: () => void }) {
  const user = store.session.value;
  const l = lang.value;
  const year = period.year;
  const [reason, setReason] = useState('');
  const closeForm = useSubmit(() => ok(store.api.POST('/api/v1/periods/{year}/close', { params: { path: { year } } })), { onDone: onChanged });
  const reopen = useSubmit(
    async () => {
      if (!reason.trim()) invalid({ reason: t('form.required') });
      await ok(store.api.POST('/api/v1/periods/{year}/reopen', { params: { path: { year } }, body: { reason: reason.trim() } }));
      setReason('');
    },
    { onDone: onChanged },
  );
  const closed = period.status === 'closed';
  return (
    <section class="card lifecycle" aria-labelledby="lifecycle-h" data-testid="lifecycle">
      <h2 id="lifecycle-h">{t('admin.lifecycleOf', { year })}</h2>
      <p data-testid="period-status">
        {closed ? (
          <>
            <span class="badge final">{t('dash.final')}</span> {t('admin.closedAt', { when: fmtDateTime(period.closed_at, l) })}
          </>
        ) : (
          t('admin.openPeriod')
        )}
      </p>
      {!closed && can.manage(user) ? (
        <form onSubmit={closeForm.submit} noValidate>
          <p class="hint">{t('admin.closeHint')}</p>
          {closeForm.error ? <FormError error={closeForm.error} /> : null}
          <SubmitButton busy={closeForm.busy}>{t('admin.close', { year })}</SubmitButton>
        </form>
      ) : null}
      {closed && can.admin(user) ? (
        <form onSubmit={reopen.submit} noValidate class="form">
          <TextArea id="reopen-reason" label={t('admin.reopenReason')} value={reason} onValue={setReason} error={fieldError(reopen.error, 'reason')} />
          {reopen.error && !namesAny(reopen.error, ['reason']) ? <FormError error={reopen.error} /> : null}
          <SubmitButton busy={reopen.busy}>{t('admin.reopen', { year })}</SubmitButton>
        </form>
      ) : null}
      {!closed ? <Extensions year={year} deadline={period.deadline} /> : null}
    </section>
  );
}

/** The period's extensions, and a form to grant one region more time. */
function Extensions({ year, deadline }: { year: number; deadline: string | null | undefined }) {
  const l = lang.value;
  const list = useLoad(() => ok(store.api.GET('/api/v1/periods/{year}/extensions', { params: { path: { year } } })), [year]);
  const regions = useLoad(() => ok(store.api.GET('/api/v1/regions')), []);
  const [code, setCode] = useState('');
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const name = (c: string) => regions.data?.find((r) => r.code === c)?.name ?? c;
  const form = useSubmit(
    async () => {
      const missing: Record<string, string> = {};
      if (!until) missing.until = t('form.required');
      if (!reason.trim()) missing.reason = t('form.required');
      if (Object.keys(missing).length) invalid(missing);
      const region = code || regions.data?.[0]?.code || '';
      await ok(store.api.PUT('/api/v1/periods/{year}/regions/{code}/extension', { params: { path: { year, code: region } }, body: { until, reason: reason.trim() } }));
      setReason('');
    },
    { onDone: list.reload },
  );
  if (!can.manage(store.session.value)) return null;
  return (
    <div class="extensions" data-testid="extensions">
      <h3>{t('admin.extensions')}</h3>
      {deadline ? <p class="hint">{t('region.deadline', { date: fmtDate(deadline, l, 'UTC') })}</p> : <p class="hint">{t('admin.noDeadline')}</p>}
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {!list.data ? <Loading /> : list.data.length === 0 ? <p class="empty">{t('admin.noExtensions')}</p> : (
        <ul>
          {list.data.map((e) => (
            <li key={e.region_code} data-region={e.region_code}>
              <strong>{name(e.region_code)}</strong>: {t('admin.extendedUntil', { date: fmtDate(e.until, l, 'UTC') })} — {e.reason}
            </li>
          ))}
        </ul>
      )}
      <form class="form" onSubmit={form.submit} noValidate>
        <div class="row">
          <div class="field">
            <label for="ext-region">{t('dash.col.region')}</label>
            <select id="ext-region" value={code} onChange={(e) => setCode((e.currentTarget as HTMLSelectElement).value)}>
              {(regions.data ?? []).map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
          <div class={`field${fieldError(form.error, 'until') ? ' has-error' : ''}`}>
            <label for="ext-until">{t('admin.extendUntil')}</label>
            <input id="ext-until" type="date" value={until} onInput={(e) => setUntil((e.currentTarget as HTMLInputElement).value)} aria-invalid={fieldError(form.error, 'until') ? 'true' : undefined} aria-describedby={fieldError(form.error, 'until') ? 'ext-until-error' : undefined} />
            <FieldMessage id="ext-until-error" error={fieldError(form.error, 'until')} />
          </div>
        </div>
        <TextArea id="ext-reason" label={t('admin.extendReason')} value={reason} onValue={setReason} error={fieldError(form.error, 'reason')} />
        {form.error && !namesAny(form.error, ['until', 'reason']) ? <FormError error={form.error} /> : null}
        <SubmitButton busy={form.busy}>{t('admin.extend')}</SubmitButton>
        {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
      </form>
    </div>
  );
}
