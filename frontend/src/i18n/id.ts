// Katalog pesan bahasa Indonesia — bahasa utama Pantau, in four parts by what they speak of.
// Every key here must also be in en.ts (each part of en/ is typed against its part here).
import { admin } from './id/admin';
import { core } from './id/core';
import { signing } from './id/signing';
import { work } from './id/work';

// Object.assign, not a spread: spreading ~630 keys into a new object took 5–10 ms of the first
// bundle's evaluation in Chromium (before a 4× slower phone), assigning them about 1 ms.
export const id: typeof core & typeof work & typeof signing & typeof admin = Object.assign({}, core, work, signing, admin);

export type MessageKey = keyof typeof id;
