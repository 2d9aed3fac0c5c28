import { useEffect, useRef, useState } from 'preact/hooks';
import { label, lang, t } from '../i18n';
import { download, multipart, ok, uploader, type UploadProgress } from '../lib/api';
import { docBadge, firstToReview, orderEvidence, previewable, type DocBadge } from '../lib/evidence';
import { fmtBytes, fmtDate, fmtDateTime } from '../lib/format';
import { store } from '../lib/state';
import type { Evidence, ItemStatus } from '../lib/types';
import { ErrorNote, errorText, fieldError, saveBlob } from './ui';
import { FieldMessage, invalid, useSubmit } from './form';
import { DropArea } from './files';

/** An item of a region in a period: where its evidence is uploaded. */
export interface ItemRef {
  year: number;
  code: string;
  indicator: string;
}

/** Uploads one document to an item, reporting progress; `replaces` names the revision it replaces. */
export function uploadEvidence(ref: ItemRef, file: File, fields: { effective_date?: string; replaces?: number }, onProgress: (pct: number) => void) {
  const up = uploader((p: UploadProgress) => onProgress(p.total ? Math.round((100 * p.loaded) / p.total) : 0));
  return ok(
    store.api.POST('/api/v1/periods/{year}/regions/{code}/items/{indicator}/evidence', {
      params: { path: ref },
      body: { ...fields, effective_date: fields.effective_date || undefined, file },
      bodySerializer: multipart,
      fetch: up.fetch,
    }),
  );
}

/** A badge's words: the server's names for the states, "Baru" the web app's own. */
function badgeText(b: Exclude<DocBadge, null>): string {
  if (b === 'new') return t('evidence.status.new');
  if (b === 'notSubmitted') return label('item_status', 'draft');
  return label('evidence_status', b === 'waiting' ? 'waiting' : b);
}

/**
 * An item's documents, current ones newest first, each downloadable and, for PDFs and images,
 * previewable. For a reviewer the newest document still waiting opens first, marked "Baru", and
 * each document can be accepted or rejected on its own; for whoever may edit the item, each
 * current document can be replaced by a revision.
 */
