import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { lang, t } from '../i18n';
import { ok, type Schemas } from '../lib/api';
import { fmtDateTime, fmtInput, fmtNumber, fmtPercent, parseDecimal } from '../lib/format';
import { can, store } from '../lib/state';
import type { Evidence, Item, QueueEntry } from '../lib/types';
import { Empty, ErrorNote, Field, FormError, Loading, PageHeader, TextArea, YearSelect, errorText, fieldError, useLoad, useYear, waitedText } from '../components/ui';
import { invalid, isStale, namesAny } from '../components/form';
import { EvidenceList } from '../components/evidence';
import { Discussion, canDiscuss } from '../components/discussion';

/** How long a decision waits before it is sent, so that "Batalkan" can take it back. */
export const UNDO_MS = 8000;

type Decision = 'approve' | 'reject';
interface Pending {
  entry: QueueEntry;
  decision: Decision;
  body: Schemas['ReviewInput'];
  /** when the decision goes out (ms since the epoch); null once sent */
  at: number | null;
  error?: unknown;
}

const keyOf = (e: QueueEntry) => `${e.region_code}/${e.indicator_code}`;
const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/**
 * The review queue (GET …/review-queue, oldest claim first). The claim in view is read with its
 * region's items (one request per region, kept while the page is open). A decision waits a few
 * seconds before it is sent, with "Batalkan" in the confirmation that takes the focus.
 */
