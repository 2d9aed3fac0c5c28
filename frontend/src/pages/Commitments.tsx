import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { label, lang, t, tOr } from '../i18n';
import { ApiError, download, ok } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { can, store } from '../lib/state';
import type { Signatory, SigningKey as SigningKeyT } from '../lib/types';
import { Empty, ErrorNote, Field, FormError, Loading, PageHeader, YearSelect, errorText, fieldError, saveBlob, useLoad, useYear, SubmitButton, type Loaded } from '../components/ui';
import { invalid, namesAny, useSubmit } from '../components/form';
import { SignaturePad } from '../components/signature';

export default function Commitments() {
  const { params } = useRoute();
  return params.id ? <Detail id={Number(params.id)} /> : <ListPage />;
}

/**
 * A slot's state. The server's label table names "open", "initialled" and "signed", while slots
 * are "unassigned" or "pending" until signed: those two keep the web app's words until the
 * table has them.
 */
function slotStatus(s: Signatory['status']) {
  const named = label('slot_status', s);
  return named !== s ? named : tOr(`slotstatus.${s}`, s);
}

function statusText(s: string) {
  return label('commitment_status', s);
}

function ListPage() {
  const { year, ready } = useYear();
  const loc = useLocation();
  const user = store.session.value;
  // The server filters by ?year=, but its OpenAPI document does not list that parameter yet:
  // the year's commitments are picked here until it does.
  const list = useLoad(() => (year ? ok(store.api.GET('/api/v1/commitments')).then((cs) => cs.filter((c) => c.year === year)) : Promise.resolve([])), [year]);
  const regions = useLoad(() => ok(store.api.GET('/api/v1/regions')), []);
  const [region, setRegion] = useState('');
  const create = useSubmit(
    () => ok(store.api.POST('/api/v1/commitments', { body: { region_code: region || regions.data?.[0]?.code || '', year: year!, kind: 'regional' } })),
    { onDone: (c) => loc.route(`/commitments/${c.id}`) },
  );
  const error = create.error;
  const name = (code: string) => regions.data?.find((r) => r.code === code)?.name ?? code;
  if (!ready) return <Loading />;
  return (
    <>
      <PageHeader title={t('commit.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('commit.lead')}</p>
      {can.manage(user) && year ? (
        <form class="card form" noValidate onSubmit={create.submit}>
          <h2>{t('commit.new')}</h2>
          <div class="field">
            <label for="commit-region">{t('reports.region')}</label>
            <select id="commit-region" value={region || regions.data?.[0]?.code || ''} onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}>
              {(regions.data ?? []).map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
            {fieldError(error, 'region_code') ? <small class="field-error">{fieldError(error, 'region_code')}</small> : null}
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

/** The signer's key, or null while they have none (the API answers 404 until one is made). */
const loadKey = () => ok(store.api.GET('/api/v1/me/signing-key')).catch((e) => (e instanceof ApiError && e.code === 'not_found' ? null : Promise.reject(e)));

function Detail({ id }: { id: number }) {
  const path = { params: { path: { id } } };
  const d = useLoad(() => ok(store.api.GET('/api/v1/commitments/{id}', path)), [id]);
  const user = store.session.value;
  const key = useLoad(() => (can.sign(user) ? loadKey() : Promise.resolve(null)), []);
  // A signer without a key makes one first: its card then comes before the slots to sign (and
  // stays there for the visit, so that nothing moves once the key is made).
  const keyMissing = can.sign(user) && !key.loading && !key.error && key.data === null;
  const [keyFirst, setKeyFirst] = useState(false);
  useEffect(() => {
    if (keyMissing) setKeyFirst(true);
  }, [keyMissing]);
  const l = lang.value;
  const pdf = useSubmit(async () => {
    const r = await download(store.api.GET('/api/v1/commitments/{id}/document.pdf', { ...path, parseAs: 'blob' }));
    saveBlob(r.blob, r.filename ?? `komitmen-${c.region_code}-${c.year}.pdf`);
  });
  if (d.loading && !d.data) return <Loading />;
  if (d.error && !d.data) return <ErrorNote error={d.error} onRetry={d.reload} />;
  const c = d.data!;
  const anySigned = c.signatories.some((s) => s.status === 'signed' || s.status === 'initialled');
  const mine = c.signatories.filter((s) => user && s.user_email === user.email && s.status !== 'signed' && s.status !== 'initialled');
  return (
    <>
      <PageHeader title={c.title || `${t('commit.title')} ${c.region_name ?? c.region_code} ${c.year}`} />
      {c.region_name ? (
        <p class="lead">
          {c.region_name} · {c.year}
        </p>
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
              <th scope="col">{t('commit.signedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {c.signatories.map((s) => (
              <tr key={s.slot}>
                <th scope="row">{tOr(`slot.${s.slot}`, s.slot)}</th>
                <td data-label={t('commit.signer')}>
                  <span>
                    {s.name || '—'}
                    {s.title || s.default_title ? <small> ({s.title || s.default_title})</small> : null}
                    {s.user_email ? <small class="hint"> · {s.user_email}</small> : null}
                  </span>
                </td>
                <td data-label={t('verify.status')}>
                  <span class={`badge slot-${s.status}`}>{slotStatus(s.status)}</span>
                </td>
                <td data-label={t('commit.signedAt')}>{fmtDateTime(s.signed_at ?? null, l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {can.manage(user)
        ? c.signatories.map((s) => <AssignForm key={s.slot} id={id} slot={s} onDone={d.reload} />)
        : null}
      {keyFirst && mine.length > 0 ? <SigningKey keyInfo={key} /> : null}
      {mine.map((s) => (
        <SignForm key={s.slot} id={id} slot={s} keyMissing={keyMissing} onDone={d.reload} />
      ))}
      {can.sign(user) && !(keyFirst && mine.length > 0) ? <SigningKey keyInfo={key} /> : null}
    </>
  );
}

function AssignForm({ id, slot, onDone }: { id: number; slot: Signatory; onDone: () => void }) {
  const [email, setEmail] = useState(slot.user_email ?? '');
  const [name, setName] = useState(slot.name ?? '');
  const [title, setTitle] = useState(slot.title ?? '');
  const form = useSubmit(
    () => ok(store.api.PUT('/api/v1/commitments/{id}/signatories/{slot}', { params: { path: { id, slot: slot.slot } }, body: { user_email: email, name, title } })),
    { onDone },
  );
  const error = form.error;
  const idp = `assign-${slot.slot}`;
  return (
    <details class="card">
      <summary>
        {t('commit.assign')}: {tOr(`slot.${slot.slot}`, slot.slot)}
      </summary>
      <form class="form" noValidate onSubmit={form.submit}>
        <div class="row wrap">
          <Field id={`${idp}-email`} label={t('login.email')} type="email" value={email} onValue={setEmail} error={fieldError(error, 'user_email')} />
          <Field id={`${idp}-name`} label={t('admin.name')} value={name} onValue={setName} error={fieldError(error, 'name')} />
          <Field id={`${idp}-title`} label={t('commit.titleField')} value={title} onValue={setTitle} error={fieldError(error, 'title')} />
        </div>
        {error && !namesAny(error, ['user_email', 'name', 'title']) ? <FormError error={error} /> : null}
        <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
      </form>
    </details>
  );
}

function SignForm({ id, slot, keyMissing, onDone }: { id: number; slot: Signatory; keyMissing: boolean; onDone: () => void }) {
  const [mode, setMode] = useState<'sign' | 'initial'>('sign');
  const [png, setPng] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const idp = `sign-${slot.slot}`;
  const form = useSubmit(
    async () => {
      if (!png) invalid({ pad: t('sign.drawFirst') });
      if (!confirmed) invalid({ confirm: t('sign.confirmFirst') });
      await ok(
        store.api.POST('/api/v1/commitments/{id}/signatories/{slot}/sign', {
          params: { path: { id, slot: slot.slot } },
          body: { mode, passphrase, signature_png: png.replace(/^data:image\/png;base64,/, '') },
        }),
      );
      setPassphrase('');
    },
    { onDone },
  );
  const error = form.error;
  return (
    <form class="card form sign-form" onSubmit={form.submit} noValidate aria-labelledby={`${idp}-h`}>
      <h2 id={`${idp}-h`}>
        {t('sign.title')}: {tOr(`slot.${slot.slot}`, slot.slot)}
      </h2>
      <fieldset>
        <legend>{t('sign.mode')}</legend>
        <label>
          <input type="radio" name={`${idp}-mode`} checked={mode === 'sign'} onChange={() => setMode('sign')} /> {label('sign_mode', 'sign')}
        </label>
        <label>
          <input type="radio" name={`${idp}-mode`} checked={mode === 'initial'} onChange={() => setMode('initial')} /> {label('sign_mode', 'initial')}
        </label>
        <small class="hint">{t('sign.modeHelp')}</small>
      </fieldset>
      {keyMissing ? <p class="notice">{t('sign.keyFirst')}</p> : null}
      <SignaturePad id={`${idp}-pad`} onChange={setPng} error={fieldError(error, 'pad')} />
      <Field id={`${idp}-pass`} label={t('sign.passphrase')} type="password" autoComplete="off" value={passphrase} onValue={setPassphrase} error={fieldError(error, 'passphrase')} />
      <label class="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)} aria-invalid={fieldError(error, 'confirm') ? 'true' : undefined} /> {t('sign.confirm')}
      </label>
      {fieldError(error, 'confirm') ? <small class="field-error">{fieldError(error, 'confirm')}</small> : null}
      {error && !namesAny(error, ['passphrase', 'pad', 'confirm']) ? <FormError error={error} /> : null}
      <SubmitButton busy={form.busy}>{mode === 'sign' ? t('sign.submitSign') : t('sign.submitInitial')}</SubmitButton>
    </form>
  );
}

/** The signer's own key: made once, its passphrase changed later. */
function SigningKey({ keyInfo: key }: { keyInfo: Loaded<SigningKeyT | null> }) {
  const [pass, setPass] = useState('');
  const [old, setOld] = useState('');
  const has = !!key.data;
  const form = useSubmit(
    async () => {
      const r = await ok(store.api.PUT('/api/v1/me/signing-key', { body: { passphrase: pass, old_passphrase: has ? old : undefined } }));
      setPass('');
      setOld('');
      return r;
    },
    { onDone: (r) => key.set(r) },
  );
  const error = form.error;
  const fp = key.data?.fingerprint;
  return (
    <section class="card" aria-labelledby="signing-key-h">
      <h2 id="signing-key-h">{t('sign.key')}</h2>
      {fp ? (
        <p class="ok" role="status">
          {t('sign.keyDone', { fp })}
        </p>
      ) : null}
      <form class="form" noValidate onSubmit={form.submit}>
        <p class="hint">{t('sign.keyHelp')}</p>
        {has ? (
          <Field id="key-old" label={t('sign.oldPassphrase')} type="password" autoComplete="off" value={old} onValue={setOld} error={fieldError(error, 'old_passphrase')} />
        ) : null}
        <Field id="key-new" label={t('sign.newPassphrase')} type="password" autoComplete="off" value={pass} onValue={setPass} error={fieldError(error, 'passphrase')} />
        {error && !fieldError(error, 'passphrase') && !fieldError(error, 'old_passphrase') ? <FormError error={error} /> : null}
        <SubmitButton busy={form.busy}>{has ? t('sign.keyChange') : t('sign.keyCreate')}</SubmitButton>
      </form>
    </section>
  );
}
