// Every string the app shows comes from here: Indonesian by default, English switchable.
// Both catalogues have the same keys (TypeScript checks en against id; tests/unit/i18n.test.ts
// checks every key used in the source).
import { effect, signal } from '@preact/signals';
import { id, type MessageKey } from './id';
import { en } from './en';
import type { Lang } from '../lib/format';

export type { MessageKey };
export const catalogues: Record<Lang, Record<MessageKey, string>> = { id, en };

const storage = typeof localStorage === 'undefined' ? null : localStorage;

function initial(): Lang {
  const saved = storage?.getItem('pantau.lang');
  return saved === 'en' || saved === 'id' ? saved : 'id';
}

/** The language of the interface. */
export const lang = signal<Lang>(initial());

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
  const s = catalogues[l][key] ?? catalogues.id[key];
  if (s === undefined) {
    if (import.meta.env?.DEV) console.warn('missing message', key);
    return key;
  }
  return interpolate(s, vars);
}

/** tOr translates a key built at run time (zone, status, role …), or returns the fallback. */
export function tOr(key: string, fallback: string): string {
  const s = catalogues[lang.value][key as MessageKey];
  return s === undefined ? fallback : s;
}

export const zoneLabel = (k: string) => tOr(`zone.${k}`, k);
export const statusLabel = (k: string) => tOr(`status.${k}`, k);
export const roleLabel = (k: string) => tOr(`role.${k}`, k);
