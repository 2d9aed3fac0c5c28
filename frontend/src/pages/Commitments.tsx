import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { label, lang, t, tOr } from '../i18n';
import { ApiError, download, multipart, ok } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { can, store } from '../lib/state';
import type { Commitment, Signatory, SigningKey as SigningKeyT } from '../lib/types';
import { Empty, ErrorNote, Field, FormError, Loading, PageHeader, YearSelect, errorText, fieldError, saveBlob, useLoad, useYear, SubmitButton, type Loaded } from '../components/ui';
import { invalid, namesAny, useSubmit } from '../components/form';
import { SignaturePad } from '../components/signature';

export default function Commitments() {
  const { params } = useRoute();
  return params.id ? <Detail id={Number(params.id)} /> : <ListPage />;
}

type Mode = 'sign' | 'initial';
type Kind = 'regional' | 'joint';

/** A slot's name: the web app's word for the office, else the office's printed title (a joint commitment's regents). */
const slotName = (s: Pick<Signatory, 'slot' | 'default_title'>) => tOr(`slot.${s.slot}`, s.default_title || s.slot);

const statusText = (s: string) => label('commitment_status', s);

const pngBase64 = (png: string) => png.replace(/^data:image\/png;base64,/, '');

/**
 * What the signed-in user may still do on a slot assigned to them: sign and initial on an open
 * slot, only sign once it carries a paraf, only initial as a deputy without a recorded
 * delegation; nothing once it is signed.
 */
