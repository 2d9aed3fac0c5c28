import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { label, lang, t, tOr } from '../i18n';
import { ApiError, multipart, ok, uploader } from '../lib/api';
import { fmtDateTime } from '../lib/format';
import { store } from '../lib/state';
import { ErrorNote, Field, Loading, PageHeader, errorText, fieldError, useLoad } from '../components/ui';
import { invalid, useSubmit } from '../components/form';

/** The public page: check a verification code printed on a document, or upload the PDF itself. */
export default function Verify() {
  const { params } = useRoute();
  const loc = useLocation();
  const code = params.code ? decodeURIComponent(params.code) : '';
  const [typed, setTyped] = useState(code);
  return (
    <>
      <PageHeader title={t('verify.title')} />
      <p class="lead">{t('verify.lead')}</p>
      <div class="verify-grid">
        <section class="card" aria-labelledby="verify-code-h">
          <h2 id="verify-code-h">{t('verify.byCode')}</h2>
          <form
            class="form"
            onSubmit={(e) => {
              e.preventDefault();
              const c = typed.trim().toUpperCase();
              if (c) loc.route(`/verify/${encodeURIComponent(c)}`);
            }}
          >
            <Field id="code" label={t('verify.code')} value={typed} onValue={setTyped} placeholder="K7QM-2XPA-9RTD" autoComplete="off" spellcheck={false} />
            <button type="submit" class="primary">
              {t('verify.check')}
            </button>
          </form>
          {code ? <CodeResult code={code} /> : null}
        </section>
        <section class="card" aria-labelledby="verify-file-h">
          <h2 id="verify-file-h">{t('verify.byFile')}</h2>
          <FileForm />
        </section>
      </div>
    </>
  );
}

