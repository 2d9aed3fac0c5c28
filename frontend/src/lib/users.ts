// User settings: the patch sent to PATCH /api/v1/users/{id}.
import type { Schemas } from './api';
import { changedPatch } from './patch';
import type { Role, User } from './types';

/** What PATCH /api/v1/users/{id} takes (a region code of "" clears it). */
export type UserPatch = Schemas['UserPatch'];

export interface UserForm {
  name: string;
  role: Role;
  /** "" for none */
  region: string;
}

/** A user's account is active unless the API says it is not. */
export const isActive = (u: User) => u.active !== false;

/**
 * userPatch holds only what changed, always with the version the form started from; null when
 * nothing changed.
 */
export function userPatch(u: User, f: UserForm): UserPatch | null {
  return changedPatch<Pick<UserPatch, 'name' | 'role' | 'region_code'>>(
    { name: u.name, role: u.role, region_code: u.region_code ?? '' },
    { name: f.name.trim(), role: f.role, region_code: f.region },
    u.version,
  );
}

/** The patch that deactivates or reactivates an account. */
export function activePatch(u: User, active: boolean): UserPatch {
  return u.version === undefined ? { active } : { active, version: u.version };
}

/** Changing the role or the region ends that user's sessions (so does deactivating). */
export const endsSessions = (p: UserPatch) => p.role !== undefined || p.region_code !== undefined || p.active === false;
