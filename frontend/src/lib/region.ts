// A Pemda page's reads of a year. The page asks for them; the app starts them early, with the
// session, when it opens on a Pemda page, so that they need not wait for the page's code, the
// session and the page's first render (see Shell's first reads).
import { ok } from './api';
import { store, type YearReads } from './state';

/** The reads of one Pemda's page in a year, by name. */
export function regionReads(code: string) {
  const api = store.api;
  const where = (year: number) => ({ params: { path: { year, code } } });
  const ofYear = (year: number) => ({ params: { path: { year } } });
  return {
    items: (year: number) => ok(api.GET('/api/v1/periods/{year}/regions/{code}/items', where(year))),
    areas: (year: number) => ok(api.GET('/api/v1/periods/{year}/areas', ofYear(year))),
    delegation: (year: number) => ok(api.GET('/api/v1/periods/{year}/regions/{code}/delegation', where(year))),
    extensions: (year: number) => ok(api.GET('/api/v1/periods/{year}/extensions', ofYear(year))),
    trend: (_year: number) => ok(api.GET('/api/v1/regions/{code}/trend', { params: { path: { code } } })),
    explanation: (year: number) => ok(api.GET('/api/v1/periods/{year}/regions/{code}/explanation', where(year))),
    /** The summary of the Pemda's province, which holds its standing: the country's would be every Pemda's figures (546) to read for one. */
    standing: (year: number) => ok(api.GET('/api/v1/periods/{year}/summary', { params: { path: { year }, query: { province: code.slice(0, 2) } } })),
  };
}

type Reads = ReturnType<typeof regionReads>;

/** One of a Pemda's reads of a year: the one started early when there is one (used once), else a new one. */
export function regionRead<K extends keyof Reads>(code: string, name: K, year: number): ReturnType<Reads[K]> {
  const read: (year: number) => Promise<unknown> = regionReads(code)[name];
  return store.take(`${code}/${name}:${year}`, () => read(year)) as ReturnType<Reads[K]>;
}

/** A Pemda's reads for prefetch, keyed as regionRead takes them. */
export function earlyRegionReads(code: string): YearReads {
  return Object.fromEntries(Object.entries(regionReads(code)).map(([name, read]) => [`${code}/${name}`, read]));
}
