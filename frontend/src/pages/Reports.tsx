import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { seg } from '../lib/api';
import { store } from '../lib/state';
import type { Region } from '../lib/types';
import { Empty, ErrorNote, Loading, PageHeader, Unavailable, YearSelect, errorText, saveBlob, useLoad, useYear } from '../components/ui';

const PROVINCIAL = '/api/v1/periods/{year}/reports/progress.pdf';
const PER_REGION = '/api/v1/periods/{year}/regions/{code}/reports/progress.pdf';

export default function Reports() {
  const { year, ready, error } = useYear();
  const caps = useLoad(() => store.capabilities(), []);
  const regions = useLoad(() => store.client.get<Region[]>('/api/v1/regions'), []);
  if (error) return <ErrorNote error={error} />;
  if (!ready || caps.loading) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  const hasProvincial = caps.data?.has('GET', PROVINCIAL) ?? false;
  const hasRegion = caps.data?.has('GET', PER_REGION) ?? false;
  return (
    <>
      <PageHeader title={t('reports.title')}>
        <YearSelect />
      </PageHeader>
      <p class="lead">{t('reports.lead')}</p>
      {caps.error ? <ErrorNote error={caps.error} onRetry={caps.reload} /> : null}
      {!hasProvincial && !hasRegion && caps.data ? <Unavailable what={t('reports.what')} /> : null}
      {hasProvincial ? (
        <section class="card">
          <h2>{t('reports.provincial')}</h2>
          <Download path={`/api/v1/periods/${year}/reports/progress.pdf`} filename={`laporan-progres-${year}.pdf`} label={t('reports.download')} />
        </section>
      ) : null}
      {hasRegion ? (
        <section class="card">
          <h2>{t('reports.perRegion')}</h2>
          {regions.error ? <ErrorNote error={regions.error} onRetry={regions.reload} /> : null}
          {regions.data ? <RegionReport year={year} regions={regions.data} /> : <Loading />}
        </section>
      ) : null}
    </>
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
      <Download
        path={`/api/v1/periods/${year}/regions/${seg(code)}/reports/progress.pdf`}
        filename={`laporan-progres-${year}-${code}.pdf`}
        label={t('reports.download')}
      />
    </div>
  );
}

function Download({ path, filename, label }: { path: string; filename: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [code, setCode] = useState<string | null>(null);
  return (
    <div class="download">
      <button
        type="button"
        class="primary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const r = await store.client.blob(path);
            setCode(r.headers.get('X-Verification-Code'));
            saveBlob(r.blob, r.filename ?? filename);
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? t('reports.preparing') : label}
      </button>
      {error ? (
        <p class="field-error" role="alert">
          {errorText(error)}
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
