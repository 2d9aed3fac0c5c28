// English catalogue: the same keys as id.ts, in the same four parts (TypeScript refuses a
// missing one). Loaded only when someone chooses English.
import type { MessageKey } from './id';
import { admin } from './en/admin';
import { core } from './en/core';
import { signing } from './en/signing';
import { work } from './en/work';

export const en: Record<MessageKey, string> = { ...core, ...work, ...signing, ...admin };
