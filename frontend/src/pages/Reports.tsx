import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { download, ok, type Download } from '../lib/api';
import { store } from '../lib/state';
import type { Region } from '../lib/types';
import { Empty, ErrorNote, Loading, PageHeader, YearSelect, errorText, saveBlob, useLoad, useYear } from '../components/ui';
import { useSubmit } from '../components/form';

/** The progress reports as PDF: the province's, and one Pemda's. */
export default function Reports() {
  const { year, ready, error } = useYear();
  const regions = useLoad(() => ok(store.api.GET('/api/v1/regions')), []);
  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  return (
    <>
      <PageHeader title={t('reports.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('reports.lead')}</p>
      <section class="card">
        <h2>{t('reports.provincial')}</h2>
        {regions.data ? <ProvinceReport year={year} regions={regions.data} /> : <Loading />}
      </section>
      <section class="card">
        <h2>{t('reports.perRegion')}</h2>
        {regions.error ? <ErrorNote error={regions.error} onRetry={regions.reload} /> : null}
        {regions.data ? <RegionReport year={year} regions={regions.data} /> : <Loading />}
      </section>
    </>
  );
}

/** The national roll-up, or one province's full report (?province=). */
function ProvinceReport({ year, regions }: { year: number; regions: Region[] }) {
  const provinces = regions.filter((r) => r.kind === 'province');
  const own = store.session.value?.province ?? new URLSearchParams(location.search).get('province') ?? '';
  const [province, setProvince] = useState(own);
  const query = province ? { province } : {};
  return (
    <div class="row">
      {provinces.length > 1 || province ? (
        <div class="field">
          <label for="report-province">{t('dash.province')}</label>
          <select id="report-province" value={province} onChange={(e) => setProvince((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('dash.national')}</option>
            {provinces.map((r) => (
              <option key={r.code} value={r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <DownloadButton
        fetch={() => download(store.api.GET('/api/v1/periods/{year}/reports/progress.pdf', { params: { path: { year }, query }, parseAs: 'blob' }))}
        filename={`laporan-progres-${year}${province ? '-' + province : ''}.pdf`}
      />
    </div>
  );
}

function RegionReport({ year, regions }: { year: number; regions: Region[] }) {
  const mine = store.session.value?.region_code;
  const [code, setCode] = useState(mine ?? regions[0]?.code ?? '');
  return (
    <div class="row">
      <div class="field">
        <label for="report-region">{t('reports.region')}</label>
        <select id="report-region" value={code} onChange={(e) => setCode((e.currentTarget as HTMLSelectElement).value)}>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <DownloadButton
        fetch={() => download(store.api.GET('/api/v1/periods/{year}/regions/{code}/reports/progress.pdf', { params: { path: { year, code } }, parseAs: 'blob' }))}
        filename={`laporan-progres-${year}-${code}.pdf`}
      />
    </div>
  );
}

/** Downloads a report and shows its verification code (from the X-Verification-Code header). */
function DownloadButton({ fetch, filename }: { fetch: () => Promise<Download>; filename: string }) {
  const form = useSubmit(async () => {
    const r = await fetch();
    saveBlob(r.blob, r.filename ?? filename);
    return r.headers.get('X-Verification-Code');
  });
  const code = form.result;
  return (
    <div class="download">
      <button type="button" class="primary" disabled={form.busy} onClick={() => form.run()}>
        {form.busy ? t('reports.preparing') : t('reports.download')}
      </button>
      {form.error ? (
        <p class="field-error" role="alert">
          {errorText(form.error)}
        </p>
      ) : null}
      {code ? (
        <p class="ok" role="status">
          {t('reports.code')} <a href={`/verify/${encodeURIComponent(code)}`}>{code}</a>
        </p>
      ) : null}
    </div>
  );
}
