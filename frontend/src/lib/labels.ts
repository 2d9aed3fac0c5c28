// The names of Pantau's states and kinds (zones, statuses, roles, region kinds, commitment and
// slot states, signing modes) come from the server's one label table, the same words its
// narrative and PDFs use; the web app writes none of them itself. The server writes the table
// into the page (a JSON block, id "pantau-labels"), so the first screen need not ask for it;
// a page without it (Vite's dev server) asks GET /api/v1/labels.
import { signal } from '@preact/signals';
import { ok, type Api, type Schemas } from './api';
import type { Lang } from './format';

export type LabelTable = Schemas['LabelTable'];
export type LabelGroup = keyof LabelTable;

/** The table the server wrote into the page, or null. */
function fromPage(): Record<string, LabelTable> | null {
  const text = typeof document === 'undefined' ? null : document.getElementById('pantau-labels')?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, LabelTable>;
  } catch {
    return null;
  }
}

/** Both languages' tables once loaded; null before. */
export const labelTables = signal<Record<string, LabelTable> | null>(fromPage());

let loading: Promise<void> | null = null;

/** Loads the table once (it needs no sign-in and changes only with a release); a failure is tried again next time. */
export function loadLabels(api: Api): Promise<void> {
  if (labelTables.value) return Promise.resolve();
  loading ??= ok(api.GET('/api/v1/labels')).then(
    (t) => {
      labelTables.value = t as Record<string, LabelTable>;
    },
    (e) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** A state's or kind's name in a language; the key itself while the table is not there or lacks it. */
export function labelIn(tables: Record<string, LabelTable> | null, l: Lang, group: LabelGroup, key: string): string {
  return tables?.[l]?.[group]?.[key] ?? tables?.id?.[group]?.[key] ?? key;
}
