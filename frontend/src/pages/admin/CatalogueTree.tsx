// Settings › Areas and indicators: the year's catalogue as a tree (area → indicator →
// sub-indicator, with weights, the evidence each asks for and the region kinds it applies to),
// and, for a year that has none yet, copying an earlier year's catalogue forward.
import { useState } from 'preact/hooks';
import { label, lang, t } from '../../i18n';
import { ok, type Schemas } from '../../lib/api';
import { fmtNumber } from '../../lib/format';
import { REGION_KINDS } from '../../lib/catalogue';
import { can, store } from '../../lib/state';
import { ErrorNote, FormError, Loading, SubmitButton, useLoad, OkNote } from '../../components/ui';
import { useSubmit } from '../../components/form';

type Node = Schemas['CatalogueIndicator'];

export function CatalogueTree({ year, onCopied }: { year: number; onCopied: () => void }) {
  const tree = useLoad(() => ok(store.api.GET('/api/v1/periods/{year}/catalogue', { params: { path: { year } } })), [year]);
  if (tree.error) return <ErrorNote error={tree.error} onRetry={tree.reload} />;
  if (!tree.data) return <Loading />;
  if (tree.data.length === 0) return <CopyForward year={year} onDone={() => (tree.reload(), onCopied())} />;
  const l = lang.value;
  return (
    <details class="card catalogue-tree" data-testid="catalogue-tree">
      <summary>
        <h2>{t('admin.tree')}</h2>
      </summary>
      <ul class="tree">
        {tree.data.map((a) => (
          <li key={a.code} data-code={a.code}>
            <strong>
              {a.code} {a.name}
            </strong>{' '}
            <span class="hint">
              {t('admin.weight')} {fmtNumber(a.weight, l)}
            </span>
            <Nodes nodes={a.indicators} />
          </li>
        ))}
      </ul>
    </details>
  );
}

function Nodes({ nodes }: { nodes: Node[] }) {
  const l = lang.value;
  if (nodes.length === 0) return null;
  return (
    <ul>
      {nodes.map((n) => (
        <li key={n.code} data-code={n.code}>
          <span class="item-code">{n.code}</span> {n.title}{' '}
          <span class="hint">
            {t('admin.weight')} {fmtNumber(n.weight, l)}
            {n.applies_to.length < REGION_KINDS.length ? ` · ${t('admin.appliesTo')}: ${n.applies_to.map((k) => label('region_kind', k)).join(', ')}` : ''}
          </span>
          {n.requirement ? (
            <div class="requirement">
              {t('item.requirement')}: {n.requirement}
            </div>
          ) : null}
          <Nodes nodes={n.children} />
        </li>
      ))}
    </ul>
  );
}

/** An empty year's catalogue copied from an earlier year (names, weights, requirements; no claims). */
function CopyForward({ year, onDone }: { year: number; onDone: () => void }) {
  const earlier = (store.periods.value ?? []).filter((p) => p.year < year).map((p) => p.year);
  const [from, setFrom] = useState(String(earlier[0] ?? ''));
  const form = useSubmit(() => ok(store.api.POST('/api/v1/periods/{year}/catalogue/copy', { params: { path: { year } }, body: { from: Number(from) } })), { onDone });
  if (!can.manage(store.session.value) || earlier.length === 0) return null;
  return (
    <form class="card form" onSubmit={form.submit} noValidate data-testid="catalogue-copy">
      <h2>{t('admin.copyTitle', { year })}</h2>
      <p class="hint">{t('admin.copyHint')}</p>
      <div class="field">
        <label for="copy-from">{t('admin.copyFrom')}</label>
        <select id="copy-from" value={from} onChange={(e) => setFrom((e.currentTarget as HTMLSelectElement).value)}>
          {earlier.map((y) => (
            <option key={y} value={String(y)}>
              {y}
            </option>
          ))}
        </select>
      </div>
      {form.error ? <FormError error={form.error} /> : null}
      <SubmitButton busy={form.busy}>{t('admin.copy')}</SubmitButton>
      {form.done ? <OkNote>{t('common.saved')}</OkNote> : null}
    </form>
  );
}
