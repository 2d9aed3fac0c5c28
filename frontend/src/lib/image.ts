// Images the API hands back as base64 (the letterhead's logo): their type is read from the
// bytes' signature, never assumed.

export type ImageType = 'image/png' | 'image/jpeg';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

/** The first bytes of base64 data (at most n), or null when it is not base64. */
function head(b64: string, n: number): number[] | null {
  const s = b64.replace(/\s/g, '').slice(0, Math.ceil(n / 3) * 4);
  try {
    return Array.from(atob(s), (c) => c.charCodeAt(0)).slice(0, n);
  } catch {
    return null;
  }
}

const startsWith = (b: number[], sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);

/** The image type of base64 data, from its signature: PNG, JPEG, or null for anything else. */
export function imageTypeOf(b64: string | null | undefined): ImageType | null {
  if (!b64) return null;
  const b = head(b64, 8);
  if (!b) return null;
  if (startsWith(b, PNG)) return 'image/png';
  if (startsWith(b, JPEG)) return 'image/jpeg';
  return null;
}

/** A data: URL for base64 image data of a known type; null when the type is not PNG or JPEG. */
export function imageDataURL(b64: string | null | undefined): string | null {
  const type = imageTypeOf(b64);
  return type ? `data:${type};base64,${b64!.replace(/\s/g, '')}` : null;
}
