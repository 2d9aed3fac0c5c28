// Shapes of the Pantau API's JSON (shared/api.md and api/openapi.json).

export type Role = 'admin' | 'coordinator' | 'operator' | 'reviewer' | 'signatory';
export const ROLES: Role[] = ['admin', 'coordinator', 'operator', 'reviewer', 'signatory'];

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  region_code: string | null;
  created_at?: string;
  /** false once an admin has deactivated the account */
  active?: boolean;
  version?: number;
}

export interface Me extends User {
  csrf_token: string;
}

export interface LoginResponse {
  token: string;
  csrf_token: string;
  expires_at: string;
  user: User;
}

export type RegionKind = 'province' | 'regency' | 'city';
export interface Region {
  code: string;
  name: string;
  kind: RegionKind;
}

export interface Period {
  year: number;
  name: string;
  /** the evidence deadline, YYYY-MM-DD, when set */
  deadline?: string | null;
  version?: number;
}

export interface Area {
  code: string;
  name: string;
  weight: number;
  version?: number;
}

export interface Indicator {
  code: string;
  area: string;
  title: string;
  weight: number;
  version?: number;
}

export interface Evidence {
  id: number;
  sha256: string;
  filename: string;
  size: number;
  content_type: string;
  uploaded_at: string;
  /** per-document verification (issue 3), when the API has it */
  status?: 'waiting' | 'accepted' | 'rejected';
  reason?: string;
  reviewed_at?: string | null;
  superseded?: boolean;
  /** the earlier revision this document replaces */
  replaces_id?: number | null;
  /** when the document took effect (YYYY-MM-DD), if given */
  effective_date?: string | null;
  version?: number;
}

export interface SigningKey {
  certificate_pem: string;
  fingerprint: string;
  source?: 'installation' | 'pkcs12';
  subject?: string;
  issuer?: string;
  not_after?: string;
}

export type ItemStatus = 'draft' | 'submitted' | 'approved' | 'rejected';
export const ITEM_STATUSES: ItemStatus[] = ['draft', 'submitted', 'approved', 'rejected'];

export interface Review {
  decision: 'approve' | 'reject';
  verified_progress: number;
  comment: string;
  reviewer: string;
  created_at: string;
}

export interface Item {
  indicator_code: string;
  area: string;
  title: string;
  weight: number;
  progress: number;
  verified_progress: number;
  status: ItemStatus;
  version: number;
  note: string;
  updated_at: string | null;
  last_review: Review | null;
  evidence: Evidence[];
}

export interface Delegation {
  total: number | null;
  delegated: number | null;
  percent: number | null;
  zone: string;
  legal_basis: string;
  version?: number;
  updated_at?: string | null;
}

export type Metric = 'action_plan' | 'delegation';
export interface Band {
  key: string;
  min: number;
  min_inclusive: boolean;
  max: number;
  max_inclusive: boolean;
}
export type ZoneSchemes = Record<Metric, Band[]>;

export interface RegionSummary {
  code: string;
  name: string;
  kind: RegionKind;
  action_plan: { percent: number | null; claimed_percent: number | null; zone: string };
  delegation: { percent: number | null; zone: string; total?: number; delegated?: number; legal_basis?: string };
}

export interface Summary {
  year: number;
  regions: RegionSummary[];
  counts: Record<Metric, Record<string, number>>;
  narrative: string;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface Verification {
  kind: 'commitment' | 'report';
  title: string;
  status: string;
  sha256: string;
  created_at: string;
  signatures: { slot: string; name: string; title: string; mode: string; signed_at: string }[];
}

export interface FileCheck {
  valid: boolean;
  verification_code: string | null;
  kind?: string;
  title?: string;
  sha256: string;
  signatures: { name: string; signed_at: string; valid: boolean }[];
}

export interface Signatory {
  slot: string;
  /** signer or witness */
  kind?: string;
  status: string;
  default_title?: string;
  user_email?: string | null;
  name?: string | null;
  title?: string | null;
  mode?: string | null;
  signed_at?: string | null;
}

export interface Commitment {
  id: number;
  region_code: string;
  year: number;
  status: 'draft' | 'partially_signed' | 'signed' | string;
  verification_code: string;
  signatories: Signatory[];
  title?: string;
  region_name?: string;
}
