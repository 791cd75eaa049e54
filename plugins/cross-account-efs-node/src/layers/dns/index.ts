import type { Layer } from '../../engine/types';
import { checkPrivateDns } from './check';
import { planPrivateDns, PrivateDnsResult } from './plan';
import { planPrivateDnsRemoval } from './remove';

export type { DnsZone, PrivateDnsResult } from './plan';

/** Seed step 8: per-AZ private zones for the mount targets, shared by every connected cluster. */
export const dns: Layer<PrivateDnsResult> = {
  id: 'dns',
  plan: planPrivateDns,
  check: checkPrivateDns,
  remove: planPrivateDnsRemoval,
};
