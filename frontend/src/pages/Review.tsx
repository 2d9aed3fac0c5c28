import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { lang, t } from '../i18n';
import { ApiError, seg } from '../lib/api';
import { fmtDateTime, fmtInput, fmtNumber, fmtPercent, parseDecimal } from '../lib/format';
import { buildQueue, mapLimit, type QueueEntry } from '../lib/scores';
import { can, store } from '../lib/state';
import type { Item, Region } from '../lib/types';
import { Empty, ErrorNote, Field, FormError, Loading, PageHeader, TextArea, YearSelect, fieldError, useLoad, useYear } from '../components/ui';
import { EvidenceList } from '../components/evidence';

interface ServerQueueEntry {
  region_code: string;
  region_name: string;
  indicator_code: string;
  waiting_since: string;
  age_days: number;
}

/**
 * The queue: the server's own (GET …/review-queue, oldest first) when it has one, with each
 * entry's full item read from its region; otherwise computed here from every region's items.
 */
async function loadQueue(year: number): Promise<QueueEntry[]> {
  const c = store.client;
  const caps = await store.capabilities().catch(() => null);
  if (caps?.has('GET', '/api/v1/periods/{year}/review-queue')) {
    const q = await c.get<ServerQueueEntry[]>(`/api/v1/periods/${year}/review-queue?limit=1000`);
    const codes = [...new Set(q.map((e) => e.region_code))];
    const items = new Map<string, Item[]>();
    await mapLimit(codes, 4, async (code) => items.set(code, await c.get<Item[]>(`/api/v1/periods/${year}/regions/${seg(code)}/items`)));
    return q.flatMap((e) => {
      const item = items.get(e.region_code)?.find((i) => i.indicator_code === e.indicator_code && i.status === 'submitted');
      return item ? [{ region: { code: e.region_code, name: e.region_name, kind: 'regency' as const }, item, age: e.age_days }] : [];
    });
  }
  const regions = await c.get<Region[]>('/api/v1/regions');
  const all = await mapLimit(regions, 4, async (region) => ({
    region,
    items: await c.get<Item[]>(`/api/v1/periods/${year}/regions/${seg(region.code)}/items`),
  }));
  return buildQueue(all);
}

