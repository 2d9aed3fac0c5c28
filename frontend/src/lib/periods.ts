// Period settings: the patch sent to PATCH /api/v1/periods/{year}, and how a deadline reads.
import type { MessageKey } from '../i18n';
import type { Schemas } from './api';
import { changedPatch } from './patch';
import type { Period } from './types';

/** What PATCH /api/v1/periods/{year} takes (a deadline of "" clears it). */
export type PeriodPatch = Schemas['PeriodPatch'];

/** The YYYY-MM-DD part of a date the API sends ("2025-11-30" or "2025-11-30T00:00:00Z"), or "". */
export function isoDate(v: string | null | undefined): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v ?? '');
  return m ? m[1] : '';
}

/**
 * periodPatch holds only what changed (a cleared deadline as ""), always with the version the
 * form started from; null when nothing changed.
 */
export function periodPatch(p: Period, name: string, deadline: string): PeriodPatch | null {
  return changedPatch({ name: p.name, deadline: isoDate(p.deadline) }, { name: name.trim(), deadline: deadline.trim() }, p.version);
}

/** The message that says how far the deadline is: days left, today, or days past. */
export function deadlineMessage(daysLeft: number | null | undefined): { key: MessageKey; days: number | string } {
  if (daysLeft === null || daysLeft === undefined) return { key: 'radar.deadline', days: '—' };
  if (daysLeft === 0) return { key: 'radar.deadlineToday', days: 0 };
  if (daysLeft < 0) return { key: 'radar.deadlinePast', days: -daysLeft };
  return { key: 'radar.deadline', days: daysLeft };
}
