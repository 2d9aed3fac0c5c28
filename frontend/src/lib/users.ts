// User settings: the patch sent to PATCH /api/v1/users/{id}.
import type { Role, User } from './types';

export interface UserPatch {
  name?: string;
  role?: Role;
  /** a region code, or "" to clear it */
  region_code?: string;
  active?: boolean;
  version?: number;
}

export interface UserForm {
  name: string;
  role: Role;
  /** "" for none */
  region: string;
}

/** A user's account is active unless the API says otherwise (older servers send no flag). */
export const isActive = (u: User) => u.active !== false;

/**
 * userPatch holds only what changed, always with the version the form started from; null when
 * nothing changed.
 */
export function userPatch(u: User, f: UserForm): UserPatch | null {
  const out: UserPatch = {};
  const name = f.name.trim();
  if (name !== u.name) out.name = name;
  if (f.role !== u.role) out.role = f.role;
  if (f.region !== (u.region_code ?? '')) out.region_code = f.region;
  if (Object.keys(out).length === 0) return null;
  if (u.version !== undefined) out.version = u.version;
  return out;
}

/** The patch that deactivates or reactivates an account. */
export function activePatch(u: User, active: boolean): UserPatch {
  return u.version === undefined ? { active } : { active, version: u.version };
}

/** Changing the role or the region ends that user's sessions (so does deactivating). */
export const endsSessions = (p: UserPatch) => p.role !== undefined || p.region_code !== undefined || p.active === false;
