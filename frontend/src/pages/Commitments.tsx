import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { lang, t, tOr } from '../i18n';
import { ApiError, seg } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { can, store, type Capabilities } from '../lib/state';
import type { Commitment, Region, Signatory } from '../lib/types';
import { Empty, ErrorNote, Field, FormError, Loading, PageHeader, Unavailable, YearSelect, errorText, fieldError, saveBlob, useLoad, useYear, SubmitButton } from '../components/ui';
import { SignaturePad } from '../components/signature';

// Built on shared/api.md's commitment contract. The list and detail reads are not in the
// contract; the page uses GET /api/v1/commitments?year= and GET /api/v1/commitments/{id}
// when the API's OpenAPI document has them, and says the feature is not there yet otherwise.
const LIST = '/api/v1/commitments';
const DETAIL = '/api/v1/commitments/{id}';

export default function Commitments() {
  const { params } = useRoute();
  const caps = useLoad(() => store.capabilities(), []);
  if (caps.loading) return <Loading />;
  if (caps.error) return <ErrorNote error={caps.error} onRetry={caps.reload} />;
  const c = caps.data!;
  if (!c.has('GET', LIST) && !c.has('POST', LIST)) {
    return (
      <>
        <PageHeader title={t('commit.title')} />
        <p class="lead">{t('commit.lead')}</p>
        <Unavailable what={t('commit.what')} />
      </>
    );
  }
  return params.id ? <Detail id={params.id} caps={c} /> : <ListPage caps={c} />;
}

function statusText(s: string) {
  return tOr(`docstatus.${s}`, s);
}

