// What the commitment pages share: slot names, statuses and the modes a signer has on a slot.
import { label, tOr } from '../../i18n';
import type { Signatory } from '../../lib/types';

export type Mode = 'sign' | 'initial';

export type Kind = 'regional' | 'joint';

/** A slot's name: the web app's word for the office, else the office's printed title (a joint commitment's regents). */
export const slotName = (s: Pick<Signatory, 'slot' | 'default_title'>) => tOr(`slot.${s.slot}`, s.default_title || s.slot);

export const statusText = (s: string) => label('commitment_status', s);

export const pngBase64 = (png: string) => png.replace(/^data:image\/png;base64,/, '');

/**
 * What the signed-in user may still do on a slot assigned to them: sign and initial on an open
 * slot, only sign once it carries a paraf, only initial as a deputy without a recorded
 * delegation; nothing once it is signed.
 */
export function modesFor(s: Pick<Signatory, 'status' | 'capacity'>): Mode[] {
  if (s.status === 'signed') return [];
  const deputy = s.capacity === 'deputy';
  if (s.status === 'initialled') return deputy ? [] : ['sign'];
  return deputy ? ['initial'] : ['sign', 'initial'];
}
