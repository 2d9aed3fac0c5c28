import { useEffect, useRef, useState } from 'preact/hooks';
import { lang, t, tOr } from '../i18n';
import { fmtBytes, fmtDateTime } from '../lib/format';
import { store } from '../lib/state';
import { ApiError } from '../lib/api';
import type { Evidence } from '../lib/types';
import { ErrorNote, errorText, saveBlob } from './ui';

const previewable = (ct: string) => ct === 'application/pdf' || ct.startsWith('image/');

/** The list of an item's evidence files, each downloadable and, for PDFs and images, previewable. */
export function EvidenceList({
  evidence,
  autoPreview = false,
  reviewable = false,
  onReviewed,
}: {
  evidence: Evidence[];
  autoPreview?: boolean;
  /** show accept / reject per document (when the API has per-document review) */
  reviewable?: boolean;
  onReviewed?: (e: Evidence) => void;
}) {
  const first = autoPreview ? evidence.find((e) => previewable(e.content_type)) : undefined;
  const [shown, setShown] = useState<number | null>(first?.id ?? null);
  useEffect(() => {
    if (autoPreview) setShown(first?.id ?? null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoPreview, first?.id]);
  const l = lang.value;
  if (evidence.length === 0) return <p class="empty">{t('evidence.none')}</p>;
  const current = evidence.find((e) => e.id === shown);
  return (
    <div class="evidence">
      <ul class="evidence-list">
        {evidence.map((e) => (
          <li key={e.id}>
            <span class="file-name">
              {e.filename}
              {e.status ? <span class={`badge doc-${e.status}`}>{tOr(`evidence.status.${e.status}`, e.status)}</span> : null}
              {e.superseded ? <span class="badge">{t('evidence.superseded')}</span> : null}
            </span>
            {e.status === 'rejected' && e.reason ? <span class="field-error">{e.reason}</span> : null}
            <span class="file-meta">
              {fmtBytes(e.size, l)} · {fmtDateTime(e.uploaded_at, l)}
            </span>
            <span class="file-actions">
              {previewable(e.content_type) ? (
                <button type="button" class="small" aria-pressed={shown === e.id} onClick={() => setShown(shown === e.id ? null : e.id)}>
                  {shown === e.id ? t('evidence.hide') : t('evidence.preview')}
                </button>
              ) : null}
              <DownloadButton evidence={e} />
            </span>
            {reviewable && !e.superseded ? <DocReview evidence={e} onReviewed={onReviewed} /> : null}
          </li>
        ))}
      </ul>
      {current ? <Preview evidence={current} /> : null}
    </div>
  );
}

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
  const input = useRef<HTMLInputElement>(null);

  async function send(files: FileList | null) {
    if (!files || files.length === 0) return;
    setError(null);
    setDone(null);
    for (const f of Array.from(files)) {
      setProgress({ name: f.name, pct: 0 });
      try {
        const up = store.client.upload<Evidence>(path, f, f.name, (p) =>
          setProgress({ name: f.name, pct: p.total ? Math.round((100 * p.loaded) / p.total) : 0 }),
        );
        const ev = await up.promise;
        setDone(f.name);
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

  return (
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
        accept=".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx,.odt,.ods,application/pdf,image/png,image/jpeg"
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
          {errorText(error)}
        </p>
      ) : null}
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
