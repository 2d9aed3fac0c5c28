import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { lang, t, tOr } from '../i18n';
import { errorFrom, multipart, type Schemas } from '../lib/api';
import { fmtBytes, fmtNumber } from '../lib/format';
import { can, store } from '../lib/state';
import type { User } from '../lib/types';
import { Empty, ErrorNote, Loading, PageHeader, YearSelect, errorText, useYear } from '../components/ui';
import { useSubmit } from '../components/form';
import { DropArea } from '../components/files';
import { ExportMenu, type ExportFilter } from '../components/exports';

type ImportResult = Schemas['ImportResult'];
type PlanRow = ImportResult['rows'][number];
type Kind = 'claims' | 'catalogue';

/** How many rows of a preview are drawn at most (a national file has tens of thousands). */
const SHOWN = 500;

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

/** What a user may import: claims where they may claim; the catalogue when they keep the national catalogue. */
export function importKinds(u: User | null | undefined): Kind[] {
  if (!u) return [];
  const kinds: Kind[] = [];
  if (can.import(u)) kinds.push('claims');
  if (u.role === 'admin' || (u.role === 'coordinator' && !u.province)) kinds.push('catalogue');
  return kinds;
}

/** The export that serves as the claims import's template: the items of one's own Pemda or province. */
const claimsTemplate = (u: User): ExportFilter => (u.region_code ? { region: u.region_code } : u.province ? { province: u.province } : {});

/**
 * An import refused as a whole for its rows (422 with the plan): the plan, so that the refused
 * rows can be shown, and the API's message.
 */
class RefusedImport extends Error {
  constructor(
    readonly plan: ImportResult,
    message: string,
  ) {
    super(message);
  }
}

/** Sends the file to the import; a dry run changes nothing. */
async function sendImport(year: number, kind: Kind, file: File, dryRun: boolean): Promise<ImportResult> {
  const opts = { params: { path: { year }, query: dryRun ? { dry_run: 'true' as const } : {} }, body: { file }, bodySerializer: multipart };
  const { data, error, response } =
    kind === 'claims' ? await store.api.POST('/api/v1/periods/{year}/import/claims', opts) : await store.api.POST('/api/v1/periods/{year}/import/catalogue', opts);
  if (response.ok) return data as ImportResult;
  const refused = errorFrom(response.status, error, response.statusText);
  const plan = error as Partial<ImportResult> | undefined;
  if (response.status === 422 && Array.isArray(plan?.rows)) throw new RefusedImport(plan as ImportResult, refused.message);
  throw refused;
}

/**
 * Import from a spreadsheet: claims per item (operators their Pemda, coordinators their
 * province) or the year's catalogue. A preview comes first — what every row would do, refused
 * rows marked with why — and applying then makes every change in one go, or none.
 */
