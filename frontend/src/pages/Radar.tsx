import { lang, t } from '../i18n';
import { ok } from '../lib/api';
import { fmtDate, fmtNumber } from '../lib/format';
import { byName, shortName } from '../lib/names';
import { deadlineMessage, isoDate } from '../lib/periods';
import { can, store } from '../lib/state';
import type { Radar as RadarT } from '../lib/types';
import { ExportMenu } from '../components/exports';
import { Empty, ErrorNote, Loading, PageHeader, YearSelect, useLoad, useYear, waitedText } from '../components/ui';

type Tally = Pick<RadarT['regions'][number], 'not_started' | 'waiting' | 'accepted' | 'rejected'>;
const ZERO: Tally = { not_started: 0, waiting: 0, accepted: 0, rejected: 0 };

/**
 * The coordinator's radar (GET …/progress): what is missing, waiting and rejected per Pemda and
 * area, the Pemda with the most to chase first, and the days left to the period's deadline.
 */
export default function Radar() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const d = useLoad(() => (year ? ok(store.api.GET('/api/v1/periods/{year}/progress', { params: { path: { year } } })) : Promise.resolve(null)), [year]);
  const l = lang.value;
  if (!can.manage(user)) return <Empty>{t('common.notAllowed')}</Empty>;
  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;
  const r = d.data;
  const deadline = deadlineMessage(r?.days_left);
  const areas = r?.regions[0]?.areas.map((a) => ({ code: a.code, name: a.name })) ?? [];
  // Most to chase first: rejected and missing items, then claims waiting for a reviewer; then by
  // the names as shown.
  const rows = r?.regions.slice().sort((a, b) => b.rejected + b.not_started - (a.rejected + a.not_started) || b.waiting - a.waiting || byName(shortName(a.name), shortName(b.name)));
  return (
    <>
      <PageHeader title={t('radar.title')}>
        <YearSelect />
      </PageHeader>
      <div class="lead-row">
        <p class="lead">{t('radar.lead')}</p>
        {year ? <ExportMenu year={year} table="radar" filter={user?.province ? { province: user.province } : {}} label={t('export.radar')} /> : null}
      </div>
      {r?.deadline ? (
        <p class="notice deadline-line" data-testid="deadline">
          <span>{t(deadline.key, { date: fmtDate(isoDate(r.deadline), l, 'UTC'), days: typeof deadline.days === 'number' ? fmtNumber(deadline.days, l, 0) : deadline.days })}</span>
          <a href="/admin/periods">{t('radar.setDeadline')}</a>
        </p>
      ) : r ? (
        <p class="hint deadline-line" data-testid="no-deadline">
          <span>{t('radar.noDeadline')}</span>
          <a href="/admin/periods">{t('radar.setDeadline')}</a>
        </p>
      ) : null}
      {d.error ? <ErrorNote error={d.error} onRetry={d.reload} /> : null}
      {d.loading && !r ? <Loading /> : null}
      {rows ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('radar.title')}>
          <table class="radar">
            <thead>
              <tr>
                <th scope="col" class="sticky">
                  {t('dash.col.region')}
                </th>
                {areas.map((a) => (
                  <th scope="col" key={a.code}>
                    {a.name}
                  </th>
                ))}
                <th scope="col">{t('radar.total')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((g) => (
                <tr key={g.code}>
                  <th scope="row" class="sticky">
                    <a href={`/pemda/${encodeURIComponent(g.code)}`} title={g.name}>
                      <span aria-hidden="true">{shortName(g.name)}</span>
                      <span class="visually-hidden">{g.name}</span>
                    </a>
                    {g.oldest_waiting_days !== null ? <small class="hint">{waitedText(g.oldest_waiting_days)}</small> : null}
                  </th>
                  {[...areas.map((a) => g.areas.find((x) => x.code === a.code) ?? ZERO), g].map((c, i) => (
                    <td key={i}>
                      <Counts tally={c} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

/** What is left to chase in one cell, naming only what is not zero. */
function Counts({ tally }: { tally: Tally }) {
  const l = lang.value;
  const open = (
    [
      ['missing', 'radar.missing', tally.not_started],
      ['waiting', 'radar.waiting', tally.waiting],
      ['rejected', 'radar.rejected', tally.rejected],
    ] as const
  ).filter(([, , n]) => n > 0);
  if (open.length === 0) return <span class={`radar-clear${tally.accepted ? ' done' : ''}`}>{t(tally.accepted ? 'radar.allApproved' : 'radar.noItems')}</span>;
  return (
    <ul class="radar-counts">
      {open.map(([cls, key, n]) => (
        <li key={cls} class={cls}>
          {t(key)}: {fmtNumber(n, l, 0)}
        </li>
      ))}
    </ul>
  );
}
