// Signing a slot in three steps: the signer's key, reading the document, drawing and signing.
import { useEffect, useState } from 'preact/hooks';
import { label, t } from '../../i18n';
import { ApiError, ok } from '../../lib/api';
import { store } from '../../lib/state';
import type { Signatory, SigningKey as SigningKeyT } from '../../lib/types';
import { Field, FormError, fieldError, SubmitButton, type Loaded } from '../../components/ui';
import { invalid, namesAny, useSubmit } from '../../components/form';
import { SignaturePad } from '../../components/signature';
import { type Mode, slotName, pngBase64, modesFor } from './common';

/** The signer's key, or null while they have none (the API answers 404 until one is made). */
export const loadKey = () => ok(store.api.GET('/api/v1/me/signing-key')).catch((e) => (e instanceof ApiError && e.code === 'not_found' ? null : Promise.reject(e)));

/** The three steps of signing: the key, reading the document, drawing and signing. */
export function SigningSteps({
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

export function SignForm({ id, slot, keyMissing, onDone }: { id: number; slot: Signatory; keyMissing: boolean; onDone: (mode: Mode) => void }) {
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
export function SigningKey({ keyInfo: key, step }: { keyInfo: Loaded<SigningKeyT | null>; step?: number }) {
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
