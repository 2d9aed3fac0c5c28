// A coordinator's tools on a commitment: assign a slot, record a delegation, void it.
import { useState } from 'preact/hooks';
import { t } from '../../i18n';
import { multipart, ok, type Schemas } from '../../lib/api';
import { store } from '../../lib/state';
import type { Commitment, Signatory } from '../../lib/types';
import { Field, FormError, fieldError, SubmitButton, useLoad } from '../../components/ui';
import { invalid, namesAny, useSubmit } from '../../components/form';
import { slotName } from './common';

type SignatoryChoice = Schemas['SignatoryChoice'];

// The signatories a coordinator may assign, asked for once per visit to the page.
let choicesOnce: Promise<SignatoryChoice[]> | null = null;
const signatoryChoices = () => (choicesOnce ??= ok(store.api.GET('/api/v1/signatories')).catch((e) => ((choicesOnce = null), Promise.reject(e))));

export function AssignForm({ id, slot, onDone }: { id: number; slot: Signatory; onDone: () => void }) {
  const [email, setEmail] = useState(slot.user_email ?? '');
  const [name, setName] = useState(slot.name ?? '');
  const [title, setTitle] = useState(slot.title ?? '');
  const choices = useLoad(signatoryChoices, []);
  // Picking a signatory from the list fills in their name and the title they last held.
  const pick = (v: string) => {
    setEmail(v);
    const c = choices.data?.find((x) => x.email === v.trim().toLowerCase());
    if (!c) return;
    setName(c.name);
    if (c.title) setTitle(c.title);
  };
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
          <Field
            id={`${idp}-email`}
            label={t('commit.signatoryEmail')}
            type="email"
            list={`${idp}-choices`}
            autoComplete="off"
            value={email}
            onValue={pick}
            hint={t('commit.signatoryHint')}
            error={fieldError(error, 'user_email')}
          />
          <datalist id={`${idp}-choices`}>
            {(choices.data ?? []).map((c) => (
              <option key={c.email} value={c.email}>
                {[c.name, c.title || c.region_code].filter(Boolean).join(' — ')}
              </option>
            ))}
          </datalist>
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
export function DelegationForm({ id, slot, onDone }: { id: number; slot: Signatory; onDone: (c: Commitment) => void }) {
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
export function VoidForm({ id, onDone }: { id: number; onDone: (c: Commitment) => void }) {
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
