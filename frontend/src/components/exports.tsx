// The export menu of a table (summary, radar, a Pemda's items, delegation, catalogue, audit):
// XLSX, CSV, or CSV with semicolons for spreadsheet programs set to Indonesian (decimal comma).
import { useRef } from 'preact/hooks';
import { t } from '../i18n';
import { download } from '../lib/api';
import { store } from '../lib/state';
import { useSubmit } from './form';
import { errorText, saveBlob } from './ui';

/** The tables the API exports. */
export type ExportTable = 'summary' | 'items' | 'radar' | 'delegation' | 'catalogue' | 'audit';

/** What an export is narrowed to: one province or one Pemda (empty means everything the caller sees). */
export interface ExportFilter {
  province?: string;
  region?: string;
}

const formats = [
  { key: 'xlsx', ext: 'xlsx', label: 'export.xlsx' },
  { key: 'csv', ext: 'csv', label: 'export.csv' },
  { key: 'csv-semicolon', ext: 'csv', sep: ';', label: 'export.csvSemicolon' },
] as const;

type Format = (typeof formats)[number];

/** ExportMenu downloads one table of a year as a spreadsheet, in the format chosen from its menu. */
export function ExportMenu({ year, table, filter = {}, label }: { year: number; table: ExportTable; filter?: ExportFilter; label?: string }) {
  const menu = useRef<HTMLDetailsElement>(null);
  const form = useSubmit(async (f?: Format) => {
    const query = { ...(filter.province ? { province: filter.province } : {}), ...(filter.region ? { region: filter.region } : {}), ...(f && 'sep' in f ? { sep: f.sep } : {}) };
    const r = await download(store.api.GET('/api/v1/periods/{year}/export/{file}', { params: { path: { year, file: `${table}.${f!.ext}` }, query }, parseAs: 'blob' }));
    saveBlob(r.blob, r.filename ?? `pantau-${year}-${table}.${f!.ext}`);
    if (menu.current) menu.current.open = false;
  });
  return (
    <div class="export" data-testid={`export-${table}`}>
      <details class="export-menu" ref={menu}>
        <summary>{form.busy ? t('export.preparing') : (label ?? t('export.download'))}</summary>
        <ul>
          {formats.map((f) => (
            <li key={f.key}>
              <button type="button" class="link" disabled={form.busy} onClick={() => form.run(f)} data-format={f.key}>
                {t(f.label)}
              </button>
            </li>
          ))}
        </ul>
      </details>
      {form.error ? (
        <p class="field-error" role="alert">
          {errorText(form.error)}
        </p>
      ) : null}
    </div>
  );
}
