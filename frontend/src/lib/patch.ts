// The patches our editors send (PATCH users, periods, areas, indicators): only the fields that
// changed, always with the version the form started from, so a stale edit answers 409.

export type Versioned<T> = Partial<T> & { version?: number };

/**
 * changedPatch compares what the form holds now with what it started from, field by field
 * (values already normalised: trimmed text, "" for none). It returns the changed fields plus
 * the version, or null when nothing changed.
 */
export function changedPatch<T extends Record<string, unknown>>(was: T, now: T, version: number | undefined): Versioned<T> | null {
  const out: Partial<T> = {};
  for (const k of Object.keys(now) as (keyof T)[]) {
    if (now[k] !== was[k]) out[k] = now[k];
  }
  if (Object.keys(out).length === 0) return null;
  return version === undefined ? out : { ...out, version };
}
