import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, t, tOr } from '../i18n';
import { fmtBytes, fmtDate, fmtDateTime } from '../lib/format';
import { store } from '../lib/state';
import { ApiError } from '../lib/api';
import type { Evidence } from '../lib/types';
import { ErrorNote, errorText, fieldError, saveBlob } from './ui';

const previewable = (ct: string) => ct === 'application/pdf' || ct.startsWith('image/');

/** The list of an item's evidence files, each downloadable and, for PDFs and images, previewable. */
export function EvidenceList({
  evidence,
  autoPreview = false,
  reviewable = false,
  onReviewed,
  replacePath,
  onReplaced,
}: {
  evidence: Evidence[];
  autoPreview?: boolean;
  /** show accept / reject per document (when the API has per-document review) */
  reviewable?: boolean;
  onReviewed?: (e: Evidence) => void;
  /** the item's upload path: when given, each current document can be replaced by a revision */
  replacePath?: string;
  onReplaced?: (e: Evidence) => void;
}) {
  const first = autoPreview ? evidence.find((e) => previewable(e.content_type)) : undefined;
  const [shown, setShown] = useState<number | null>(first?.id ?? null);
  useEffect(() => {
    if (autoPreview) setShown(first?.id ?? null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoPreview, first?.id]);
  const [replacing, setReplacing] = useState<number | null>(null);
  const [replaced, setReplaced] = useState<string | null>(null);
  const flash = useRef<HTMLParagraphElement>(null);
  const l = lang.value;
  if (evidence.length === 0) return <p class="empty">{t('evidence.none')}</p>;
  const current = evidence.find((e) => e.id === shown);
  return (
    <div class="evidence">
      {replaced ? (
        <p class="ok" role="status" tabIndex={-1} ref={flash} data-testid="replaced">
          {t('evidence.replaced', { name: replaced })}
        </p>
      ) : null}
      <ul class="evidence-list">
        {evidence.map((e) => (
          <li key={e.id} data-evidence={e.id}>
            <span class="file-name">
              {e.filename}
              {e.status ? (
                <span class={`badge doc-${e.status}`}>
                  <span class="visually-hidden">{t('evidence.statusOf')} </span>
                  {tOr(`evidence.status.${e.status}`, e.status)}
                </span>
              ) : null}
              {e.replaces_id ? <span class="badge">{t('evidence.revision')}</span> : null}
              {e.superseded ? <span class="badge">{t('evidence.superseded')}</span> : null}
            </span>
            <span class="file-meta">
              {fmtBytes(e.size, l)} · {fmtDateTime(e.uploaded_at, l)}
              {e.effective_date ? ` · ${t('evidence.effectiveShort', { date: fmtDate(e.effective_date, l, 'UTC') })}` : ''}
              {e.reviewed_at && e.status !== 'waiting' ? ` · ${t('evidence.reviewedAt', { date: fmtDateTime(e.reviewed_at, l) })}` : ''}
            </span>
            <span class="file-actions">
              {previewable(e.content_type) ? (
                <button type="button" class="small" aria-pressed={shown === e.id} onClick={() => setShown(shown === e.id ? null : e.id)}>
                  {shown === e.id ? t('evidence.hide') : t('evidence.preview')}
                </button>
              ) : null}
              <DownloadButton evidence={e} />
              {replacePath && !e.superseded ? (
                <button
                  type="button"
                  class="small"
                  aria-expanded={replacing === e.id}
                  aria-controls={`replace-${e.id}`}
                  aria-label={t('evidence.replaceOf', { name: e.filename })}
                  onClick={() => setReplacing(replacing === e.id ? null : e.id)}
                >
                  {t('evidence.replace')}
                </button>
              ) : null}
            </span>
            {e.status === 'rejected' && e.reason ? (
              <p class="doc-status field-error">
                <strong>{t('evidence.rejectedBecause')}</strong> <span>{e.reason}</span>
              </p>
            ) : null}
            {reviewable && !e.superseded ? <DocReview evidence={e} onReviewed={onReviewed} /> : null}
            {replacePath && replacing === e.id ? (
              <ReplaceForm
                evidence={e}
                path={replacePath}
                onCancel={() => setReplacing(null)}
                onDone={(ev, name) => {
                  setReplacing(null);
                  setReplaced(name);
                  onReplaced?.(ev);
                  // the replaced row goes away: keep the focus on the news, not on <body>
                  setTimeout(() => flash.current?.focus(), 0);
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {current ? <Preview evidence={current} /> : null}
    </div>
  );
}

/** Uploads a revision of one document (multipart: replaces and effective_date before the file). */
function ReplaceForm({
  evidence,
  path,
  onCancel,
  onDone,
}: {
  evidence: Evidence;
  path: string;
  onCancel: () => void;
  onDone: (e: Evidence, name: string) => void;
}) {
  const id = `replace-${evidence.id}`;
  const [file, setFile] = useState<File | null>(null);
  const [date, setDate] = useState('');
  const [pct, setPct] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => fileInput.current?.focus(), []);
  const fileErr = fieldError(error, 'file') ?? fieldError(error, 'replaces');
  const dateErr = fieldError(error, 'effective_date');
  return (
    <form
      id={id}
      class="replace-form"
      noValidate
      aria-labelledby={`${id}-h`}
      onSubmit={async (ev) => {
        ev.preventDefault();
        if (!file) {
          setError(new ApiError(422, 'validation_failed', t('form.invalid'), { file: t('evidence.chooseFile') }));
          fileInput.current?.focus();
          return;
        }
        setError(null);
        setPct(0);
        try {
          const up = store.client.upload<Evidence>(path, file, file.name, (p) => setPct(p.total ? Math.round((100 * p.loaded) / p.total) : 0), {
            replaces: evidence.id,
            effective_date: date,
          });
          onDone(await up.promise, file.name);
        } catch (e) {
          setError(e);
          setPct(null);
        }
      }}
    >
      <h4 id={`${id}-h`}>{t('evidence.replaceTitle', { name: evidence.filename })}</h4>
      <div class={`field${fileErr ? ' has-error' : ''}`}>
        <label for={`${id}-file`}>{t('evidence.replaceFile')}</label>
        <input
          ref={fileInput}
          id={`${id}-file`}
          type="file"
          accept={ACCEPT}
          onChange={(e) => {
            setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
            setError(null);
          }}
          aria-invalid={fileErr ? 'true' : undefined}
          aria-describedby={fileErr ? `${id}-file-error` : undefined}
        />
        {fileErr ? (
          <small id={`${id}-file-error`} class="field-error">
            {fileErr}
          </small>
        ) : null}
      </div>
      <div class={`field${dateErr ? ' has-error' : ''}`}>
        <label for={`${id}-date`}>
          {t('evidence.effective')} <span class="hint">({t('common.optional')})</span>
        </label>
        <input
          id={`${id}-date`}
          type="date"
          value={date}
          onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)}
          aria-invalid={dateErr ? 'true' : undefined}
          aria-describedby={dateErr ? `${id}-date-error` : undefined}
        />
        {dateErr ? (
          <small id={`${id}-date-error`} class="field-error">
            {dateErr}
          </small>
        ) : null}
      </div>
      <p class="hint">{t('evidence.replaceHint')}</p>
      {error && !fileErr && !dateErr ? (
        <p class="field-error" role="alert">
          {errorText(error)}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="primary small" disabled={pct !== null}>
          {t('evidence.replaceSubmit')}
        </button>
        <button type="button" class="small" onClick={onCancel} disabled={pct !== null}>
          {t('common.cancel')}
        </button>
        {pct !== null ? (
          <span class="upload-progress" role="status">
            <label for={`${id}-progress`}>{t('upload.sending', { name: file?.name ?? '' })}</label>
            <progress id={`${id}-progress`} max={100} value={pct} />
          </span>
        ) : null}
      </div>
    </form>
  );
}

const ACCEPT = '.pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.odt,.ods,application/pdf,image/png,image/jpeg';

function DownloadButton({ evidence }: { evidence: Evidence }) {
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button
        type="button"
        class="small"
        onClick={async () => {
          setError(null);
          try {
            const { blob } = await store.client.blob(`/api/v1/evidence/${evidence.id}`);
            saveBlob(blob, evidence.filename);
          } catch (e) {
            setError(e);
          }
        }}
      >
        {t('evidence.download')}
      </button>
      {error ? <span class="field-error">{errorText(error)}</span> : null}
    </>
  );
}

/** Shows a PDF or image in the page, fetched with the session (the download answers as an attachment). */
export function Preview({ evidence }: { evidence: Evidence }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    setUrl(null);
    setError(null);
    store.client.blob(`/api/v1/evidence/${evidence.id}`).then(
      ({ blob }) => {
        if (!live) return;
        made = URL.createObjectURL(new Blob([blob], { type: evidence.content_type }));
        setUrl(made);
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [evidence.id, evidence.content_type]);
  if (error) return <ErrorNote error={error} />;
  if (!url) return <p class="loading">{t('common.loading')}</p>;
  return (
    <figure class="preview" data-testid="preview">
      {evidence.content_type === 'application/pdf' ? (
        <iframe src={url} title={t('evidence.previewOf', { name: evidence.filename })} />
      ) : (
        <img src={url} alt={t('evidence.previewOf', { name: evidence.filename })} />
      )}
      <figcaption>{evidence.filename}</figcaption>
    </figure>
  );
}

/** Drag-and-drop (or pick) upload of evidence files, with a progress bar per upload. */
export function Dropzone({ id, path, onUploaded }: { id: string; path: string; onUploaded: (e: Evidence) => void }) {
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState<{ name: string; pct: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [effective, setEffective] = useState('');
  const input = useRef<HTMLInputElement>(null);

  async function send(files: FileList | null) {
    if (!files || files.length === 0) return;
    setError(null);
    setDone(null);
    for (const f of Array.from(files)) {
      setProgress({ name: f.name, pct: 0 });
      try {
        const up = store.client.upload<Evidence>(
          path,
          f,
          f.name,
          (p) => setProgress({ name: f.name, pct: p.total ? Math.round((100 * p.loaded) / p.total) : 0 }),
          { effective_date: effective },
        );
        const ev = await up.promise;
        setDone(f.name);
        setEffective('');
        onUploaded(ev);
      } catch (e) {
        setError(e);
        break;
      } finally {
        setProgress(null);
      }
    }
    if (input.current) input.current.value = '';
  }

  const dateErr = fieldError(error, 'effective_date');
  return (
    <div class="upload">
      <div class={`effective-date${dateErr ? ' has-error' : ''}`}>
        <label for={`${id}-effective`}>
          {t('evidence.effective')} <span class="hint">({t('common.optional')})</span>
        </label>
        <input
          id={`${id}-effective`}
          type="date"
          value={effective}
          onInput={(e) => setEffective((e.currentTarget as HTMLInputElement).value)}
          aria-describedby={`${id}-effective-hint`}
          aria-invalid={dateErr ? 'true' : undefined}
        />
        <small id={`${id}-effective-hint`} class="hint">
          {t('upload.effectiveHint')}
        </small>
      </div>
    <div
      class={`dropzone${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        send(e.dataTransfer?.files ?? null);
      }}
      data-testid="dropzone"
    >
      <input
        ref={input}
        id={id}
        type="file"
        class="visually-hidden"
        multiple
        accept={ACCEPT}
        onChange={(e) => send((e.currentTarget as HTMLInputElement).files)}
        aria-describedby={`${id}-hint`}
      />
      <label for={id} class="drop-label">
        <strong>{t('upload.drop')}</strong> <span class="link-like">{t('upload.choose')}</span>
      </label>
      <small id={`${id}-hint`} class="hint">
        {t('upload.hint')}
      </small>
      {progress ? (
        <div class="upload-progress" role="status">
          <label for={`${id}-progress`}>{t('upload.sending', { name: progress.name })}</label>
          <progress id={`${id}-progress`} max={100} value={progress.pct} />
          <span>{progress.pct}%</span>
        </div>
      ) : null}
      {done ? (
        <p class="ok" role="status">
          {t('upload.done', { name: done })}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" role="alert">
          {dateErr ?? errorText(error)}
        </p>
      ) : null}
    </div>
    </div>
  );
}

/** A reviewer's verdict on one document: accept, or reject with a reason. */
function DocReview({ evidence, onReviewed }: { evidence: Evidence; onReviewed?: (e: Evidence) => void }) {
  const [reason, setReason] = useState(evidence.reason ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const id = `doc-${evidence.id}-reason`;
  async function send(status: 'accepted' | 'rejected') {
    setBusy(true);
    setError(null);
    try {
      const ev = await store.client.put<Evidence>(`/api/v1/evidence/${evidence.id}/review`, { status, reason, version: evidence.version });
      onReviewed?.(ev);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  const fieldMsg = error instanceof ApiError ? error.field('reason') : undefined;
  return (
    <div class="doc-review">
      <label for={id}>{t('evidence.reason')}</label>
      <input id={id} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} aria-invalid={fieldMsg ? 'true' : undefined} />
      <button type="button" class="small" disabled={busy} onClick={() => send('accepted')}>
        {t('evidence.accept')}
      </button>
      <button type="button" class="small danger" disabled={busy} onClick={() => send('rejected')}>
        {t('evidence.reject')}
      </button>
      {error ? <span class="field-error">{fieldMsg ?? errorText(error)}</span> : null}
    </div>
  );
}