const typing = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export default function Review() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const q = useLoad(() => (year ? loadQueue(year) : Promise.resolve([])), [year]);
  const [done, setDone] = useState<Set<string>>(new Set());
  const [index, setIndex] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const key = (e: QueueEntry) => `${e.region.code}/${e.item.indicator_code}`;
  const queue = useMemo(() => (q.data ?? []).filter((e) => !done.has(key(e))), [q.data, done]);
  const current = queue[Math.min(index, queue.length - 1)];
  const form = useRef<{ approve: () => void; focusReason: () => void }>(null);

  useEffect(() => {
    setDone(new Set());
    setIndex(0);
  }, [q.data]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
      switch (e.key) {
        case 'j':
          setIndex((i) => Math.min(i + 1, Math.max(0, queue.length - 1)));
          break;
        case 'k':
          setIndex((i) => Math.max(0, i - 1));
          break;
        case 'a':
          form.current?.approve();
          break;
        case 'r':
          e.preventDefault();
          form.current?.focusReason();
          break;
        case '?':
          setHelp((h) => !h);
          break;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queue.length]);

  if (!can.review(user)) return <Empty>{t('common.notAllowed')}</Empty>;
  if (error) return <ErrorNote error={error} />;
  if (!ready) return <Loading />;

  const decided = (e: QueueEntry, decision: 'approve' | 'reject') => {
    setDone((d) => new Set(d).add(key(e)));
    setFlash(t(decision === 'approve' ? 'review.approved' : 'review.rejected', { item: e.item.indicator_code, region: e.region.name }));
  };
  return (
    <>
      <PageHeader title={t('review.title')}>
        <YearSelect />
        <button type="button" class="small" aria-expanded={help} onClick={() => setHelp(!help)}>
          {t('review.shortcuts')}
        </button>
      </PageHeader>
      {help ? (
        <div class="card shortcuts" id="shortcut-help">
          <h2>{t('review.shortcuts')}</h2>
          <dl>
            <dt>
              <kbd>j</kbd> / <kbd>k</kbd>
            </dt>
            <dd>{t('review.keyNextPrev')}</dd>
            <dt>
              <kbd>a</kbd>
            </dt>
            <dd>{t('review.keyApprove')}</dd>
            <dt>
              <kbd>r</kbd>
            </dt>
            <dd>{t('review.keyReject')}</dd>
            <dt>
              <kbd>?</kbd>
            </dt>
            <dd>{t('review.keyHelp')}</dd>
          </dl>
        </div>
      ) : null}
      {flash ? (
        <p class="ok" role="status" data-testid="review-flash">
          {flash}
        </p>
      ) : null}
      {q.error ? <ErrorNote error={q.error} onRetry={q.reload} /> : null}
      {q.loading && !q.data ? <Loading label={t('review.loading')} /> : null}
      {q.data && queue.length === 0 ? (
        <Empty>
          {t('review.empty')}{' '}
          <button type="button" class="link" onClick={q.reload}>
            {t('common.refresh')}
          </button>
        </Empty>
      ) : null}
      {current ? (
        <div class="review-layout">
          <nav class="queue" aria-label={t('review.queue')}>
            <p class="hint">{t('review.count', { n: queue.length })}</p>
            <ol>
              {queue.map((e, i) => (
                <li key={key(e)}>
                  <button type="button" aria-current={e === current ? 'true' : undefined} onClick={() => setIndex(i)} data-testid="queue-entry">
                    <span class="q-region">{e.region.name}</span>
                    <span class="q-item">
                      {e.item.indicator_code} · {fmtPercent(e.item.progress, lang.value)}
                    </span>
                    <span class={`q-age${e.age >= 14 ? ' old' : ''}`}>{t('review.age', { days: e.age })}</span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <ReviewPanel key={key(current)} entry={current} year={year!} controls={form} onDecided={decided} onStale={q.reload} />
        </div>
      ) : null}
    </>
  );
}

function ReviewPanel({
  entry,
  year,
  controls,
  onDecided,
  onStale,
}: {
  entry: QueueEntry;
  year: number;
  controls: { current: { approve: () => void; focusReason: () => void } | null };
  onDecided: (e: QueueEntry, d: 'approve' | 'reject') => void;
  onStale: () => void;
}) {
  const { item, region } = entry;
  const l = lang.value;
  const [verified, setVerified] = useState(fmtInput(item.progress, l));
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reason = useRef<HTMLDivElement>(null);
  const caps = useLoad(() => store.capabilities(), []);
  const perDocument = caps.data?.has('PUT', '/api/v1/evidence/{id}/review') ?? false;
  const [docs, setDocs] = useState(item.evidence);

  async function decide(decision: 'approve' | 'reject') {
    if (busy) return;
    const body: Record<string, unknown> = { decision, comment, version: item.version };
    if (decision === 'approve') {
      const v = parseDecimal(verified);
      if (v === null) {
        setError(new ApiError(422, 'validation_failed', t('form.invalid'), { verified_progress: t('form.number') }));
        return;
      }
      body.verified_progress = v;
      // The documents shown here and still waiting are accepted with the approval, each as its
      // own recorded decision; the server refuses the reviewer's own uploads.
      body.accept_evidence = docs.filter((d) => d.status === 'waiting').map((d) => d.id);
    } else if (!comment.trim()) {
      setError(new ApiError(422, 'validation_failed', t('form.invalid'), { comment: t('review.reasonRequired') }));
      reason.current?.querySelector('textarea')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await store.client.post(`/api/v1/periods/${year}/regions/${seg(region.code)}/items/${seg(item.indicator_code)}/reviews`, body);
      onDecided(entry, decision);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }
  controls.current = { approve: () => decide('approve'), focusReason: () => reason.current?.querySelector('textarea')?.focus() };
  const formLevel = error && !['verified_progress', 'comment', 'decision'].some((f) => fieldError(error, f));
  return (
    <article class="review-panel" aria-labelledby="review-item-h" data-testid="review-panel">
      <div class="claim card">
        <h2 id="review-item-h">
          {item.indicator_code} — {item.title}
        </h2>
        <p>
          <strong>{region.name}</strong>
        </p>
        <dl class="figures">
          <div>
            <dt>{t('item.claimed')}</dt>
            <dd>{fmtPercent(item.progress, l)}</dd>
          </div>
          <div>
            <dt>{t('item.verifiedBefore')}</dt>
            <dd>{fmtPercent(item.verified_progress, l)}</dd>
          </div>
          <div>
            <dt>{t('item.weight')}</dt>
            <dd>{fmtNumber(item.weight, l)}</dd>
          </div>
          <div>
            <dt>{t('item.updated')}</dt>
            <dd>{fmtDateTime(item.updated_at, l)}</dd>
          </div>
        </dl>
        {item.note ? (
          <p>
            <strong>{t('item.note')}:</strong> {item.note}
          </p>
        ) : null}
        {item.last_review ? (
          <p class={`review-note ${item.last_review.decision}`}>
            <strong>{t('review.previous')}:</strong> {item.last_review.comment || '—'}
          </p>
        ) : null}
        <form
          class="decision"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            decide('approve');
          }}
        >
          <Field
            id="verified"
            label={t('review.verifiedLabel')}
            inputMode="decimal"
            value={verified}
            onValue={setVerified}
            error={fieldError(error, 'verified_progress')}
            hint={t('review.verifiedHint')}
          />
          <div ref={reason}>
            <TextArea id="reason" label={t('review.reason')} value={comment} onValue={setComment} error={fieldError(error, 'comment')} />
          </div>
          {formLevel ? <FormError error={error} /> : null}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {t('review.approve')} <kbd aria-hidden="true">a</kbd>
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => decide('reject')}>
              {t('review.reject')}
            </button>
            {error instanceof ApiError && error.code === 'conflict' ? (
              <button type="button" class="link" onClick={onStale}>
                {t('common.reloadLatest')}
              </button>
            ) : null}
          </div>
        </form>
      </div>
      <div class="docs card">
        <h3>{t('item.evidence')}</h3>
        <EvidenceList
          evidence={docs}
          autoPreview
          reviewable={perDocument}
          onReviewed={(ev) => setDocs((ds) => ds.map((d) => (d.id === ev.id ? { ...d, ...ev } : d)))}
        />
        {!perDocument ? <p class="hint">{t('review.perDocumentLater')}</p> : null}
      </div>
    </article>
  );
}
