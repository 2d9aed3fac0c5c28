// Areas and indicators of a period: the patches sent to PATCH /api/v1/periods/{year}/areas/{code}
// and /indicators/{code} (only what changed, with the version), and the checks made before sending.
import type { MessageKey } from '../i18n';
import { fmtInput, parseDecimal, type Lang } from './format';
import type { Schemas } from './api';
import { changedPatch } from './patch';
import type { Area, Indicator, RegionKind } from './types';

/** Every kind of region, in the order forms list them; an entry applies to all of them by default. */
export const REGION_KINDS: readonly RegionKind[] = ['province', 'regency', 'city'];

export type AreaPatch = Schemas['AreaPatch'];
export type IndicatorPatch = Schemas['IndicatorPatch'];

export interface AreaForm {
  name: string;
  /** as typed: "1,5" or "1.5" */
  weight: string;
}

export interface IndicatorForm {
  title: string;
  weight: string;
  /** the code of the area the indicator belongs to */
  area: string;
  /** the evidence it asks for */
  requirement: string;
  /** the kinds of region it applies to (at least one) */
  applies_to: RegionKind[];
}

/** What the form found wrong before anything is sent (field → message), or the patch (null: nothing changed). */
export type Checked<P> = { fields: Record<string, MessageKey> } | { patch: P | null };

/** The weight as the form shows it in the language: 1.5 → "1,5" in Indonesian. */
export const weightText = (w: number, l: Lang) => fmtInput(w, l);

/** A typed weight: a number, or the message that says why it is not one. The API checks its range. */
export function readWeight(s: string): number | MessageKey {
  if (s.trim() === '') return 'form.required';
  return parseDecimal(s) ?? 'form.number';
}

export function areaPatch(a: Area, f: AreaForm): Checked<AreaPatch> {
  const weight = readWeight(f.weight);
  if (typeof weight !== 'number') return { fields: { weight } };
  return { patch: changedPatch({ name: a.name, weight: a.weight }, { name: f.name.trim(), weight }, a.version) };
}

export function indicatorPatch(i: Indicator, f: IndicatorForm): Checked<IndicatorPatch> {
  const weight = readWeight(f.weight);
  if (typeof weight !== 'number') return { fields: { weight } };
  const kinds = REGION_KINDS.filter((k) => f.applies_to.includes(k));
  if (!kinds.length) return { fields: { applies_to: 'admin.appliesToNone' } };
  const patch = changedPatch(
    { title: i.title, weight: i.weight, area: i.area, requirement: i.requirement ?? '' },
    { title: f.title.trim(), weight, area: f.area, requirement: f.requirement.trim() },
    i.version,
  );
  // Kinds compare as sets: the order they were ticked in changes nothing.
  const was = REGION_KINDS.filter((k) => (i.applies_to ?? REGION_KINDS).includes(k));
  if (kinds.join() === was.join()) return { patch };
  return { patch: { ...(patch ?? (i.version === undefined ? {} : { version: i.version })), applies_to: kinds } };
}

/** An id fragment for a code, one-to-one ("PTSP.2" → "PTSP_2e2"): codes may hold dots or spaces. */
export const codeId = (code: string) => code.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
