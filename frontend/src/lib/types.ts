// Names for the API's schemas, all generated from the server's OpenAPI document (schema.d.ts):
// nothing here is written by hand but the names.
import type { Schemas } from './api';

export type Role = Schemas['Role'];
export type User = Schemas['User'];
export type Me = Schemas['Me'];
export type RegionKind = Schemas['RegionKind'];
export type Region = Schemas['Region'];
export type Period = Schemas['Period'];
export type Area = Schemas['Area'];
export type Indicator = Schemas['Indicator'];
export type Evidence = Schemas['Evidence'];
export type ItemStatus = Schemas['ItemStatus'];
export type Item = Schemas['Item'];
export type Delegation = Schemas['Delegation'];
export type Metric = Schemas['Metric'];
export type Band = Schemas['Band'];
export type ZoneSchemes = Schemas['ZoneSchemes'];
export type RegionSummary = Schemas['RegionSummary'];
export type Summary = Schemas['Summary'];
export type ProvinceSummary = Schemas['ProvinceSummary'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type Verification = Schemas['Verification'];
export type FileCheck = Schemas['FileCheck'];
export type Commitment = Schemas['Commitment'];
export type Signatory = Schemas['CommitmentSlot'];
export type SigningKey = Schemas['SigningKey'];
export type Letterhead = Schemas['Letterhead'];
export type QueueEntry = Schemas['QueueEntry'];
export type Radar = Schemas['Radar'];
export type Todo = Schemas['Todo'];

/** Every role, in the order the admin's forms list them. */
export const ROLES: Role[] = ['admin', 'coordinator', 'operator', 'reviewer', 'signatory'];