export default function Review() {
  const { year, ready, error } = useYear();
  const user = store.session.value;
  const q = useLoad(() => (year ? ok(store.api.GET('/api/v1/periods/{year}/review-queue', { params: { path: { year }, query: { limit: 1000 } } })) : Promise.resolve([])), [year]);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [index, setIndex] = useState(0);
  const [pending, setPending] = useState<Pending | null>(null);
  const [now, setNow] = useState(Date.now());
  const [help, setHelp] = useState(false);
  const queue = useMemo(() => (q.data ?? []).filter((e) => !hidden.has(keyOf(e))), [q.data, hidden]);
  const current = queue[Math.min(index, queue.length - 1)];
  const form = useRef<{ approve: () => void; focusReason: () => void }>(null);
  const flash = useRef<HTMLDivElement>(null);
  const items = useRef(new Map<string, Promise<Item[]>>());

  useEffect(() => {
    setHidden(new Set());
    setIndex(0);
    items.current.clear();
  }, [q.data]);

  // The decision waiting to go out: sent when its time comes, when another one is made, or when
  // the reviewer leaves the page.
  const live = useRef<Pending | null>(null);
  live.current = pending;
  async function send(p: Pending) {
    if (p.at === null) return;
    const sent = { ...p, at: null };
    setPending((cur) => (cur?.entry === p.entry ? sent : cur));
    try {
      await ok(
        store.api.POST('/api/v1/periods/{year}/regions/{code}/items/{indicator}/reviews', {
          params: { path: { year: year!, code: p.entry.region_code, indicator: p.entry.indicator_code } },
          body: p.body,
          keepalive: true,
        }),
      );
      items.current.delete(p.entry.region_code);
    } catch (e) {
      // refused: the claim comes back into the queue, with the reason
      setHidden((h) => {
        const n = new Set(h);
        n.delete(keyOf(p.entry));
        return n;
      });
      setPending((cur) => (cur?.entry === p.entry ? { ...sent, error: e } : cur));
    }
  }
  useEffect(() => {
    if (!pending || pending.at === null) return;
    const tick = setInterval(() => setNow(Date.now()), 250);
    const due = setTimeout(() => send(pending), Math.max(0, pending.at - Date.now()));
    return () => {
      clearInterval(tick);
      clearTimeout(due);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [pending?.entry, pending?.at]);
  useEffect(() => {
    const flush = () => live.current && send(live.current);
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function decided(entry: QueueEntry, body: Pending['body']) {
    if (pending) send(pending);
    setHidden((h) => new Set(h).add(keyOf(entry)));
    setPending({ entry, decision: body.decision, body, at: Date.now() + UNDO_MS });
    setNow(Date.now());
    setTimeout(() => flash.current?.focus(), 0);
  }
  function undo() {
    if (!pending || pending.at === null) return;
    const k = keyOf(pending.entry);
    setHidden((h) => {
      const n = new Set(h);
      n.delete(k);
      return n;
    });
    const at = (q.data ?? []).filter((e) => !hidden.has(keyOf(e)) || keyOf(e) === k).findIndex((e) => keyOf(e) === k);
    setIndex(Math.max(0, at));
    setPending(null);
  }

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

  const itemsOf = (code: string) => {
    let p = items.current.get(code);
    if (!p) {
      p = ok(store.api.GET('/api/v1/periods/{year}/regions/{code}/items', { params: { path: { year: year!, code } } }));
      p.catch(() => items.current.delete(code));
      items.current.set(code, p);
    }
    return p;
  };
  const left = pending?.at ? Math.max(0, Math.ceil((pending.at - now) / 1000)) : 0;
  return (
    <>
      <PageHeader title={t('review.title')}>
        <YearSelect />
        <button type="button" class="small keys-only" aria-expanded={help} onClick={() => setHelp(!help)}>
          {t('review.shortcuts')}
        </button>
      </PageHeader>
      {help ? <Shortcuts /> : null}
      {pending ? (
        <div class={`decided${pending.error ? ' failed' : ''}`} role="status" tabIndex={-1} ref={flash} data-testid="review-flash" data-sent={pending.at === null && !pending.error ? 'true' : undefined}>
          <span>
            {t(pending.decision === 'approve' ? 'review.approved' : 'review.rejected', { item: pending.entry.indicator_code, region: pending.entry.region_name })}{' '}
            {pending.at !== null ? t('review.sendingIn', { s: left }) : null}
          </span>
          {pending.at !== null ? (
            <button type="button" class="small" onClick={undo}>
              {t('review.undo')}
            </button>
          ) : null}
          {pending.error ? <span class="field-error">{t('review.notSent', { reason: errorText(pending.error) })}</span> : null}
          {isStale(pending.error) ? (
            <button type="button" class="link" onClick={q.reload}>
              {t('common.reloadLatest')}
            </button>
          ) : null}
        </div>
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
                <li key={keyOf(e)}>
                  <button type="button" aria-current={e === current ? 'true' : undefined} onClick={() => setIndex(i)} data-testid="queue-entry">
                    <span class="q-region">{e.region_name}</span>
                    <span class="q-item">
                      {e.indicator_code} · {e.applicability === 'pending' ? <span class="badge na">{t('review.naMark')}</span> : fmtPercent(e.progress, lang.value)}
                      {e.evidence_waiting ? ` · ${t('review.newDocs', { n: e.evidence_waiting })}` : ''}
                    </span>
                    <span class={`q-age${e.age_days >= 14 ? ' old' : ''}`}>{waitedText(e.age_days)}</span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
          <ClaimView key={keyOf(current)} year={year!} entry={current} items={itemsOf(current.region_code)} controls={form} onDecided={decided} />
        </div>
      ) : null}
    </>
  );
}

function Shortcuts() {
  return (
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
  );
}

/** One claim: its figures, its documents (the newest waiting one open), and the decision. */
function ClaimView({
  year,
  entry,
  items,
  controls,
  onDecided,
}: {
  year: number;
  entry: QueueEntry;
  items: Promise<Item[]>;
  controls: { current: { approve: () => void; focusReason: () => void } | null };
  onDecided: (e: QueueEntry, body: Pending['body']) => void;
}) {
  const loaded = useLoad(() => items.then((xs) => xs.find((i) => i.indicator_code === entry.indicator_code) ?? null), [items]);
  const item = loaded.data;
  const l = lang.value;
  const [verified, setVerified] = useState(fmtInput(entry.progress, l));
  const [comment, setComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [docs, setDocs] = useState<Evidence[] | null>(null);
  const reason = useRef<HTMLDivElement>(null);
  const waiting = (docs ?? item?.evidence ?? []).filter((d) => d.status === 'waiting' && !d.superseded);
  const naMark = entry.applicability === 'pending';
  const focusReason = () => reason.current?.querySelector('textarea')?.focus();

  function decide(decision: Decision) {
    if (!item) return; // the documents an approval names are not known yet
    setError(null);
    try {
      let v: number | undefined;
      if (naMark) {
        // a "not applicable" mark: approve confirms it, reject (with a reason) returns the item as it was
        if (decision === 'reject' && !comment.trim()) invalid({ comment: t('review.reasonRequired') });
        onDecided(entry, { decision, comment, version: entry.version });
        return;
      }
      if (decision === 'approve') {
        v = parseDecimal(verified) ?? invalid({ verified_progress: t('form.number') });
      } else if (!comment.trim()) {
        invalid({ comment: t('review.reasonRequired') });
      }
      // An approval accepts, each as its own recorded decision, the documents shown here that
      // still wait; the server refuses an approval while any current document waits unnamed.
      const accept = decision === 'approve' ? waiting.map((d) => d.id) : undefined;
      onDecided(entry, { decision, verified_progress: v, comment, version: entry.version, accept_evidence: accept });
    } catch (e) {
      setError(e);
      if (decision === 'reject') focusReason();
    }
  }
  controls.current = { approve: () => decide('approve'), focusReason };
  return (
    <article class="review-panel" aria-labelledby="review-item-h" data-testid="review-panel">
      <div class="claim card">
        <h2 id="review-item-h">
          {entry.indicator_code} — {entry.title}
        </h2>
        <p>
          <strong>{entry.region_name}</strong>
        </p>
        {naMark ? (
          <p class="na-reason" data-testid="na-mark">
            <span class="badge na">{t('review.naMark')}</span> <strong>{t('item.naReason')}:</strong> {entry.applicability_reason || '—'}
            <br />
            <span class="hint">{t('review.naHint')}</span>
          </p>
        ) : null}
        <dl class="figures">
          <div>
            <dt>{t('item.claimed')}</dt>
            <dd>{fmtPercent(entry.progress, l)}</dd>
          </div>
          <div>
            <dt>{t('item.verifiedBefore')}</dt>
            <dd>{fmtPercent(entry.verified_progress, l)}</dd>
          </div>
          <div>
            <dt>{t('item.weight')}</dt>
            <dd>{item ? fmtNumber(item.weight, l) : '…'}</dd>
          </div>
          <div>
            <dt>{t('review.waitingSince')}</dt>
            <dd>{fmtDateTime(entry.waiting_since, l)}</dd>
          </div>
        </dl>
        {item?.note ? (
          <p>
            <strong>{t('item.note')}:</strong> {item.note}
          </p>
        ) : null}
        {item?.last_review ? (
          <p class={`review-note ${item.last_review.decision}`}>
            <strong>{t('review.previous')}:</strong> {item.last_review.comment || '—'}
          </p>
        ) : null}
      </div>
      <div class="docs card">
        <h3>{t('item.evidence')}</h3>
        {loaded.error ? <ErrorNote error={loaded.error} onRetry={loaded.reload} /> : null}
        {!item && !loaded.error ? <Loading /> : null}
        {item ? (
          <EvidenceList evidence={docs ?? item.evidence} status="submitted" reviewer onReviewed={(ev) => setDocs((docs ?? item.evidence).map((d) => (d.id === ev.id ? ev : d)))} />
        ) : null}
      </div>
      {canDiscuss(store.session.value, entry.region_code) ? (
        <div class="card">
          <Discussion at={{ year, code: entry.region_code, indicator: entry.indicator_code }} />
        </div>
      ) : null}
      <form
        class="decision card"
        noValidate
        aria-label={t('review.decision')}
        onSubmit={(e) => {
          e.preventDefault();
          decide('approve');
        }}
      >
        {naMark ? null : <Field
          id="verified"
          label={t('review.verifiedLabel')}
          inputMode="decimal"
          value={verified}
          onValue={setVerified}
          error={fieldError(error, 'verified_progress')}
          hint={t('review.verifiedHint')}
        />}
        <div ref={reason}>
          <TextArea id="reason" label={t('review.reason')} value={comment} onValue={setComment} error={fieldError(error, 'comment')} />
        </div>
        {waiting.length && !naMark ? <p class="hint">{t('review.acceptsDocs', { n: waiting.length })}</p> : null}
        {error && !namesAny(error, ['verified_progress', 'comment', 'decision']) ? <FormError error={error} /> : null}
        <div class="actions">
          <button type="submit" class="primary">
            {t('review.approve')} <kbd aria-hidden="true">a</kbd>
          </button>
          <button type="button" class="danger" onClick={() => decide('reject')} aria-keyshortcuts="r">
            {t('review.reject')} <kbd aria-hidden="true">r</kbd>
          </button>
        </div>
      </form>
    </article>
  );
}
