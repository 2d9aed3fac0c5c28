// Settings › Areas and indicators of a period: create them, and rename, re-weight or move them
// during the year (PATCH …/areas/{area} and …/indicators/{indicator}: only what changed, with
// the version the form started from; the period's scores follow on the server at once).
import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { label, lang, t } from '../../i18n';
import { ok } from '../../lib/api';
import { REGION_KINDS, areaPatch, codeId, indicatorPatch, weightText, type AreaPatch, type Checked, type IndicatorPatch } from '../../lib/catalogue';
import { fmtNumber } from '../../lib/format';
import { store } from '../../lib/state';
import type { Area, Indicator, RegionKind } from '../../lib/types';
import { Empty, FormError, Loading, SubmitButton, YearSelect, fieldError, useLoad, useYear, OkNote } from '../../components/ui';
import { FieldMessage, StaleNote, focusSoon, invalid, isStale, namesAny, useSubmit } from '../../components/form';
import { CreateForm, List, numbers, useEditorStart } from './shared';
import { CatalogueTree } from './CatalogueTree';
import { ExportMenu } from '../../components/exports';

type Kind = 'area' | 'indicator';
type Row = Area | Indicator;

export default function Catalogue() {
  const { year, ready } = useYear();
  const path = { params: { path: { year: year ?? 0 } } };
  const areas = useLoad(() => (year ? ok(store.api.GET('/api/v1/periods/{year}/areas', path)) : Promise.resolve([])), [year]);
  const indicators = useLoad(() => (year ? ok(store.api.GET('/api/v1/periods/{year}/indicators', path)) : Promise.resolve([])), [year]);
  // one editor open at a time, under its row
  const [panel, setPanel] = useState<{ kind: Kind; code: string } | null>(null);
  useEffect(() => setPanel(null), [year]);
  const l = lang.value;
  if (!ready) return <Loading />;
  if (!year) return <Empty>{t('dash.noPeriods')}</Empty>;
  const close = () => {
    if (panel) focusSoon(`edit-${panel.kind}-${codeId(panel.code)}`);
    setPanel(null);
  };
  const toggle = (kind: Kind, code: string) => (panel?.kind === kind && panel.code === code ? close() : setPanel({ kind, code }));
  const open = (kind: Kind) => (panel?.kind === kind ? panel.code : null);
  const areaList = areas.data ?? [];
  return (
    <>
      <div class="row catalogue-tools">
        <YearSelect id="catalogue-year" />
        <ExportMenu year={year} table="catalogue" label={t('export.catalogue')} />
        <a href="/import?kind=catalogue">{t('import.title')}</a>
      </div>
      <CatalogueTree
        year={year}
        onCopied={() => {
          areas.reload();
          indicators.reload();
        }}
      />
      <CreateForm
        id="new-area"
        title={t('admin.newArea')}
        specs={[
          { name: 'code', label: 'admin.code' },
          { name: 'name', label: 'admin.name' },
          { name: 'weight', label: 'admin.weight', type: 'number', optional: true },
        ]}
        submit={(v) => ok(store.api.POST('/api/v1/periods/{year}/areas', { ...path, body: { code: v.code, name: v.name, ...numbers(v, ['weight']) } }))}
        onDone={areas.reload}
      />
      <List loaded={areas} empty={t('admin.noAreas')}>
        {(rows: Area[]) => (
          <CatalogueTable
            kind="area"
            caption={t('admin.areas')}
            rows={rows}
            open={open('area')}
            onToggle={(code) => toggle('area', code)}
            editLabel={(a) => t('admin.editAreaOf', { name: `${a.code} ${a.name}` })}
            columns={[
              { label: t('admin.code'), cell: (a) => a.code },
              { label: t('admin.name'), cell: (a) => a.name },
              { label: t('admin.weight'), cell: (a) => fmtNumber(a.weight, l), num: true, testid: 'area-weight' },
            ]}
            editor={(a) => (
              <CatalogueEditor year={year} kind="area" item={a} areas={rows} onSaved={(x) => areas.set(rows.map((y) => (y.code === x.code ? (x as Area) : y)))} onReload={areas.reload} onClose={close} />
            )}
          />
        )}
      </List>
      <CreateForm
        id="new-indicator"
        title={t('admin.newIndicator')}
        specs={[
          { name: 'code', label: 'admin.code' },
          { name: 'area', label: 'admin.area', type: 'select', options: areaList.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` })) },
          {
            name: 'parent',
            label: 'admin.parent',
            type: 'select',
            optional: true,
            options: (indicators.data ?? []).filter((i) => !i.parent).map((i) => ({ value: i.code, label: `${i.code} ${i.title}` })),
          },
          { name: 'title', label: 'admin.indicatorTitle' },
          { name: 'weight', label: 'admin.weight', type: 'number', optional: true },
          { name: 'requirement', label: 'admin.requirement', optional: true },
        ]}
        submit={(v) =>
          ok(
            store.api.POST('/api/v1/periods/{year}/indicators', {
              ...path,
              // a sub-indicator lies in its parent's area
              body: { code: v.code, title: v.title, ...(v.parent ? { parent: v.parent } : { area: v.area }), ...(v.requirement.trim() ? { requirement: v.requirement } : {}), ...numbers(v, ['weight']) },
            }),
          )
        }
        onDone={indicators.reload}
      />
      <List loaded={indicators} empty={t('admin.noIndicators')}>
        {(rows: Indicator[]) => (
          <CatalogueTable
            kind="indicator"
            caption={t('admin.indicators')}
            rows={rows}
            open={open('indicator')}
            onToggle={(code) => toggle('indicator', code)}
            editLabel={(i) => t('admin.editIndicatorOf', { code: i.code })}
            columns={[
              { label: t('admin.code'), cell: (i) => i.code },
              { label: t('admin.area'), cell: (i) => i.area, testid: 'indicator-area' },
              { label: t('admin.parent'), cell: (i) => i.parent ?? '—', testid: 'indicator-parent' },
              { label: t('admin.indicatorTitle'), cell: (i) => i.title },
              { label: t('admin.weight'), cell: (i) => fmtNumber(i.weight, l), num: true, testid: 'indicator-weight' },
            ]}
            editor={(i) => (
              <CatalogueEditor
                year={year}
                kind="indicator"
                item={i}
                areas={areaList}
                onSaved={(x) => indicators.set(rows.map((y) => (y.code === x.code ? (x as Indicator) : y)))}
                onReload={() => {
                  indicators.reload();
                  areas.reload();
                }}
                onClose={close}
              />
            )}
          />
        )}
      </List>
    </>
  );
}

interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  num?: boolean;
  testid?: string;
}

/** A table of areas or indicators, each row with its edit button and, when open, its editor under it. */
function CatalogueTable<T extends Row>({
  kind,
  caption,
  rows,
  columns,
  open,
  onToggle,
  editLabel,
  editor,
}: {
  kind: Kind;
  caption: string;
  rows: T[];
  columns: Column<T>[];
  open: string | null;
  onToggle: (code: string) => void;
  editLabel: (row: T) => string;
  editor: (row: T) => ComponentChildren;
}) {
  const labels = [...columns.map((c) => c.label), t('common.actions')];
  return (
    <table class="stack-table catalogue-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {labels.map((x, n) => (
            <th key={x} scope="col" class={columns[n]?.num ? 'num' : undefined}>
              {x}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <Fragment key={r.code}>
            <tr {...{ [`data-${kind}`]: r.code }}>
              {columns.map((c) => (
                <td key={c.label} data-label={c.label} class={c.num ? 'num' : undefined} data-testid={c.testid}>
                  {c.cell(r)}
                </td>
              ))}
              <td data-label={labels[labels.length - 1]}>
                <button
                  type="button"
                  class="small"
                  id={`edit-${kind}-${codeId(r.code)}`}
                  aria-expanded={open === r.code}
                  aria-controls={`${kind}-panel-${codeId(r.code)}`}
                  aria-label={editLabel(r)}
                  onClick={() => onToggle(r.code)}
                >
                  {t('admin.edit')}
                </button>
              </td>
            </tr>
            {open === r.code ? (
              <tr class="panel-row">
                <td colSpan={labels.length} id={`${kind}-panel-${codeId(r.code)}`}>
                  {editor(r)}
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}

/** Changes an area (name, weight) or an indicator (title, weight, area) of a period. */
function CatalogueEditor({
  year,
  kind,
  item,
  areas,
  onSaved,
  onReload,
  onClose,
}: {
  year: number;
  kind: Kind;
  item: Row;
  areas: Area[];
  onSaved: (x: Row) => void;
  onReload: () => void;
  onClose: () => void;
}) {
  const idp = `${kind}-${codeId(item.code)}`;
  const isArea = kind === 'area';
  const textName = isArea ? 'name' : 'title';
  const textOf = (x: Row) => ('name' in x ? x.name : x.title);
  const areaOf = (x: Row) => ('area' in x ? x.area : '');
  const requirementOf = (x: Row) => ('requirement' in x ? (x.requirement ?? '') : '');
  const kindsOf = (x: Row): RegionKind[] => ('applies_to' in x && x.applies_to ? [...x.applies_to] : [...REGION_KINDS]);
  const [base, setBase] = useState(item);
  const [text, setText] = useState(textOf(item));
  const [weight, setWeight] = useState(weightText(item.weight, lang.value));
  const [area, setArea] = useState(areaOf(item));
  const [requirement, setRequirement] = useState(requirementOf(item));
  const [kinds, setKinds] = useState<RegionKind[]>(kindsOf(item));
  const [note, setNote] = useState<'saved' | 'same' | null>(null);
  const start = (x: Row) => {
    setBase(x);
    setText(textOf(x));
    setWeight(weightText(x.weight, lang.value));
    setArea(areaOf(x));
    setRequirement(requirementOf(x));
    setKinds(kindsOf(x));
  };
  const fields = isArea ? ['name', 'weight'] : ['title', 'weight', 'area', 'requirement', 'applies_to'];
  const form = useSubmit(
    async () => {
      setNote(null);
      const checked: Checked<AreaPatch | IndicatorPatch> = isArea ? areaPatch(base as Area, { name: text, weight }) : indicatorPatch(base as Indicator, { title: text, weight, area, requirement, applies_to: kinds });
      if ('fields' in checked) invalid(Object.fromEntries(Object.entries(checked.fields).map(([f, k]) => [f, t(k)])));
      if (!checked.patch) return setNote('same');
      const x = isArea
        ? await ok(store.api.PATCH('/api/v1/periods/{year}/areas/{area}', { params: { path: { year, area: base.code } }, body: checked.patch as AreaPatch }))
        : await ok(store.api.PATCH('/api/v1/periods/{year}/indicators/{indicator}', { params: { path: { year, indicator: base.code } }, body: checked.patch as IndicatorPatch }));
      start(x);
      setNote('saved');
      onSaved(x);
    },
    { focus: { fields, id: (f) => `${idp}-${f}` } },
  );
  const first = useEditorStart(item, base, (x) => {
    start(x);
    form.reset();
  });
  const err = (f: string) => fieldError(form.error, f);
  const described = (f: string, hint?: boolean) => [hint ? `${idp}-${f}-hint` : '', err(f) ? `${idp}-${f}-error` : ''].filter(Boolean).join(' ') || undefined;
  const invalidAttr = (f: string) => (err(f) ? 'true' : undefined);
  return (
    <form class="form row-edit" noValidate aria-labelledby={`${idp}-h`} onSubmit={form.submit} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <h3 id={`${idp}-h`}>{isArea ? t('admin.editAreaOf', { name: `${base.code} ${textOf(base)}` }) : t('admin.editIndicatorOf', { code: base.code })}</h3>
      {'parent' in base && base.parent ? <p class="hint">{t('admin.subOf', { parent: base.parent })}</p> : null}
      <div class="row">
        <div class={`field${err(textName) ? ' has-error' : ''}`}>
          <label for={`${idp}-${textName}`}>{t(isArea ? 'admin.name' : 'admin.indicatorTitle')}</label>
          <input ref={first} id={`${idp}-${textName}`} value={text} autoComplete="off" onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)} aria-invalid={invalidAttr(textName)} aria-describedby={described(textName)} />
          <FieldMessage id={`${idp}-${textName}-error`} error={err(textName)} />
        </div>
        <div class={`field weight-field${err('weight') ? ' has-error' : ''}`}>
          <label for={`${idp}-weight`}>{t('admin.weight')}</label>
          <input id={`${idp}-weight`} inputMode="decimal" autoComplete="off" value={weight} onInput={(e) => setWeight((e.currentTarget as HTMLInputElement).value)} aria-invalid={invalidAttr('weight')} aria-describedby={described('weight', true)} />
          <small id={`${idp}-weight-hint`} class="hint">
            {t('admin.weightHint')}
          </small>
          <FieldMessage id={`${idp}-weight-error`} error={err('weight')} />
        </div>
        {isArea ? null : (
          <div class={`field${err('area') ? ' has-error' : ''}`}>
            <label for={`${idp}-area`}>{t('admin.area')}</label>
            <select id={`${idp}-area`} value={area} disabled={'parent' in base && !!base.parent} onChange={(e) => setArea((e.currentTarget as HTMLSelectElement).value)} aria-invalid={invalidAttr('area')} aria-describedby={described('area', true)}>
              {areas.some((a) => a.code === area) ? null : <option value={area}>{area}</option>}
              {areas.map((a) => (
                <option key={a.code} value={a.code}>
                  {`${a.code} ${a.name}`}
                </option>
              ))}
            </select>
            <small id={`${idp}-area-hint`} class="hint">
              {t('admin.moveHint')}
            </small>
            <FieldMessage id={`${idp}-area-error`} error={err('area')} />
          </div>
        )}
      </div>
      {isArea ? null : (
        <>
          <div class={`field${err('requirement') ? ' has-error' : ''}`}>
            <label for={`${idp}-requirement`}>{t('admin.requirement')}</label>
            <textarea id={`${idp}-requirement`} rows={2} value={requirement} onInput={(e) => setRequirement((e.currentTarget as HTMLTextAreaElement).value)} aria-invalid={invalidAttr('requirement')} aria-describedby={described('requirement')} />
            <FieldMessage id={`${idp}-requirement-error`} error={err('requirement')} />
          </div>
          <fieldset class={`choice${err('applies_to') ? ' has-error' : ''}`} aria-describedby={described('applies_to', true)}>
            <legend>{t('admin.appliesTo')}</legend>
            {REGION_KINDS.map((k) => (
              <label key={k}>
                <input
                  type="checkbox"
                  id={k === REGION_KINDS[0] ? `${idp}-applies_to` : undefined}
                  checked={kinds.includes(k)}
                  onChange={(e) => setKinds((was) => ((e.currentTarget as HTMLInputElement).checked ? [...was, k] : was.filter((x) => x !== k)))}
                />{' '}
                {label('region_kind', k)}
              </label>
            ))}
            <small id={`${idp}-applies_to-hint`} class="hint">
              {t('admin.appliesToHint')}
            </small>
            <FieldMessage id={`${idp}-applies_to-error`} error={err('applies_to')} />
          </fieldset>
        </>
      )}
      {isStale(form.error) ? (
        <StaleNote message={t(isArea ? 'admin.areaStale' : 'admin.indicatorStale')} onReload={onReload} />
      ) : form.error && !namesAny(form.error, fields) ? (
        <FormError error={form.error} />
      ) : null}
      <div class="actions">
        <SubmitButton busy={form.busy}>{t('common.save')}</SubmitButton>
        <button type="button" disabled={form.busy} onClick={onClose}>
          {t('common.cancel')}
        </button>
        {note ? <OkNote>{note === 'saved' ? t('admin.catalogueSaved') : t('admin.nothingChanged')}</OkNote> : null}
      </div>
    </form>
  );
}