export function modesFor(s: Pick<Signatory, 'status' | 'capacity'>): Mode[] {
  if (s.status === 'signed') return [];
  const deputy = s.capacity === 'deputy';
  if (s.status === 'initialled') return deputy ? [] : ['sign'];
  return deputy ? ['initial'] : ['sign', 'initial'];
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

type BatchItem = { commitment_id: number; slot: string; title: string; modes: Mode[] };

/** The signatory's slots waiting for them, to pick several and sign them at once. */
function Waiting({ items: commitments, onDone }: { items: Commitment[]; onDone: () => void }) {
  const user = store.session.value;
  const items: BatchItem[] = commitments.flatMap((c) =>
    c.signatories
      .filter((s) => s.user_email === user?.email && modesFor(s).length > 0)
      .map((s) => ({ commitment_id: c.id, slot: s.slot, title: `${c.title || c.region_name || c.region_code} — ${slotName(s)}`, modes: modesFor(s) })),
  );
  const [picked, setPicked] = useState<string[]>([]);
  // the form is made only while the dialog is open, so that its signature pad has a size
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const show = () => {
    dialog.current?.showModal(); // before the form renders into it
    setOpen(true);
  };
  const keyOf = (i: BatchItem) => `${i.commitment_id}/${i.slot}`;
  const chosen = items.filter((i) => picked.includes(keyOf(i)));
  return (
    <section class="card waiting" aria-labelledby="waiting-h">
      <h2 id="waiting-h">{t('batch.waiting')}</h2>
      <ul class="waiting-list">
        {items.map((i) => (
          <li key={keyOf(i)}>
            <label class="check">
              <input
                type="checkbox"
                checked={picked.includes(keyOf(i))}
                onChange={(e) => {
                  const on = (e.currentTarget as HTMLInputElement).checked;
                  setPicked(on ? [...picked, keyOf(i)] : picked.filter((k) => k !== keyOf(i)));
                }}
              />{' '}
              {i.title}
            </label>{' '}
            <a href={`/commitments/${i.commitment_id}`}>{t('batch.open')}</a>
          </li>
        ))}
      </ul>
      <button type="button" class="primary" disabled={chosen.length === 0} onClick={show}>
        {t('batch.signPicked', { n: chosen.length })}
      </button>
      <dialog ref={dialog} class="batch-dialog" aria-labelledby="batch-h" onClose={() => setOpen(false)}>
        {open && chosen.length ? <BatchForm items={chosen} onClose={() => dialog.current?.close()} onDone={onDone} /> : null}
      </dialog>
    </section>
  );
}

function BatchForm({ items, onClose, onDone }: { items: BatchItem[]; onClose: () => void; onDone: () => void }) {
  const both = items.every((i) => i.modes.includes('sign')) ? 'sign' : 'initial';
  const canInitial = items.every((i) => i.modes.includes('initial'));
  const canSign = items.every((i) => i.modes.includes('sign'));
  const [mode, setMode] = useState<Mode>(both);
  const [png, setPng] = useState<string | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const form = useSubmit(async () => {
    if (!png) invalid({ pad: t('sign.drawFirst') });
    const r = await ok(
      store.api.POST('/api/v1/me/sign-batch', {
        body: { items: items.map((i) => ({ commitment_id: i.commitment_id, slot: i.slot })), mode, passphrase, signature_png: pngBase64(png) },
      }),
    );
    setPassphrase('');
    return r;
  });
  const error = form.error;
  const itemError = (n: number) => (error instanceof ApiError ? error.field(`items[${n}]`) : undefined);
  const result = form.result;
  const close = () => {
    onClose();
    if (result) onDone();
  };
  return (
    <form class="form" noValidate onSubmit={form.submit}>
      <h2 id="batch-h">{t('batch.title', { n: items.length })}</h2>
      <ol class="batch-items">
        {items.map((i, n) => {
          const r = result?.results.find((x) => x.commitment_id === i.commitment_id && x.slot === i.slot);
          return (
            <li key={`${i.commitment_id}/${i.slot}`} data-testid="batch-item">
              {i.title}
              {r ? <span class={`badge slot-${r.status}`}>{r.status === 'failed' ? r.message || r.error || t('batch.failed') : label('slot_status', r.status)}</span> : null}
              {itemError(n) ? <small class="field-error">{itemError(n)}</small> : null}
            </li>
          );
        })}
      </ol>
      {result ? (
        <p class="ok" role="status">
          {t('batch.done', { n: result.results.filter((r) => r.status !== 'failed').length })}
        </p>
      ) : (
        <>
          {canSign && canInitial ? (
            <fieldset>
              <legend>{t('sign.mode')}</legend>
              <label>
                <input type="radio" name="batch-mode" checked={mode === 'sign'} onChange={() => setMode('sign')} /> {label('sign_mode', 'sign')}
              </label>
              <label>
                <input type="radio" name="batch-mode" checked={mode === 'initial'} onChange={() => setMode('initial')} /> {label('sign_mode', 'initial')}
              </label>
            </fieldset>
          ) : (
            <p>
              {t('sign.mode')}: {label('sign_mode', mode)}
            </p>
          )}
          <SignaturePad id="batch-pad" onChange={setPng} error={fieldError(error, 'pad') ?? fieldError(error, 'signature_png')} />
          <Field id="batch-pass" label={t('sign.passphrase')} type="password" autoComplete="off" value={passphrase} onValue={setPassphrase} error={fieldError(error, 'passphrase')} />
          {error && !namesAny(error, ['passphrase', 'pad', 'signature_png']) && !items.some((_, n) => itemError(n)) ? <FormError error={error} /> : null}
          <SubmitButton busy={form.busy}>{mode === 'sign' ? t('batch.submitSign') : t('batch.submitInitial')}</SubmitButton>
        </>
      )}
      <button type="button" onClick={close}>
        {t('batch.close')}
      </button>
    </form>
  );
}

/** The signer's key, or null while they have none (the API answers 404 until one is made). */
const loadKey = () => ok(store.api.GET('/api/v1/me/signing-key')).catch((e) => (e instanceof ApiError && e.code === 'not_found' ? null : Promise.reject(e)));

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

/** The three steps of signing: the key, reading the document, drawing and signing. */
function SigningSteps({
  id,
  slots,
  keyInfo,
  keyMissing,
  onDone,
  readPdf,
}: {
  id: number;
  slots: Signatory[];
  keyInfo: Loaded<SigningKeyT | null>;
  keyMissing: boolean;
  onDone: (mode: Mode) => void;
  readPdf: () => Promise<{ blob: Blob }>;
}) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => (url ? URL.revokeObjectURL(url) : undefined), [url]);
  const read = useSubmit(async () => {
    const r = await readPdf();
    setUrl(URL.createObjectURL(r.blob));
  });
  return (
    <ol class="steps">
      <li class="step">
        <SigningKey keyInfo={keyInfo} step={1} />
      </li>
      <li class="step">
        <section class="card" aria-labelledby="step-read-h">
          <h2 id="step-read-h">
            <span class="step-no">2</span> {t('steps.read')}
          </h2>
          <p class="hint">{t('steps.readHelp')}</p>
          {url ? (
            <iframe class="pdf-frame" src={url} title={t('steps.read')} />
          ) : (
            <button type="button" disabled={read.busy} onClick={() => read.run()}>
              {t('steps.show')}
            </button>
          )}
          {read.error ? <FormError error={read.error} /> : null}
        </section>
      </li>
      <li class="step">
        {slots.map((s) => (
          <SignForm key={s.slot} id={id} slot={s} keyMissing={keyMissing} onDone={onDone} />
        ))}
      </li>
    </ol>
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
        {t('commit.assign')}: {slotName(slot)}
      </summary>
      <form class="form" noValidate onSubmit={form.submit}>
        {slot.status === 'initialled' ? <p class="hint">{t('commit.reassignInitialled')}</p> : null}
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

/** The coordinator records the a.n. or surat kuasa under which a deputy may sign. */
function DelegationForm({ id, slot, onDone }: { id: number; slot: Signatory; onDone: (c: Commitment) => void }) {
  const [kind, setKind] = useState<'an' | 'surat_kuasa'>(slot.delegation?.kind ?? 'an');
  const [reference, setReference] = useState(slot.delegation?.reference ?? '');
  const [file, setFile] = useState<File | null>(null);
  const idp = `deleg-${slot.slot}`;
  const form = useSubmit(
    () => {
      if (!file) invalid({ file: t('delegation.chooseFile') });
      return ok(
        store.api.PUT('/api/v1/commitments/{id}/signatories/{slot}/delegation', {
          params: { path: { id, slot: slot.slot } },
          body: { kind, reference, file },
          bodySerializer: multipart,
        }),
      );
    },
    { onDone },
  );
  const error = form.error;
  return (
    <details class="card">
      <summary>
        {t('delegation.record')}: {slotName(slot)}
      </summary>
      <form class="form" noValidate onSubmit={form.submit}>
        <div class="row wrap">
          <div class="field">
            <label for={`${idp}-kind`}>{t('delegation.kind')}</label>
            <select id={`${idp}-kind`} value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as 'an' | 'surat_kuasa')}>
              <option value="an">{t('delegation.an')}</option>
              <option value="surat_kuasa">{t('delegation.surat_kuasa')}</option>
            </select>
          </div>
          <Field id={`${idp}-ref`} label={t('delegation.reference')} value={reference} onValue={setReference} error={fieldError(error, 'reference')} />
          <div class="field">
            <label for={`${idp}-file`}>{t('delegation.file')}</label>
            <input id={`${idp}-file`} type="file" accept="application/pdf,image/png,image/jpeg" onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)} />
            {fieldError(error, 'file') ? <small class="field-error">{fieldError(error, 'file')}</small> : null}
          </div>
        </div>
        {error && !namesAny(error, ['reference', 'file', 'kind']) ? <FormError error={error} /> : null}
        <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
      </form>
    </details>
  );
}

