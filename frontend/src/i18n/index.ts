// Every string the app shows comes from here: Indonesian by default and in the first bundle;
// English is its own chunk, loaded only when someone chooses it (or chose it before).
// Both catalogues have the same keys (TypeScript checks en against id; tests/unit/i18n.test.ts
// checks every key used in the source).
import { effect, signal } from '@preact/signals';
import { id, type MessageKey } from './id';
import type { Lang } from '../lib/format';
import { labelIn, labelTables, type LabelGroup } from '../lib/labels';

export type { MessageKey };
type Catalogue = Record<MessageKey, string>;

const loaded: Partial<Record<Lang, Catalogue>> = { id };
const storage = typeof localStorage === 'undefined' ? null : localStorage;
const saved = storage?.getItem('pantau.lang');

/** The language of the interface; it changes only once its catalogue is there (see chooseLang). */
export const lang = signal<Lang>('id');

/** The catalogue of a language, loading it first when needed. */
export async function catalogue(l: Lang): Promise<Catalogue> {
  loaded[l] ??= l === 'en' ? (await import('./en')).en : id;
  return loaded[l]!;
}

/** chooseLang switches the interface, once the language's catalogue has loaded. */
export async function chooseLang(l: Lang): Promise<void> {
  await catalogue(l);
  lang.value = l;
}

/** Resolves once the remembered language is ready (at once for Indonesian). */
export const ready: Promise<void> = saved === 'en' ? chooseLang('en').catch(() => undefined) : Promise.resolve();

effect(() => {
  storage?.setItem('pantau.lang', lang.value);
  if (typeof document !== 'undefined') document.documentElement.lang = lang.value;
});

/** Fills {name} placeholders. */
export function interpolate(s: string, vars?: Record<string, string | number>): string {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** t translates a key into the current language. */
export function t(key: MessageKey, vars?: Record<string, string | number>, l: Lang = lang.value): string {
  const s = loaded[l]?.[key] ?? id[key];
  if (s === undefined) {
    if (import.meta.env?.DEV) console.warn('missing message', key);
    return key;
  }
  return interpolate(s, vars);
}

/** tOr translates a key built at run time (zone, status, role …), or returns the fallback. */
export function tOr(key: string, fallback: string): string {
  const s = loaded[lang.value]?.[key as MessageKey] ?? id[key as MessageKey];
  return s === undefined ? fallback : s;
}

/** A state's or kind's name from the server's label table, in the interface's language. */
export const label = (group: LabelGroup, key: string) => labelIn(labelTables.value, lang.value, group, key);
export const zoneLabel = (k: string) => label('zone', k);
export const statusLabel = (k: string) => label('item_status', k);
export const roleLabel = (k: string) => label('role', k);
