// Settings › Letterhead: the heading printed on reports and commitments, with its logo.
import { useState } from 'preact/hooks';
import { t, type MessageKey } from '../../i18n';
import { ok } from '../../lib/api';
import { imageDataURL } from '../../lib/image';
import { store } from '../../lib/state';
import type { Letterhead as LetterheadT } from '../../lib/types';
import { ErrorNote, FormError, Loading, SubmitButton, fieldError, useLoad, OkNote } from '../../components/ui';
import { FieldMessage, namesAny, useSubmit } from '../../components/form';

type Fields = Pick<LetterheadT, 'government' | 'institution' | 'address' | 'logo'>;
const TEXT = ['government', 'institution', 'address'] as const;

export default function Letterhead() {
  const lh = useLoad(() => ok(store.api.GET('/api/v1/letterhead')), []);
  if (lh.error && !lh.data) return <ErrorNote error={lh.error} onRetry={lh.reload} />;
  if (!lh.data) return <Loading />;
  return <LetterheadForm start={lh.data} />;
}

function LetterheadForm({ start }: { start: Fields }) {
  const [v, setV] = useState<Fields>({ government: start.government, institution: start.institution, address: start.address, logo: start.logo });
  const set = (k: keyof Fields, x: string | null) => setV((cur) => ({ ...cur, [k]: x }));
  const form = useSubmit(() => ok(store.api.PUT('/api/v1/letterhead', { body: { ...v, logo: v.logo ?? undefined } })));
  const logoURL = imageDataURL(v.logo);
  const err = (f: string) => fieldError(form.error, f);
  return (
    <form class="card form" noValidate onSubmit={form.submit}>
      <h2>{t('admin.letterhead')}</h2>
      {TEXT.map((k) => (
        <div key={k} class={`field${err(k) ? ' has-error' : ''}`}>
          <label for={`lh-${k}`}>{t(`admin.lh.${k}` as MessageKey)}</label>
          <input id={`lh-${k}`} value={v[k]} onInput={(e) => set(k, (e.currentTarget as HTMLInputElement).value)} aria-invalid={err(k) ? 'true' : undefined} aria-describedby={err(k) ? `lh-${k}-error` : undefined} />
          <FieldMessage id={`lh-${k}-error`} error={err(k)} />
        </div>
      ))}
      <div class="field">
        <label for="lh-logo">{t('admin.lh.logo')}</label>
        {v.logo && logoURL ? <img src={logoURL} alt={t('admin.lh.logoPreview')} data-testid="logo-preview" class="logo-preview" /> : null}
        {v.logo && !logoURL ? <small class="field-error">{t('admin.lh.logoUnknown')}</small> : null}
        <input
          id="lh-logo"
          type="file"
          accept="image/png,image/jpeg"
          onChange={async (e) => {
            const f = (e.currentTarget as HTMLInputElement).files?.[0];
            if (!f) return;
            const b = new Uint8Array(await f.arrayBuffer());
            let bin = '';
            for (const x of b) bin += String.fromCharCode(x);
            set('logo', btoa(bin));
          }}
        />
        <FieldMessage id="lh-logo-error" error={err('logo')} />
      </div>
      {form.error && !namesAny(form.error, [...TEXT, 'logo']) ? <FormError error={form.error} /> : null}
      <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
      {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
    </form>
  );
}
