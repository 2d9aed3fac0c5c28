// A Pemda's remediation plan for a year: the actions its coordinator and operator agree on —
// what, who, by when, where each stands — an overdue one marked; added to and kept up by those
// who may write for the Pemda.
import { useState } from 'preact/hooks';
import { label, lang, t } from '../../i18n';
import { ok, type Schemas } from '../../lib/api';
import { fmtDate } from '../../lib/format';
import { store } from '../../lib/state';
import { Field, FormError, SubmitButton, fieldError, useLoad } from '../../components/ui';
import { namesAny, useSubmit } from '../../components/form';

type Action = Schemas['RemediationAction'];
type Status = Schemas['RemediationStatus'];
const STATUSES: Status[] = ['planned', 'in_progress', 'done'];

export function RemediationPlan({ year, region, writable }: { year: number; region: string; writable: boolean }) {
  const path = { params: { path: { year, code: region } } };
  const plan = useLoad(() => ok(store.api.GET('/api/v1/periods/{year}/regions/{code}/remediation', path)), [year, region]);
  const [what, setWhat] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const add = useSubmit(() => ok(store.api.POST('/api/v1/periods/{year}/regions/{code}/remediation', { ...path, body: { what, owner, due } })), {
    onDone: () => {
      setWhat('');
      setOwner('');
      setDue('');
      plan.reload();
    },
  });
  const actions = plan.data ?? [];
  const l = lang.value;
  return (
    <section class="card remediation" aria-labelledby="remedy-h" data-testid="remediation">
      <h2 id="remedy-h">{t('remedy.title')}</h2>
      {plan.data && !actions.length ? <p class="hint">{t('remedy.none')}</p> : null}
      {actions.length ? (
        <ol class="actions-list">
          {actions.map((a) => (
            <ActionRow key={a.id} action={a} year={year} region={region} writable={writable} lang={l} onChange={plan.reload} />
          ))}
        </ol>
      ) : null}
      {writable ? (
        <form class="form" noValidate onSubmit={add.submit} aria-labelledby="remedy-add-h">
          <h3 id="remedy-add-h">{t('remedy.add')}</h3>
          <Field id="remedy-what" label={t('remedy.what')} value={what} onValue={setWhat} error={fieldError(add.error, 'what')} />
          <div class="row">
            <Field id="remedy-owner" label={t('remedy.owner')} value={owner} onValue={setOwner} error={fieldError(add.error, 'owner')} placeholder={t('remedy.ownerPlaceholder')} />
            <div class={`field${fieldError(add.error, 'due') ? ' has-error' : ''}`}>
              <label for="remedy-due">{t('remedy.due')}</label>
              <input id="remedy-due" type="date" value={due} onInput={(e) => setDue((e.currentTarget as HTMLInputElement).value)} aria-invalid={fieldError(add.error, 'due') ? 'true' : undefined} />
              {fieldError(add.error, 'due') ? <small class="field-error">{fieldError(add.error, 'due')}</small> : null}
            </div>
          </div>
          {add.error && !namesAny(add.error, ['what', 'owner', 'due']) ? <FormError error={add.error} /> : null}
          <SubmitButton busy={add.busy}>{t('remedy.addButton')}</SubmitButton>
        </form>
      ) : null}
    </section>
  );
}

function ActionRow({ action: a, year, region, writable, lang: l, onChange }: { action: Action; year: number; region: string; writable: boolean; lang: 'id' | 'en'; onChange: () => void }) {
  const path = { params: { path: { year, code: region, id: a.id } } };
  const set = useSubmit((status?: Status) => ok(store.api.PATCH('/api/v1/periods/{year}/regions/{code}/remediation/{id}', { ...path, body: { status, version: a.version } })), { onDone: onChange });
  const drop = useSubmit(() => ok(store.api.DELETE('/api/v1/periods/{year}/regions/{code}/remediation/{id}', path)), { onDone: onChange });
  return (
    <li class={a.overdue ? 'overdue' : a.status} data-action={a.id}>
      <p class="action-what">{a.what}</p>
      <p class="hint">
        {t('remedy.by', { owner: a.owner, date: fmtDate(a.due, l, 'UTC') })}{' '}
        {a.overdue ? <span class="badge overdue">{t('remedy.overdue')}</span> : null}
      </p>
      {writable ? (
        <div class="row action-tools">
          <div class="field">
            <label for={`remedy-status-${a.id}`}>{t('remedy.status')}</label>
            <select id={`remedy-status-${a.id}`} value={a.status} disabled={set.busy} onChange={(e) => set.run((e.currentTarget as HTMLSelectElement).value as Status)}>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {label('remediation_status', s)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" class="small" disabled={drop.busy} onClick={() => drop.run()} aria-label={t('remedy.removeOf', { what: a.what })}>
            {t('remedy.remove')}
          </button>
        </div>
      ) : (
        <p>
          <span class={`badge status-${a.status}`}>{label('remediation_status', a.status)}</span>
        </p>
      )}
      {set.error || drop.error ? <FormError error={set.error ?? drop.error} /> : null}
    </li>
  );
}
