// The names of Pantau's states and kinds (zones, statuses, roles, region kinds, commitment and
// slot states, signing modes) come from the server's one label table (GET /api/v1/labels), the
// same words its narrative and PDFs use; the web app writes none of them itself.
import { signal } from '@preact/signals';
import { ok, type Api, type Schemas } from './api';
import type { Lang } from './format';

export type LabelTable = Schemas['LabelTable'];
export type LabelGroup = keyof LabelTable;

/** Both languages' tables once loaded; null before. */
export const labelTables = signal<Record<string, LabelTable> | null>(null);

let loading: Promise<void> | null = null;

/** Loads the table once (it needs no sign-in and changes only with a release); a failure is tried again next time. */
export function loadLabels(api: Api): Promise<void> {
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
