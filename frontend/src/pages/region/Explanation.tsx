// Why a Pemda stands in its zone: the items that pull its verified percentage down most, with
// what each would add if verified in full, and what gets it into the next zone up.
import { lang, t, zoneLabel } from '../../i18n';
import type { Schemas } from '../../lib/api';
import { fmtNumber, fmtPercent } from '../../lib/format';
import { regionRead } from '../../lib/region';
import { useLoad } from '../../components/ui';

/** How many of the items pulling down the figure are listed. */
const SHOWN = 5;

/** Loads why a Pemda stands in its zone, for ZoneExplanation. */
export function useExplanation(year: number, region: string) {
  return useLoad(() => regionRead(region, 'explanation', year), [year, region]);
}

/** The explanation useExplanation loaded; nothing while it loads, failed or has nothing to explain. */
export function ZoneExplanation({ e }: { e: Schemas['ZoneExplanation'] | undefined }) {
  if (!e || e.percent === null) return null; // nothing to explain (or not readable): the page does without
  const l = lang.value;
  return (
    <section class="card explanation" aria-labelledby="explain-h" data-testid="explanation">
      <h2 id="explain-h">{t('explain.title', { zone: zoneLabel(e.zone) })}</h2>
      {e.next ? (
        <p class="next-zone" data-testid="next-zone">
          {t('explain.next', {
            zone: zoneLabel(e.next.zone),
            items: e.next.items.join(', '),
            percent: fmtPercent(e.next.percent, l),
          })}
        </p>
      ) : null}
      {e.items.length ? (
        <>
          <p class="hint">{t('explain.lead')}</p>
          <ol class="gains">
            {e.items.slice(0, SHOWN).map((g) => (
              <li key={g.indicator_code}>
                <strong>{g.indicator_code}</strong> {g.title}{' '}
                <span class="hint">({t('explain.verifiedNow', { p: fmtPercent(g.verified, l) })})</span>{' '}
                <span class="gain">{t('explain.gain', { points: fmtNumber(g.gain, l, 2) })}</span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p class="hint">{t('explain.none')}</p>
      )}
    </section>
  );
}
