import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { label, lang, t, tOr } from '../i18n';
import { download, ok } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { can, store } from '../lib/state';
import { Empty, ErrorNote, FormError, Loading, PageHeader, YearSelect, errorText, fieldError, saveBlob, useLoad, useYear, SubmitButton } from '../components/ui';
import { useSubmit } from '../components/form';
import { type Mode, type Kind, slotName, statusText, modesFor } from './commitments/common';
import { Waiting } from './commitments/Batch';
import { AssignForm, DelegationForm, VoidForm } from './commitments/SlotForms';
import { loadKey, SigningSteps, SigningKey } from './commitments/Signing';

export default function Commitments() {
  const { params } = useRoute();
  return params.id ? <Detail id={Number(params.id)} /> : <ListPage />;
}

function ListPage() {
  const { year, ready } = useYear();
  const loc = useLocation();
  const user = store.session.value;
  const list = useLoad(() => (year ? ok(store.api.GET('/api/v1/commitments', { params: { query: { year } } })) : Promise.resolve([])), [year]);
  const waiting = useLoad(() => (can.sign(user) ? ok(store.api.GET('/api/v1/commitments', { params: { query: { waiting: true } } })) : Promise.resolve([])), []);
  const regions = useLoad(() => ok(store.api.GET('/api/v1/regions')), []);
  const [kind, setKind] = useState<Kind>('regional');
  const [region, setRegion] = useState('');
  // a regional commitment is a regency's or city's, a joint one a province's
  const choices = (regions.data ?? []).filter((r) => (kind === 'joint' ? r.kind === 'province' : r.kind !== 'province'));
  const chosen = choices.some((r) => r.code === region) ? region : (choices[0]?.code ?? '');
  const create = useSubmit(() => ok(store.api.POST('/api/v1/commitments', { body: { region_code: chosen, year: year!, kind } })), {
    onDone: (c) => loc.route(`/commitments/${c.id}`),
  });
  const error = create.error;
  const name = (code: string) => regions.data?.find((r) => r.code === code)?.name ?? code;
  const reload = () => {
    list.reload();
    waiting.reload();
  };
  if (!ready) return <Loading />;
  return (
    <>
      <PageHeader title={t('commit.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('commit.lead')}</p>
      {can.sign(user) && waiting.data && waiting.data.length > 0 ? <Waiting items={waiting.data} onDone={reload} /> : null}
      {can.manage(user) && year ? (
        <form class="card form" noValidate onSubmit={create.submit}>
          <h2>{t('commit.new')}</h2>
          <div class="row wrap">
            <div class="field">
              <label for="commit-kind">{t('commit.kind')}</label>
              <select id="commit-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as Kind)}>
                <option value="regional">{t('commit.kindRegional')}</option>
                <option value="joint">{t('commit.kindJoint')}</option>
              </select>
            </div>
            <div class="field">
              <label for="commit-region">{t('reports.region')}</label>
              <select id="commit-region" value={chosen} onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}>
                {choices.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
              {fieldError(error, 'region_code') ? <small class="field-error">{fieldError(error, 'region_code')}</small> : null}
            </div>
          </div>
          {error && !fieldError(error, 'region_code') ? <FormError error={error} /> : null}
          <SubmitButton busy={create.busy}>{t('commit.create')}</SubmitButton>
        </form>
      ) : null}
      {list.error ? <ErrorNote error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.data && list.data.length === 0 ? <Empty>{t('commit.none')}</Empty> : null}
      {list.data && list.data.length > 0 ? (
        <ul class="commit-list">
          {list.data.map((c) => (
            <li key={c.id} class="card">
              <a href={`/commitments/${c.id}`}>{c.title || `${t('commit.title')} — ${c.region_name ?? name(c.region_code)} ${c.year}`}</a>
              <span class={`badge doc-${c.status}`}>{statusText(c.status)}</span>
              <span class="hint">
                {c.signatories.filter((s) => s.status === 'signed').length}/{c.signatories.length} {t('commit.slotsSigned')}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Detail({ id }: { id: number }) {
  const path = { params: { path: { id } } };
  const d = useLoad(() => ok(store.api.GET('/api/v1/commitments/{id}', path)), [id]);
  const user = store.session.value;
  const key = useLoad(() => (can.sign(user) ? loadKey() : Promise.resolve(null)), []);
  const keyMissing = can.sign(user) && !key.loading && !key.error && key.data === null;
  const l = lang.value;
  // what the signer just did, said once the slots have reloaded, with the signed file to hand
  const [signed, setSigned] = useState<Mode | null>(null);
  const pdf = useSubmit(async () => {
    const r = await download(store.api.GET('/api/v1/commitments/{id}/document.pdf', { ...path, parseAs: 'blob' }));
    saveBlob(r.blob, r.filename ?? `komitmen-${c.region_code}-${c.year}.pdf`);
  });
  const delegationDoc = useSubmit(async (slot?: string) => {
    const r = await download(store.api.GET('/api/v1/commitments/{id}/signatories/{slot}/delegation', { params: { path: { id, slot: slot! } }, parseAs: 'blob' }));
    saveBlob(r.blob, r.filename ?? `kuasa-${slot}`);
  });
  if (d.loading && !d.data) return <Loading />;
  if (d.error && !d.data) return <ErrorNote error={d.error} onRetry={d.reload} />;
  const c = d.data!;
  const isVoid = c.status === 'void';
  const anySigned = c.signatories.some((s) => s.status === 'signed');
  const mine = isVoid ? [] : c.signatories.filter((s) => user && s.user_email === user.email && modesFor(s).length > 0);
  return (
    <>
      <PageHeader title={c.title || `${t('commit.title')} ${c.region_name ?? c.region_code} ${c.year}`} />
      {c.region_name ? (
        <p class="lead">
          {c.region_name} · {c.year}
          {c.number ? <> · {c.number}</> : null}
        </p>
      ) : null}
      {isVoid ? (
        <div class="result bad void-banner" role="alert" data-testid="void-banner">
          <strong>{t('void.banner')}</strong>
          {c.void_reason ? <p>{t('void.reasonIs', { reason: c.void_reason })}</p> : null}
          {c.replacement_id ? (
            <p>
              {t('void.replacedBy')} <a href={`/commitments/${c.replacement_id}`}>{c.replacement_code || `#${c.replacement_id}`}</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <p class="commit-status">
        <span class={`badge doc-${c.status}`}>{statusText(c.status)}</span> · {t('reports.code')}{' '}
        <a href={`/verify/${encodeURIComponent(c.verification_code)}`}>{c.verification_code}</a>
      </p>
      <p class="actions">
        <button type="button" disabled={pdf.busy} onClick={() => pdf.run()}>
          {t(anySigned ? 'commit.download' : 'commit.downloadDraft')}
        </button>
        {pdf.error ? (
          <span class="field-error" role="alert">
            {errorText(pdf.error)}
          </span>
        ) : null}
      </p>
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('commit.slots')}>
        <table class="stack-table slots-table">
          <caption>{t('commit.slots')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('commit.slot')}</th>
              <th scope="col">{t('commit.signer')}</th>
              <th scope="col">{t('verify.status')}</th>
              <th scope="col">{t('commit.acts')}</th>
            </tr>
          </thead>
          <tbody>
            {c.signatories.map((s) => (
              <tr key={s.slot}>
                <th scope="row">{slotName(s)}</th>
                <td data-label={t('commit.signer')}>
                  <span>
                    {s.name || '—'}
                    {s.title || s.default_title ? <small> ({s.title || s.default_title})</small> : null}
                    {s.user_email ? <small class="hint"> · {s.user_email}</small> : null}
                    {s.capacity ? <span class={`badge cap-${s.capacity}`}>{tOr(`capacity.${s.capacity}`, s.capacity)}</span> : null}
                  </span>
                  {s.delegation ? (
                    <span class="delegation-doc">
                      {tOr(`delegation.${s.delegation.kind}`, s.delegation.kind)} {s.delegation.reference}{' '}
                      <button type="button" class="link" disabled={delegationDoc.busy} onClick={() => delegationDoc.run(s.slot)}>
                        {t('delegation.document')}
                      </button>
                    </span>
                  ) : null}
                </td>
                <td data-label={t('verify.status')}>
                  <span class={`badge slot-${s.status}`}>{label('slot_status', s.status)}</span>
                </td>
                <td data-label={t('commit.acts')}>
                  {s.acts.length ? (
                    <ul class="acts">
                      {s.acts.map((a) => (
                        <li key={a.mode + a.signed_at}>
                          <strong>{label('sign_mode', a.mode)}</strong>: {a.name} ({a.title}) <span class={`badge cap-${a.capacity}`}>{tOr(`capacity.${a.capacity}`, a.capacity)}</span>{' '}
                          <small>{fmtDateTime(a.signed_at, l)}</small>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {delegationDoc.error ? <FormError error={delegationDoc.error} /> : null}
      {can.manage(user) && !isVoid ? (
        <>
          {c.signatories
            .filter((s) => s.status !== 'signed')
            .map((s) => (
              <AssignForm key={s.slot} id={id} slot={s} onDone={d.reload} />
            ))}
          {c.signatories
            .filter((s) => s.status !== 'signed' && s.capacity && s.capacity !== 'principal')
            .map((s) => (
              <DelegationForm key={`d-${s.slot}`} id={id} slot={s} onDone={d.set} />
            ))}
          <VoidForm id={id} onDone={d.set} />
        </>
      ) : null}
      {signed ? (
        <p class="ok signed-note" role="status">
          {t(signed === 'sign' ? 'sign.doneSign' : 'sign.doneInitial')}{' '}
          <button type="button" class="link" onClick={() => pdf.run()}>
            {t('sign.downloadSigned')}
          </button>
        </p>
      ) : null}
      {mine.length > 0 ? (
        <SigningSteps
          id={id}
          slots={mine}
          keyInfo={key}
          keyMissing={keyMissing}
          onDone={(m) => {
            setSigned(m);
            d.reload();
          }} readPdf={() => download(store.api.GET('/api/v1/commitments/{id}/document.pdf', { ...path, parseAs: 'blob' }))} />
      ) : can.sign(user) ? (
        <SigningKey keyInfo={key} />
      ) : null}
    </>
  );
}