function CodeResult({ code }: { code: string }) {
  const r = useLoad(() => ok(store.api.GET('/api/v1/verify/{code}', { params: { path: { code } } })), [code]);
  const l = lang.value;
  if (r.loading) return <Loading />;
  if (r.error instanceof ApiError && r.error.code === 'not_found') {
    return (
      <div class="result bad" role="alert" data-testid="verify-result">
        <strong>{t('verify.notFound', { code })}</strong>
        <p>{t('verify.notFoundHelp')}</p>
      </div>
    );
  }
  if (r.error) return <ErrorNote error={r.error} onRetry={r.reload} />;
  const v = r.data!;
  const isVoid = v.status === 'void';
  return (
    <div class={`result ${isVoid ? 'bad' : 'good'}`} role="status" data-testid="verify-result">
      <strong>{t('verify.found')}</strong>
      {isVoid ? <VoidNote reason={v.void_reason} replacement={v.replacement_code} /> : null}
      <dl class="kv">
        <dt>{t('verify.kind')}</dt>
        <dd>{tOr(`verify.kind.${v.kind}`, v.kind)}</dd>
        <dt>{t('verify.docTitle')}</dt>
        <dd>{v.title}</dd>
        <dt>{t('verify.status')}</dt>
        <dd>{label('commitment_status', v.status)}</dd>
        <dt>{t('verify.issued')}</dt>
        <dd>{fmtDateTime(v.created_at, l)}</dd>
        <dt>SHA-256</dt>
        <dd class="hash">{v.sha256}</dd>
      </dl>
      {v.signatures.length ? (
        <>
          <h3>{t('verify.signatures')}</h3>
          <ul>
            {v.signatures.map((s) => (
              <li key={s.slot + s.signed_at}>
                {s.name} ({s.title}) — {label('sign_mode', s.mode)}
                {s.capacity ? `, ${tOr(`capacity.${s.capacity}`, s.capacity)}` : ''}, {fmtDateTime(s.signed_at, l)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function FileForm() {
  const [file, setFile] = useState<File | null>(null);
  const [pct, setPct] = useState(0);
  const l = lang.value;
  const form = useSubmit(async () => {
    if (!file) invalid({ file: t('verify.chooseFile') });
    setPct(0);
    const up = uploader((p) => setPct(p.total ? Math.round((100 * p.loaded) / p.total) : 0));
    return ok(store.api.POST('/api/v1/verify', { body: { file }, bodySerializer: multipart, fetch: up.fetch }));
  });
  const { busy, error } = form;
  const result = form.result;
  return (
    <form class="form" onSubmit={form.submit} noValidate>
      <div class="field">
        <label for="verify-file">{t('verify.file')}</label>
        <input
          id="verify-file"
          type="file"
          accept="application/pdf,.pdf"
          onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          aria-describedby="verify-file-hint"
          aria-invalid={error ? 'true' : undefined}
        />
        <small id="verify-file-hint" class="hint">
          {t('verify.fileHint')}
        </small>
      </div>
      {busy ? <progress max={100} value={pct} aria-label={t('verify.checking')} /> : null}
      {error ? (
        <p class="field-error" role="alert">
          {fieldError(error, 'file') ?? errorText(error, true)}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t('verify.checking') : t('verify.checkFile')}
      </button>
      {result ? (
        <div class={`result ${result.valid ? 'good' : 'bad'}`} role="status" data-testid="file-result">
          <strong>{result.valid ? t('verify.fileValid') : t('verify.fileInvalid')}</strong>
          {result.valid && result.verification_code ? (
            <p>
              {result.title} — <a href={`/verify/${encodeURIComponent(result.verification_code)}`}>{result.verification_code}</a>
            </p>
          ) : (
            <p>{t('verify.fileInvalidHelp')}</p>
          )}
          {result.status === 'void' ? <VoidNote reason={result.void_reason} replacement={result.replacement_code} /> : null}
          {result.signatures.length ? (
            <ul class="sig-list">
              {result.signatures.map((s, i) => (
                <li key={i} data-testid="file-signature">
                  <strong>{s.name}</strong>
                  {s.mode ? <> — {label('sign_mode', s.mode)}</> : null}, {fmtDateTime(s.signed_at, l)}:{' '}
                  <span class={`badge trust-${s.trust ?? (s.valid ? 'trusted' : 'broken')}`}>{s.trust ? tOr(`verify.trust.${s.trust}`, s.trust) : s.valid ? t('verify.sigValid') : t('verify.sigInvalid')}</span>
                  <dl class="kv sig-detail">
                    {s.level ? (
                      <>
                        <dt>{t('verify.level')}</dt>
                        <dd>{s.level === 'legacy' ? t('verify.levelLegacy') : `PAdES ${s.level}`}</dd>
                      </>
                    ) : null}
                    <dt>{t('verify.timestamp')}</dt>
                    <dd>{s.timestamped_at ? fmtDateTime(s.timestamped_at, l) : t('verify.noTimestamp')}</dd>
                    {s.changes_after ? (
                      <>
                        <dt>{t('verify.changes')}</dt>
                        <dd class={s.changes_after === 'other' ? 'field-error' : undefined}>
                          {tOr(`verify.changes.${s.changes_after}`, s.changes_after)}
                          {s.change_detail ? ` (${s.change_detail})` : ''}
                        </dd>
                      </>
                    ) : null}
                    {s.problem ? (
                      <>
                        <dt>{t('verify.problem')}</dt>
                        <dd>{s.problem}</dd>
                      </>
                    ) : null}
                  </dl>
                </li>
              ))}
            </ul>
          ) : null}
          <p class="hash">SHA-256 {result.sha256}</p>
        </div>
      ) : null}
    </form>
  );
}

/** A void document: why, and the code of the one that replaces it. */
function VoidNote({ reason, replacement }: { reason?: string; replacement?: string | null }) {
  return (
    <div class="void-note" data-testid="void-note">
      <p>
        <strong>{t('void.banner')}</strong>
      </p>
      {reason ? <p>{t('void.reasonIs', { reason })}</p> : null}
      {replacement ? (
        <p>
          {t('void.replacedBy')} <a href={`/verify/${encodeURIComponent(replacement)}`}>{replacement}</a>
        </p>
      ) : null}
    </div>
  );
}