/** The coordinator voids the commitment with a reason and, optionally, the one that replaces it. */
function VoidForm({ id, onDone }: { id: number; onDone: (c: Commitment) => void }) {
  const [reason, setReason] = useState('');
  const [replacement, setReplacement] = useState('');
  const form = useSubmit(
    () => {
      if (!reason.trim()) invalid({ reason: t('void.reasonFirst') });
      const replacement_id = replacement.trim() ? Number(replacement) : undefined;
      return ok(store.api.POST('/api/v1/commitments/{id}/void', { params: { path: { id } }, body: { reason, replacement_id } }));
    },
    { onDone },
  );
  const error = form.error;
  return (
    <details class="card void-form">
      <summary>{t('void.title')}</summary>
      <form class="form" noValidate onSubmit={form.submit}>
        <p class="hint">{t('void.help')}</p>
        <Field id="void-reason" label={t('void.reason')} value={reason} onValue={setReason} error={fieldError(error, 'reason')} />
        <Field id="void-replacement" label={t('void.replacement')} inputMode="numeric" value={replacement} onValue={setReplacement} error={fieldError(error, 'replacement_id')} />
        {error && !namesAny(error, ['reason', 'replacement_id']) ? <FormError error={error} /> : null}
        <SubmitButton busy={form.busy}>{t('void.submit')}</SubmitButton>
      </form>
    </details>
  );
}

