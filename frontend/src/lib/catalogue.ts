// Areas and indicators of a period: the patches sent to PATCH /api/v1/periods/{year}/areas/{code}
// and /indicators/{code} (only what changed, with the version), and the checks made before sending.
import type { MessageKey } from '../i18n';
import { fmtInput, parseDecimal, type Lang } from './format';
import type { Schemas } from './api';
import { changedPatch } from './patch';
import type { Area, Indicator } from './types';

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
  return { patch: changedPatch({ title: i.title, weight: i.weight, area: i.area }, { title: f.title.trim(), weight, area: f.area }, i.version) };
}

/** An id fragment for a code, one-to-one ("PTSP.2" → "PTSP_2e2"): codes may hold dots or spaces. */
export const codeId = (code: string) => code.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
