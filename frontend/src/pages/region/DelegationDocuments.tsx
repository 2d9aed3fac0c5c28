// The regulation that delegates a Pemda's licensing authority, and its annex, as files: the
// current one of each kind with its download, an upload (or replacement) for those who may
// write, and the replaced ones under "Riwayat".
import { useEffect, useRef, useState } from 'preact/hooks';
import { label, lang, t, type MessageKey } from '../../i18n';
import { download, multipart, ok, type Schemas } from '../../lib/api';
import { fmtBytes, fmtDateTime } from '../../lib/format';
import { store } from '../../lib/state';
import { ErrorNote, OkNote, errorText, fieldError, saveBlob } from '../../components/ui';
import { FieldMessage, invalid, useSubmit } from '../../components/form';

type Doc = Schemas['DelegationDocument'];
type Kind = Doc['kind'];
const kinds: Kind[] = ['regulation', 'annex'];
/** The labels of each kind's upload and of its replacement (the kinds' names come from the server's label table). */
const words: Record<Kind, { upload: MessageKey; replace: MessageKey }> = {
  regulation: { upload: 'delegationDocs.uploadRegulation', replace: 'delegationDocs.replaceRegulation' },
  annex: { upload: 'delegationDocs.uploadAnnex', replace: 'delegationDocs.replaceAnnex' },
};

interface Props {
  year: number;
  region: string;
  /** the current documents, as the delegation lists them */
  current: Doc[];
  writable: boolean;
  onChange: () => void;
}

export function DelegationDocuments({ year, region, current, writable, onChange }: Props) {
  const path = { year, code: region };
  const [history, setHistory] = useState<Doc[]>([]);
  const [error, setError] = useState<unknown>(null);
  const currentIds = current.map((d) => d.id).join(',');
  useEffect(() => {
    // A document is replaced only by a newer one of its kind, which is then current: without
    // a current document there is no history to ask for.
    if (!current.length) {
      setHistory([]);
      return;
    }
    let live = true;
    ok(store.api.GET('/api/v1/periods/{year}/regions/{code}/delegation/documents', { params: { path } }))
      .then((docs) => live && setHistory(docs.filter((d) => d.superseded)))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [year, region, currentIds]);
  return (
    <div class="delegation-docs" data-testid="delegation-docs">
      <h3>{t('delegationDocs.title')}</h3>
      <ul class="evidence-list">
        {kinds.map((kind) => {
          const doc = current.find((d) => d.kind === kind);
          return (
            <li key={kind} data-kind={kind}>
              <span class="file-name">
                <strong>{label('document_kind', kind)}:</strong> {doc ? doc.filename : <span class="empty">{t('delegationDocs.none')}</span>}
              </span>
              {doc ? <DocMeta doc={doc} /> : null}
              <span class="file-actions">{doc ? <DownloadDoc year={year} region={region} doc={doc} /> : null}</span>
              {writable ? <UploadDoc year={year} region={region} kind={kind} replacing={!!doc} onDone={onChange} /> : null}
            </li>
          );
        })}
      </ul>
      {error ? <ErrorNote error={error} /> : null}
      {history.length ? (
        <details class="delegation-history">
          <summary>{t('delegationDocs.history', { n: String(history.length) })}</summary>
          <ul class="evidence-list">
            {history.map((doc) => (
              <li key={doc.id} data-doc={doc.id}>
                <span class="file-name">
                  <strong>{label('document_kind', doc.kind)}:</strong> {doc.filename} <span class="badge">{t('delegationDocs.replaced')}</span>
                </span>
                <DocMeta doc={doc} />
                <span class="file-actions">
                  <DownloadDoc year={year} region={region} doc={doc} />
                </span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function DocMeta({ doc }: { doc: Doc }) {
  const l = lang.value;
  return (
    <span class="file-meta">
      {fmtBytes(doc.size, l)} · {t('delegationDocs.uploaded', { date: fmtDateTime(doc.uploaded_at, l), name: doc.uploaded_by || '—' })}
    </span>
  );
}

function DownloadDoc({ year, region, doc }: { year: number; region: string; doc: Doc }) {
  const dl = useSubmit(async () => {
    const got = await download(store.api.GET('/api/v1/periods/{year}/regions/{code}/delegation/documents/{id}/file', { params: { path: { year, code: region, id: doc.id } }, parseAs: 'blob' }));
    saveBlob(got.blob, doc.filename);
  });
  return (
    <>
      <button type="button" class="small" disabled={dl.busy} onClick={() => dl.run()} aria-label={t('delegationDocs.downloadOf', { name: doc.filename })}>
        {t('evidence.download')}
      </button>
      {dl.error ? <span class="field-error">{errorText(dl.error)}</span> : null}
    </>
  );
}

/** Uploads a document of one kind; it replaces the current one, which goes to the history. */
function UploadDoc({ year, region, kind, replacing, onDone }: { year: number; region: string; kind: Kind; replacing: boolean; onDone: () => void }) {
  const id = `deldoc-${kind}`;
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const form = useSubmit(
    async () => {
      if (!file) invalid({ file: t('evidence.chooseFile') });
      await ok(
        store.api.POST('/api/v1/periods/{year}/regions/{code}/delegation/documents', {
          params: { path: { year, code: region } },
          body: { kind, file },
          bodySerializer: multipart,
        }),
      );
    },
    {
      onDone: () => {
        // the file is filed: the chooser is empty again, for the next replacement
        setFile(null);
        if (input.current) input.current.value = '';
        onDone();
      },
      focus: { fields: ['file', 'kind'], id: () => `${id}-file` },
    },
  );
  const fileErr = fieldError(form.error, 'file') ?? fieldError(form.error, 'kind');
  return (
    <form class="replace-form delegation-upload" noValidate onSubmit={form.submit}>
      <div class={`field${fileErr ? ' has-error' : ''}`}>
        <label for={`${id}-file`}>{t(replacing ? words[kind].replace : words[kind].upload)}</label>
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
          onChange={(e) => {
            setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
            form.reset();
          }}
          aria-invalid={fileErr ? 'true' : undefined}
          aria-describedby={fileErr ? `${id}-file-error` : `${id}-hint`}
        />
        <FieldMessage id={`${id}-file-error`} error={fileErr} />
        <span id={`${id}-hint`} class="hint">
          {t('delegationDocs.types')}
        </span>
      </div>
      {form.error && !fileErr ? <ErrorNote error={form.error} /> : null}
      <div class="actions">
        <button type="submit" class="small" disabled={form.busy}>
          {t(replacing ? 'delegationDocs.replaceSubmit' : 'delegationDocs.uploadSubmit')}
        </button>
        {form.done ? <OkNote>{t('delegationDocs.saved')}</OkNote> : null}
      </div>
    </form>
  );
}
