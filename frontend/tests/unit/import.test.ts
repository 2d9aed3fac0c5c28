import { describe, expect, it } from 'vitest';
import type { User } from '../../src/lib/types';
import { importKinds } from '../../src/pages/Import';

const user = (role: User['role'], where: { region_code?: string; province?: string } = {}): User => ({
  id: 1,
  email: `${role}@x.id`,
  name: role,
  role,
  region_code: where.region_code ?? null,
  province: where.province ?? null,
  created_at: '',
});

describe('importKinds', () => {
  it('offers claims where one may claim, and the catalogue to those who keep the national one', () => {
    expect(importKinds(user('operator', { region_code: '62.08' }))).toEqual(['claims']);
    expect(importKinds(user('operator'))).toEqual([]);
    expect(importKinds(user('coordinator', { province: '62' }))).toEqual(['claims']);
    expect(importKinds(user('coordinator'))).toEqual(['claims', 'catalogue']);
    expect(importKinds(user('admin'))).toEqual(['claims', 'catalogue']);
    expect(importKinds(user('reviewer'))).toEqual([]);
    expect(importKinds(user('signatory'))).toEqual([]);
    expect(importKinds(null)).toEqual([]);
  });
});