export default function Import() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const kinds = importKinds(user);
  if (!kinds.length) return <Empty>{t('common.notAllowed')}</Empty>;
  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  return (
    <>
      <PageHeader title={t('import.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('import.lead')}</p>
      <ImportForm key={year} year={year} user={user!} kinds={kinds} />
    </>
  );
}

function ImportForm({ year, user, kinds }: { year: number; user: User; kinds: Kind[] }) {
  const loc = useLocation();
  const asked = loc.query.kind as Kind | undefined;
  const [kind, setKind] = useState<Kind>(asked && kinds.includes(asked) ? asked : kinds[0]);
  const [file, setFile] = useState<File | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const preview = useSubmit(() => sendImport(year, kind, file!, true));
  const apply = useSubmit(() => sendImport(year, kind, file!, false));
  // A preview belongs to one file and one kind: choosing another forgets it.
  useEffect(() => {
    preview.reset();
    if (file) preview.run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, kind]);

  const choose = (files: FileList | null) => {
    apply.reset();
    setFile(files?.[0] ?? null);
    if (input.current) input.current.value = '';
  };
  const refused = apply.error instanceof RefusedImport ? apply.error : null;
  const plan = refused?.plan ?? apply.result ?? preview.result;
  const applied = apply.result?.applied === true;
  const changes = plan ? plan.totals.create + plan.totals.update : 0;
  const l = lang.value;
  return (
    <>
      {kinds.length > 1 ? (
        <fieldset class="choice import-kind">
          <legend>{t('import.kind')}</legend>
          {kinds.map((k) => (
            <label key={k}>
              <input type="radio" name="import-kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t(k === 'claims' ? 'import.claims' : 'import.catalogue')}
            </label>
          ))}
        </fieldset>
      ) : null}
      <section class="card import-template">
        <h2>{t('import.template')}</h2>
        <p>{t(kind === 'claims' ? 'import.claimsColumns' : 'import.catalogueColumns')}</p>
        <ExportMenu year={year} table={kind === 'claims' ? 'items' : 'catalogue'} filter={kind === 'claims' ? claimsTemplate(user) : {}} label={t(kind === 'claims' ? 'import.claimsTemplate' : 'import.catalogueTemplate')} />
      </section>
      <section class="card">
        <h2>{t('import.file')}</h2>
        <DropArea id="import-file" title={t('import.drop')} accept={ACCEPT} inputRef={input} testid="import-drop" describedBy="import-file-hint" onFiles={choose}>
          <small id="import-file-hint" class="hint">
            {t('import.fileHint')}
          </small>
          {file ? (
            <p class="chosen" data-testid="import-chosen">
              {file.name} ({fmtBytes(file.size, l)})
            </p>
          ) : null}
        </DropArea>
        {preview.busy ? (
          <p role="status" class="hint">
            {t('import.checking')}
          </p>
        ) : null}
        {preview.error ? (
          <p class="field-error" role="alert">
            {errorText(preview.error, true)}
            <MissingColumns error={preview.error} />
          </p>
        ) : null}
      </section>
      {plan && file ? (
        <section class="card import-plan" aria-labelledby="plan-h" data-testid="import-plan">
          <h2 id="plan-h">{t(applied ? 'import.applied' : 'import.preview')}</h2>
          <p class="totals" data-testid="import-totals">
            {t('import.totals', {
              create: fmtNumber(plan.totals.create, l, 0),
              update: fmtNumber(plan.totals.update, l, 0),
              unchanged: fmtNumber(plan.totals.unchanged, l, 0),
              error: fmtNumber(plan.totals.error, l, 0),
            })}
          </p>
          {refused ? (
            <p class="field-error" role="alert">
              {refused.message}
            </p>
          ) : null}
          {apply.error && !refused ? (
            <p class="field-error" role="alert">
              {errorText(apply.error, true)}
            </p>
          ) : null}
          {applied ? (
            <p class="ok" role="status" data-testid="import-done">
              {t('import.done', { n: fmtNumber(changes, l, 0) })}
            </p>
          ) : plan.totals.error > 0 ? (
            <p class="notice" role="status">
              {t('import.fixRows', { n: fmtNumber(plan.totals.error, l, 0) })}
            </p>
          ) : changes === 0 ? (
            <p class="hint" role="status">
              {t('import.nothing')}
            </p>
          ) : (
            <button type="button" class="primary" disabled={apply.busy} onClick={() => apply.run()} data-testid="import-apply">
              {apply.busy ? t('common.saving') : t('import.apply', { n: fmtNumber(changes, l, 0) })}
            </button>
          )}
          <PlanTable rows={plan.rows} />
        </section>
      ) : null}
    </>
  );
}

/** The columns a sheet lacks (422 naming each missing one), listed under the message. */
function MissingColumns({ error }: { error: unknown }) {
  const fields = error && typeof error === 'object' && 'fields' in error ? Object.keys((error as { fields: Record<string, string> }).fields) : [];
  if (!fields.length) return null;
  return (
    <span class="missing-columns">
      {' '}
      {t('import.missing')} {fields.map((f) => tOr(`import.col.${f}`, f)).join(', ')}.
    </span>
  );
}

/** The preview's rows: by default those that change or are refused; all of them on request. */
function PlanTable({ rows }: { rows: PlanRow[] }) {
  const [all, setAll] = useState(false);
  const relevant = all ? rows : rows.filter((r) => r.action !== 'unchanged');
  const shown = relevant.slice(0, SHOWN);
  const l = lang.value;
  return (
    <>
      <label class="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll((e.currentTarget as HTMLInputElement).checked)} /> {t('import.showUnchanged')}
      </label>
      {shown.length ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('import.preview')}>
          <table class="plan">
            <thead>
              <tr>
                <th scope="col" class="num">
                  {t('import.row')}
                </th>
                <th scope="col">{t('import.key')}</th>
                <th scope="col">{t('import.action')}</th>
                <th scope="col">{t('import.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={`${r.sheet ?? ''}:${r.row}`} class={`plan-${r.action}`} data-row={r.row}>
                  <td class="num">{r.sheet ? `${r.sheet} · ${r.row}` : r.row}</td>
                  <th scope="row">{r.key}</th>
                  <td>
                    <span class={`badge action-${r.action}`}>{t(`import.action.${r.action}`)}</span>
                  </td>
                  <td>
                    {r.errors.length ? (
                      <ul class="row-errors">
                        {r.errors.map((e, i) => (
                          <li key={i}>
                            {tOr(`import.col.${e.field}`, e.field)}: {e.message}
                          </li>
                        ))}
                      </ul>
                    ) : r.changes ? (
                      <ul class="row-changes">
                        {Object.entries(r.changes).map(([col, c]) => (
                          <li key={col}>
                            {tOr(`import.col.${col}`, col)}: {shownValue(c.from, l)} → {shownValue(c.to, l)}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="hint">{t('import.noChanges')}</p>
      )}
      {relevant.length > SHOWN ? <p class="hint">{t('import.truncated', { shown: fmtNumber(SHOWN, l, 0), total: fmtNumber(relevant.length, l, 0) })}</p> : null}
    </>
  );
}

/** A value before or after a change as the table shows it: numbers in the interface's notation, long text shortened, nothing as a dash. */
function shownValue(v: unknown, l: 'id' | 'en'): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return fmtNumber(v, l, 2);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 80 ? s.slice(0, 79) + '…' : s;
}