function SignForm({ id, slot, keyMissing, onDone }: { id: number; slot: Signatory; keyMissing: boolean; onDone: (mode: Mode) => void }) {
  const modes = modesFor(slot);
  const [chosen, setMode] = useState<Mode>(modes[0] ?? 'sign');
  const mode = modes.includes(chosen) ? chosen : modes[0];
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
          body: { mode, passphrase, signature_png: pngBase64(png) },
        }),
      );
      setPassphrase('');
      return mode;
    },
    { onDone },
  );
  const error = form.error;
  return (
    <form class="card form sign-form" onSubmit={form.submit} noValidate aria-labelledby={`${idp}-h`}>
      <h2 id={`${idp}-h`}>
        <span class="step-no">3</span> {t('sign.title')}: {slotName(slot)}
      </h2>
      {modes.length > 1 ? (
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
      ) : (
        <p class="hint">{mode === 'initial' ? t('sign.deputyOnly') : t('sign.afterParaf')}</p>
      )}
      {keyMissing ? <p class="notice">{t('sign.keyFirst')}</p> : null}
      <SignaturePad id={`${idp}-pad`} onChange={setPng} error={fieldError(error, 'pad') ?? fieldError(error, 'signature_png')} />
      <Field id={`${idp}-pass`} label={t('sign.passphrase')} type="password" autoComplete="off" value={passphrase} onValue={setPassphrase} error={fieldError(error, 'passphrase')} />
      <label class="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed((e.currentTarget as HTMLInputElement).checked)} aria-invalid={fieldError(error, 'confirm') ? 'true' : undefined} /> {t('sign.confirm')}
      </label>
      {fieldError(error, 'confirm') ? <small class="field-error">{fieldError(error, 'confirm')}</small> : null}
      {error && !namesAny(error, ['passphrase', 'pad', 'signature_png', 'confirm']) ? <FormError error={error} /> : null}
      <SubmitButton busy={form.busy} disabled={keyMissing}>
        {mode === 'sign' ? t('sign.submitSign') : t('sign.submitInitial')}
      </SubmitButton>
    </form>
  );
}

/** The signer's own key: made once (the passphrase typed twice), its passphrase changed later. */
function SigningKey({ keyInfo: key, step }: { keyInfo: Loaded<SigningKeyT | null>; step?: number }) {
  const [pass, setPass] = useState('');
  const [again, setAgain] = useState('');
  const [old, setOld] = useState('');
  const has = !!key.data;
  const form = useSubmit(
    async () => {
      if (pass !== again) invalid({ again: t('sign.passphraseMismatch') });
      const r = await ok(store.api.PUT('/api/v1/me/signing-key', { body: { passphrase: pass, old_passphrase: has ? old : undefined } }));
      setPass('');
      setAgain('');
      setOld('');
      return r;
    },
    { onDone: (r) => key.set(r) },
  );
  const error = form.error;
  const fp = key.data?.fingerprint;
  const keyForm = (
    <form class="form" noValidate onSubmit={form.submit}>
      <p class="hint">{t('sign.keyHelp')}</p>
      {has ? <Field id="key-old" label={t('sign.oldPassphrase')} type="password" autoComplete="off" value={old} onValue={setOld} error={fieldError(error, 'old_passphrase')} /> : null}
      <Field id="key-new" label={t('sign.newPassphrase')} type="password" autoComplete="new-password" value={pass} onValue={setPass} error={fieldError(error, 'passphrase')} />
      <Field id="key-again" label={t('sign.passphraseAgain')} type="password" autoComplete="new-password" value={again} onValue={setAgain} error={fieldError(error, 'again')} />
      {error && !namesAny(error, ['passphrase', 'old_passphrase', 'again']) ? <FormError error={error} /> : null}
      <SubmitButton busy={form.busy}>{has ? t('sign.keyChange') : t('sign.keyCreate')}</SubmitButton>
    </form>
  );
  return (
    <section class="card" aria-labelledby="signing-key-h">
      <h2 id="signing-key-h">
        {step ? <span class="step-no">{step}</span> : null} {t('sign.key')}
      </h2>
      {fp ? (
        <p class="ok key-ready" role="status">
          {t('sign.keyReady')} <code class="fingerprint">{fp.match(/.{1,8}/g)?.join(' ')}</code>
        </p>
      ) : null}
      {has ? (
        <details>
          <summary>{t('sign.keyChange')}</summary>
          {keyForm}
        </details>
      ) : (
        keyForm
      )}
    </section>
  );
}
