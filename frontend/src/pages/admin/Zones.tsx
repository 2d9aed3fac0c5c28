// Settings › Zones: a period's bands for each metric, edited or set to a preset.
import { useState } from 'preact/hooks';
import { lang, t, zoneLabel } from '../../i18n';
import { ok } from '../../lib/api';
import { fmtInput, parseDecimal } from '../../lib/format';
import { store } from '../../lib/state';
import type { Band, Metric, ZoneSchemes } from '../../lib/types';
import { Empty, ErrorNote, FormError, Loading, YearSelect, fieldError, useLoad, useYear, OkNote } from '../../components/ui';
import { invalid, useSubmit } from '../../components/form';

const METRICS: Metric[] = ['action_plan', 'delegation'];

export default function Zones() {
  const { year, ready } = useYear();
  const zones = useLoad(() => (year ? store.zones(year) : Promise.resolve(null)), [year]);
  if (!ready) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  return (
    <>
      <YearSelect id="zones-year" />
      <p class="hint">{t('admin.zonesHelp')}</p>
      {zones.error ? <ErrorNote error={zones.error} onRetry={zones.reload} /> : null}
      {zones.data ? METRICS.map((m) => <BandEditor key={`${year}-${m}-${JSON.stringify(zones.data![m])}`} year={year} metric={m} bands={zones.data![m]} onSaved={(z) => zones.set(z)} />) : <Loading />}
    </>
  );
}

type BandBody = { preset: 'default' | 'kpk' };

function BandEditor({ year, metric, bands, onSaved }: { year: number; metric: Metric; bands: Band[]; onSaved: (z: ZoneSchemes) => void }) {
  const l = lang.value;
  const [rows, setRows] = useState(bands.map((b) => ({ ...b, minText: fmtInput(b.min, l), maxText: fmtInput(b.max, l) })));
  // the bands as typed, or a preset (the argument says which button was pressed)
  const form = useSubmit(
    (preset?: BandBody) => ok(store.api.PUT('/api/v1/periods/{year}/zones/{metric}', { params: { path: { year, metric } }, body: preset ?? { bands: readBands() } })),
    { onDone: onSaved },
  );
  function readBands(): Band[] {
    const out = rows.map((r) => ({ key: r.key, min: parseDecimal(r.minText), min_inclusive: r.min_inclusive, max: parseDecimal(r.maxText), max_inclusive: r.max_inclusive }));
    if (out.some((b) => b.min === null || b.max === null)) invalid({ bands: t('form.number') });
    return out as Band[];
  }
  const update = (i: number, patch: Partial<(typeof rows)[number]>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const idp = `bands-${metric}`;
  const bandsError = fieldError(form.error, 'bands') ?? fieldError(form.error, 'preset');
  return (
    <section class="card" aria-labelledby={`${idp}-h`}>
      <h2 id={`${idp}-h`}>{t(metric === 'action_plan' ? 'metric.action_plan' : 'metric.delegation')}</h2>
      <div class="table-wrap" tabIndex={0} role="region" aria-labelledby={`${idp}-h`}>
        <table class="bands">
          <thead>
            <tr>
              <th scope="col">{t('admin.zone')}</th>
              <th scope="col">{t('admin.min')}</th>
              <th scope="col">{t('admin.inclusive')}</th>
              <th scope="col">{t('admin.max')}</th>
              <th scope="col">{t('admin.inclusive')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.key}>
                <th scope="row">{zoneLabel(r.key)}</th>
                <td data-label={t('admin.min')}>
                  <input aria-label={`${zoneLabel(r.key)} ${t('admin.min')}`} inputMode="decimal" value={r.minText} onInput={(e) => update(i, { minText: (e.currentTarget as HTMLInputElement).value })} />
                </td>
                <td data-label={t('admin.inclusive')}>
                  <input type="checkbox" aria-label={`${zoneLabel(r.key)} ${t('admin.min')} ${t('admin.inclusive')}`} checked={r.min_inclusive} onChange={(e) => update(i, { min_inclusive: (e.currentTarget as HTMLInputElement).checked })} />
                </td>
                <td data-label={t('admin.max')}>
                  <input aria-label={`${zoneLabel(r.key)} ${t('admin.max')}`} inputMode="decimal" value={r.maxText} onInput={(e) => update(i, { maxText: (e.currentTarget as HTMLInputElement).value })} />
                </td>
                <td data-label={t('admin.inclusive')}>
                  <input type="checkbox" aria-label={`${zoneLabel(r.key)} ${t('admin.max')} ${t('admin.inclusive')}`} checked={r.max_inclusive} onChange={(e) => update(i, { max_inclusive: (e.currentTarget as HTMLInputElement).checked })} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {bandsError ? (
        <p class="field-error" role="alert">
          {bandsError}
        </p>
      ) : (
        <FormError error={form.error} />
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={form.busy} onClick={() => form.run()}>
          {t('admin.saveBands')}
        </button>
        <button type="button" disabled={form.busy} onClick={() => form.run({ preset: 'default' })}>
          {t('admin.presetDefault')}
        </button>
        <button type="button" disabled={form.busy} onClick={() => form.run({ preset: 'kpk' })}>
          {t('admin.presetKpk')}
        </button>
        {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
      </div>
    </section>
  );
}
