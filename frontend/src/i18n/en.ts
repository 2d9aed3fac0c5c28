// English catalogue: the same keys as id.ts, in the same four parts (TypeScript refuses a
// missing one). Loaded only when someone chooses English.
import type { MessageKey } from './id';
import { admin } from './en/admin';
import { core } from './en/core';
import { signing } from './en/signing';
import { work } from './en/work';

// (Object.assign for the reason id.ts gives)
export const en: Record<MessageKey, string> = Object.assign({}, core, work, signing, admin);