export function EvidenceList({
  evidence,
  status,
  reviewer = false,
  onReviewed,
  item,
  onReplaced,
}: {
  evidence: Evidence[];
  /** the item's status: a document's badge depends on it */
  status: ItemStatus;
  /** the reviewer's view: the first document to check opens, and each can be judged */
  reviewer?: boolean;
  onReviewed?: (e: Evidence) => void;
  /** the item, when its documents may be replaced */
  item?: ItemRef;
  onReplaced?: (e: Evidence) => void;
}) {
  const first = reviewer ? firstToReview(evidence) : undefined;
  const [shown, setShown] = useState<number | null>(first?.id ?? null);
  useEffect(() => {
    if (reviewer) setShown(first?.id ?? null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [reviewer, first?.id]);
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
      {current ? <Preview evidence={current} /> : null}
      <ul class="evidence-list">
        {orderEvidence(evidence).map((e) => {
          const badge = docBadge(e, status, reviewer);
          return (
            <li key={e.id} data-evidence={e.id} class={shown === e.id ? 'shown' : undefined}>
              <span class="file-name">
                {e.filename}
                {badge ? (
                  <span class={`badge doc-${badge}`}>
                    <span class="visually-hidden">{t('evidence.statusOf')} </span>
                    {badgeText(badge)}
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
                {item && !e.superseded ? (
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
              {reviewer && onReviewed && !e.superseded ? <DocReview evidence={e} onReviewed={onReviewed} /> : null}
              {item && replacing === e.id ? (
                <ReplaceForm
                  evidence={e}
                  item={item}
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
          );
        })}
      </ul>
    </div>
  );
}

/** Uploads a revision of one document (multipart: replaces and effective_date before the file). */
function ReplaceForm({ evidence, item, onCancel, onDone }: { evidence: Evidence; item: ItemRef; onCancel: () => void; onDone: (e: Evidence, name: string) => void }) {
  const id = `replace-${evidence.id}`;
  const [file, setFile] = useState<File | null>(null);
  const [date, setDate] = useState('');
  const [pct, setPct] = useState(0);
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => fileInput.current?.focus(), []);
  const form = useSubmit(
    async () => {
      if (!file) invalid({ file: t('evidence.chooseFile') });
      setPct(0);
      return { ev: await uploadEvidence(item, file, { replaces: evidence.id, effective_date: date }, setPct), name: file.name };
    },
    { onDone: ({ ev, name }) => onDone(ev, name), focus: { fields: ['file', 'replaces', 'effective_date'], id: (f) => (f === 'effective_date' ? `${id}-date` : `${id}-file`) } },
  );
  const fileErr = fieldError(form.error, 'file') ?? fieldError(form.error, 'replaces');
  const dateErr = fieldError(form.error, 'effective_date');
  return (
    <form id={id} class="replace-form" noValidate aria-labelledby={`${id}-h`} onSubmit={form.submit}>
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
            form.reset();
          }}
          aria-invalid={fileErr ? 'true' : undefined}
          aria-describedby={fileErr ? `${id}-file-error` : undefined}
        />
        <FieldMessage id={`${id}-file-error`} error={fileErr} />
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
        <FieldMessage id={`${id}-date-error`} error={dateErr} />
      </div>
      <p class="hint">{t('evidence.replaceHint')}</p>
      {form.error && !fileErr && !dateErr ? (
        <p class="field-error" role="alert">
          {errorText(form.error, true)}
        </p>
      ) : null}
      <div class="actions">
        <button type="submit" class="primary small" disabled={form.busy}>
          {t('evidence.replaceSubmit')}
        </button>
        <button type="button" class="small" onClick={onCancel} disabled={form.busy}>
          {t('common.cancel')}
        </button>
        {form.busy ? (
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

const fetchEvidence = (e: Evidence) => download(store.api.GET('/api/v1/evidence/{id}', { params: { path: { id: e.id } }, parseAs: 'blob' }));

function DownloadButton({ evidence }: { evidence: Evidence }) {
  const dl = useSubmit(async () => saveBlob((await fetchEvidence(evidence)).blob, evidence.filename));
  return (
    <>
      <button type="button" class="small" disabled={dl.busy} onClick={() => dl.run()}>
        {t('evidence.download')}
      </button>
      {dl.error ? <span class="field-error">{errorText(dl.error)}</span> : null}
    </>
  );
}

/** Phones show a PDF in no embedded viewer (an empty frame): they get a link that opens it instead. */
const embedsPDF = () => typeof matchMedia === 'undefined' || !matchMedia('(max-width: 760px), (pointer: coarse)').matches;

/** Shows a PDF or image in the page, fetched with the session (the download answers as an attachment). */
export function Preview({ evidence }: { evidence: Evidence }) {
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    setUrl(null);
    setError(null);
    fetchEvidence(evidence).then(
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
  }, [evidence.id, evidence.content_type, attempt]);
  if (error) return <ErrorNote error={error} onRetry={() => setAttempt((n) => n + 1)} />;
  if (!url) return <p class="loading preview-loading">{t('common.loading')}</p>;
  const label = t('evidence.previewOf', { name: evidence.filename });
  const pdf = evidence.content_type === 'application/pdf';
  return (
    <figure class="preview" data-testid="preview">
      {pdf && embedsPDF() ? <iframe src={url} title={label} /> : null}
      {pdf && !embedsPDF() ? (
        <a class="button preview-open" href={url} target="_blank" rel="noopener" data-testid="preview-link">
          {t('evidence.openPdf', { name: evidence.filename })}
        </a>
      ) : null}
      {!pdf ? <img src={url} alt={label} /> : null}
      <figcaption>{evidence.filename}</figcaption>
    </figure>
  );
}

/**
 * Drag-and-drop (or pick) upload of evidence files, with a progress bar per upload. On an item
 * already decided it says first that a new document sends the item back to the reviewers.
 */
export function Dropzone({
  id,
  item,
  version,
  status,
  verified,
  onUploaded,
}: {
  id: string;
  item: ItemRef;
  /** the item's version: when it changes (a claim, an upload), an old upload error no longer applies */
  version: number;
  status: ItemStatus;
  /** the item's verified figure, as shown */
  verified: string;
  onUploaded: (e: Evidence) => void;
}) {
  const [progress, setProgress] = useState<{ name: string; pct: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [effective, setEffective] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => setError(null), [version]);

  async function send(files: FileList | null) {
    if (!files || files.length === 0) return;
    setError(null);
    setDone(null);
    for (const f of Array.from(files)) {
      setProgress({ name: f.name, pct: 0 });
      try {
        const ev = await uploadEvidence(item, f, { effective_date: effective }, (pct) => setProgress({ name: f.name, pct }));
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
  const resubmits = status === 'approved' || status === 'rejected';
  return (
    <div class="upload">
      {resubmits ? (
        <p class="notice resubmit" id={`${id}-resubmit`}>
          {t(status === 'approved' ? 'upload.resubmitsApproved' : 'upload.resubmitsRejected', { verified })}
        </p>
      ) : null}
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
      <DropArea
        id={id}
        title={t('upload.drop')}
        accept={ACCEPT}
        multiple
        inputRef={input}
        testid="dropzone"
        describedBy={resubmits ? `${id}-hint ${id}-resubmit` : `${id}-hint`}
        onFiles={send}
      >
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
            {t(resubmits || status === 'submitted' ? 'upload.doneWaiting' : 'upload.done', { name: done })}
          </p>
        ) : null}
        {error ? (
          <p class="field-error" role="alert">
            {dateErr ?? errorText(error, true)}
          </p>
        ) : null}
      </DropArea>
    </div>
  );
}

/** A reviewer's verdict on one document: accept it, or reject it with its own reason. */
function DocReview({ evidence, onReviewed }: { evidence: Evidence; onReviewed: (e: Evidence) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState(evidence.reason ?? '');
  const id = `doc-${evidence.id}-reason`;
  const form = useSubmit(
    (status?: 'accepted' | 'rejected') =>
      ok(store.api.PUT('/api/v1/evidence/{id}/review', { params: { path: { id: evidence.id } }, body: { status: status!, reason, version: evidence.version } })),
    {
      onDone: (ev) => {
        setRejecting(false);
        onReviewed(ev);
      },
      focus: { fields: ['reason'], id: () => id },
    },
  );
  const fieldMsg = fieldError(form.error, 'reason');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (rejecting) input.current?.focus();
  }, [rejecting]);
  return (
    <div class="doc-review" role="group" aria-label={t('evidence.verdictOf', { name: evidence.filename })}>
      {rejecting ? (
        <>
          <label for={id}>{t('evidence.reason')}</label>
          <input ref={input} id={id} value={reason} onInput={(e) => setReason((e.currentTarget as HTMLInputElement).value)} aria-invalid={fieldMsg ? 'true' : undefined} aria-describedby={fieldMsg ? `${id}-error` : undefined} />
          <button type="button" class="small danger" disabled={form.busy} onClick={() => form.run('rejected')}>
            {t('evidence.rejectConfirm')}
          </button>
          <button type="button" class="small" disabled={form.busy} onClick={() => setRejecting(false)}>
            {t('common.cancel')}
          </button>
        </>
      ) : (
        <>
          <button type="button" class="small" disabled={form.busy || evidence.status === 'accepted'} onClick={() => form.run('accepted')}>
            {t('evidence.accept')}
          </button>
          <button type="button" class="small danger" disabled={form.busy} onClick={() => setRejecting(true)} aria-expanded={false}>
            {t('evidence.reject')}
          </button>
        </>
      )}
      {fieldMsg ? <FieldMessage id={`${id}-error`} error={fieldMsg} /> : form.error ? <span class="field-error">{errorText(form.error, true)}</span> : null}
    </div>
  );
}
