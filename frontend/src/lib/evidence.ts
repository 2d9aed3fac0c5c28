// How an item's documents are listed: which first, which badge each carries, and which one a
// reviewer sees first. Display rules only; the verdicts themselves are the server's.
import type { Evidence, ItemStatus } from './types';

/** The badge of one document: its own verdict, or where its claim stands while it has none. */
export type DocBadge = 'accepted' | 'rejected' | 'new' | 'waiting' | 'notSubmitted' | null;

/**
 * docBadge: a document the reviewer accepted or rejected says so. One still waiting says
 * "Baru" to the reviewer and "Menunggu" to everyone else while its claim waits; "Belum diajukan"
 * while the claim is a draft; nothing once the claim itself was decided (it was judged with it —
 * a document must not still say "Menunggu" after its claim was rejected).
 */
export function docBadge(e: Evidence, item: ItemStatus, reviewer: boolean): DocBadge {
  if (e.status === 'accepted' || e.status === 'rejected') return e.status;
  if (item === 'submitted') return reviewer ? 'new' : 'waiting';
  if (item === 'draft') return 'notSubmitted';
  return null;
}

// RFC 3339 times of one server compare as strings (no localeCompare: it loads the browser's collation data).
const newestFirst = (a: Evidence, b: Evidence) => (a.uploaded_at < b.uploaded_at ? 1 : a.uploaded_at > b.uploaded_at ? -1 : 0) || b.id - a.id;

/** Current documents first, newest first; replaced revisions last. */
export function orderEvidence(list: Evidence[]): Evidence[] {
  return [...list.filter((e) => !e.superseded).sort(newestFirst), ...list.filter((e) => e.superseded).sort(newestFirst)];
}

export const previewable = (ct: string) => ct === 'application/pdf' || ct.startsWith('image/');

/** The document a reviewer sees first: the newest one still waiting, else the newest current one that can be shown. */
export function firstToReview(list: Evidence[]): Evidence | undefined {
  const shown = orderEvidence(list).filter((e) => !e.superseded && previewable(e.content_type));
  return shown.find((e) => e.status === 'waiting') ?? shown[0];
}