function ListPage({ caps }: { caps: Capabilities }) {
  const { year, ready } = useYear();
  const loc = useLocation();
  const user = store.session.value;
  const list = useLoad(
    () => (year && caps.has('GET', LIST) ? store.client.get<Commitment[]>(`${LIST}?year=${year}`) : Promise.resolve([] as Commitment[])),
    [year],
  );
  const regions = useLoad(() => store.client.get<Region[]>('/api/v1/regions'), []);
  const [region, setRegion] = useState('');
  const [error, setError] = useState<unknown>(null);
  const name = (code: string) => regions.data?.find((r) => r.code === code)?.name ?? code;
  if (!ready) return <Loading />;
  return (
    <>
      <PageHeader title={t('commit.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('commit.lead')}</p>
      {can.manage(user) && caps.has('POST', LIST) && year ? (
        <form
          class="card form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            try {
              const c = await store.client.post<Commitment>(LIST, { region_code: region || regions.data?.[0]?.code, year });
              loc.route(`/commitments/${c.id}`);
            } catch (err) {
              setError(err);
            }
          }}
        >
          <h2>{t('commit.new')}</h2>
          <div class="field">
            <label for="commit-region">{t('reports.region')}</label>
            <select id="commit-region" value={region} onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}>
              {(regions.data ?? []).map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
            {fieldError(error, 'region_code') ? <small class="field-error">{fieldError(error, 'region_code')}</small> : null}
          </div>
          {error && !fieldError(error, 'region_code') ? <FormError error={error} /> : null}
          <button type="submit" class="primary">
            {t('commit.create')}
          </button>
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

function Detail({ id, caps }: { id: string; caps: Capabilities }) {
  const d = useLoad(() => store.client.get<Commitment>(`/api/v1/commitments/${seg(id)}`), [id]);
  const user = store.session.value;
  const l = lang.value;
  const [dlError, setDlError] = useState<unknown>(null);
  if (!caps.has('GET', DETAIL)) return <Unavailable what={t('commit.what')} />;
  if (d.loading && !d.data) return <Loading />;
  if (d.error && !d.data) return <ErrorNote error={d.error} onRetry={d.reload} />;
  const c = d.data!;
  return (
    <>
      <PageHeader title={c.title || `${t('commit.title')} ${c.region_name ?? c.region_code} ${c.year}`} />
      {c.region_name ? (
        <p class="lead">
          {c.region_name} · {c.year}
        </p>
      ) : null}
      <p>
        <span class={`badge doc-${c.status}`}>{statusText(c.status)}</span> · {t('reports.code')}{' '}
        <a href={`/verify/${encodeURIComponent(c.verification_code)}`}>{c.verification_code}</a>
      </p>
      <button
        type="button"
        onClick={async () => {
          setDlError(null);
          try {
            const r = await store.client.blob(`/api/v1/commitments/${seg(id)}/document.pdf`);
            saveBlob(r.blob, r.filename ?? `komitmen-${c.region_code}-${c.year}.pdf`);
          } catch (e) {
            setDlError(e);
          }
        }}
      >
        {t('commit.download')}
      </button>
      {dlError ? <p class="field-error">{errorText(dlError)}</p> : null}
      <div class="table-wrap" tabIndex={0} role="region" aria-label={t('commit.slots')}>
        <table>
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
                <td>
                  {s.name || '—'}
                  {s.title || s.default_title ? <small> ({s.title || s.default_title})</small> : null}
                  {s.user_email ? <small class="hint"> · {s.user_email}</small> : null}
                </td>
                <td>
                  <span class={`badge slot-${s.status}`}>{tOr(`slotstatus.${s.status}`, s.status)}</span>
                </td>
                <td>{fmtDateTime(s.signed_at ?? null, l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {can.manage(user)
        ? c.signatories.map((s) => <AssignForm key={s.slot} id={id} slot={s} onDone={d.reload} />)
        : null}
      {c.signatories
        .filter((s) => user && s.user_email === user.email && s.status !== 'signed' && s.status !== 'initialled')
        .map((s) => (
          <SignForm key={s.slot} id={id} slot={s} onDone={d.reload} />
        ))}
      {can.sign(user) ? <SigningKey /> : null}
    </>
  );
}

function AssignForm({ id, slot, onDone }: { id: string; slot: Signatory; onDone: () => void }) {
  const [email, setEmail] = useState(slot.user_email ?? '');
  const [name, setName] = useState(slot.name ?? '');
  const [title, setTitle] = useState(slot.title ?? '');
  const [error, setError] = useState<unknown>(null);
  const idp = `assign-${slot.slot}`;
  return (
    <details class="card">
      <summary>
        {t('commit.assign')}: {tOr(`slot.${slot.slot}`, slot.slot)}
      </summary>
      <form
        class="form"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            await store.client.put(`/api/v1/commitments/${seg(id)}/signatories/${seg(slot.slot)}`, { user_email: email, name, title });
            onDone();
          } catch (err) {
            setError(err);
          }
        }}
      >
        <div class="row wrap">
          <Field id={`${idp}-email`} label={t('login.email')} type="email" value={email} onValue={setEmail} error={fieldError(error, 'user_email')} />
          <Field id={`${idp}-name`} label={t('admin.name')} value={name} onValue={setName} error={fieldError(error, 'name')} />
          <Field id={`${idp}-title`} label={t('commit.titleField')} value={title} onValue={setTitle} error={fieldError(error, 'title')} />
        </div>
        {error && !['user_email', 'name', 'title'].some((f) => fieldError(error, f)) ? <FormError error={error} /> : null}
        <button type="submit" class="primary">
          {t('common.save')}
        </button>
      </form>
    </details>
  );
}

function SignForm({ id, slot, onDone }: { id: string; slot: Signatory; onDone: () => void }) {
  const [mode, setMode] = useState<'sign' | 'initial'>('sign');
  const [png, setPng] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const idp = `sign-${slot.slot}`;
  async function submit(e: Event) {
    e.preventDefault();
    if (!png || !confirmed) {
      setError(new ApiError(422, 'validation_failed', !png ? t('sign.drawFirst') : t('sign.confirmFirst')));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await store.client.post(`/api/v1/commitments/${seg(id)}/signatories/${seg(slot.slot)}/sign`, {
        mode,
        passphrase,
        signature_png: png.replace(/^data:image\/png;base64,/, ''),
      });
      setPassphrase('');
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="card form sign-form" onSubmit={submit} noValidate aria-labelledby={`${idp}-h`}>
      <h2 id={`${idp}-h`}>
        {t('sign.title')}: {tOr(`slot.${slot.slot}`, slot.slot)}
      </h2>
      <fieldset>
        <legend>{t('sign.mode')}</legend>
        <label>
          <input type="radio" name={`${idp}-mode`} checked={mode === 'sign'} onChange={() => setMode('sign')} /> {t('signmode.sign')}
        </label>
        <label>
          <input type="radio" name={`${idp}-mode`} checked={mode === 'initial'} onChange={() => setMode('initial')} /> {t('signmode.initial')}
        </label>
        <small class="hint">{t('sign.modeHelp')}</small>
      </fieldset>
      <SignaturePad id={`${idp}-pad`} onChange={setPng} />
      <Field id={`${idp}-pass`} label={t('sign.passphrase')} type="password" autoComplete="off" value={passphrase} onValue={setPassphrase} error={fieldError(error, 'passphrase')} />
      <label class="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)} /> {t('sign.confirm')}
      </label>
      {error && !fieldError(error, 'passphrase') ? <FormError error={error} /> : null}
      <SubmitButton busy={busy}>{mode === 'sign' ? t('sign.submitSign') : t('sign.submitInitial')}</SubmitButton>
    </form>
  );
}

function SigningKey() {
  const key = useLoad(
    () => store.client.get<{ fingerprint: string }>('/api/v1/me/signing-key').catch((e) => (e instanceof ApiError && e.code === 'not_found' ? null : Promise.reject(e))),
    [],
  );
  const [pass, setPass] = useState('');
  const [old, setOld] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [fp, setFp] = useState<string | null>(null);
  const has = !!key.data || !!fp;
  return (
    <section class="card" aria-labelledby="signing-key-h">
      <h2 id="signing-key-h">{t('sign.key')}</h2>
      {key.data || fp ? (
        <p class="ok" role="status">
          {t('sign.keyDone', { fp: fp ?? key.data!.fingerprint })}
        </p>
      ) : null}
      <form
        class="form"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const r = await store.client.put<{ fingerprint: string }>('/api/v1/me/signing-key', { passphrase: pass, old_passphrase: has ? old : undefined });
            setFp(r.fingerprint);
            setPass('');
            setOld('');
          } catch (err) {
            setError(err);
          }
        }}
      >
        <p class="hint">{t('sign.keyHelp')}</p>
        {has ? (
          <Field id="key-old" label={t('sign.oldPassphrase')} type="password" autoComplete="off" value={old} onValue={setOld} error={fieldError(error, 'old_passphrase')} />
        ) : null}
        <Field id="key-new" label={t('sign.newPassphrase')} type="password" autoComplete="off" value={pass} onValue={setPass} error={fieldError(error, 'passphrase')} />
        {error && !fieldError(error, 'passphrase') && !fieldError(error, 'old_passphrase') ? <FormError error={error} /> : null}
        <button type="submit" class="primary">
          {has ? t('sign.keyChange') : t('sign.keyCreate')}
        </button>
      </form>
    </section>
  );
}
