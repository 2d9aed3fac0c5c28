// A signatory's commitments waiting for them, signed in one batch (passphrase once, one drawing).
import { useRef, useState } from 'preact/hooks';
import { label, t } from '../../i18n';
import { ApiError, ok } from '../../lib/api';
import { store } from '../../lib/state';
import type { Commitment } from '../../lib/types';
import { Field, FormError, fieldError, SubmitButton } from '../../components/ui';
import { invalid, namesAny, useSubmit } from '../../components/form';
import { SignaturePad } from '../../components/signature';
import { type Mode, slotName, pngBase64, modesFor } from './common';

export type BatchItem = { commitment_id: number; slot: string; title: string; modes: Mode[] };

/** The signatory's slots waiting for them, to pick several and sign them at once. */
export function Waiting({ items: commitments, onDone }: { items: Commitment[]; onDone: () => void }) {
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

export function BatchForm({ items, onClose, onDone }: { items: BatchItem[]; onClose: () => void; onDone: () => void }) {
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
