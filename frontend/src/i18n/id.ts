// Katalog pesan bahasa Indonesia — bahasa utama Pantau, in four parts by what they speak of.
// Every key here must also be in en.ts (each part of en/ is typed against its part here).
import { admin } from './id/admin';
import { core } from './id/core';
import { signing } from './id/signing';
import { work } from './id/work';

export const id = { ...core, ...work, ...signing, ...admin };

export type MessageKey = keyof typeof id;
