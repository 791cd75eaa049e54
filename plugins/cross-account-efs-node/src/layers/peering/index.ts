import type { Layer } from '../../engine/types';
import { checkPeering } from './check';
import { PeeringResult, planPeering } from './plan';
import { planPeeringRemoval } from './remove';

export type { PeeringResult } from './plan';

/** Seed steps 4-5: a VPC peering between the cluster's VPC and the file system's. */
export const peering: Layer<PeeringResult> = {
  id: 'peering',
  plan: planPeering,
  check: checkPeering,
  remove: planPeeringRemoval,
};
