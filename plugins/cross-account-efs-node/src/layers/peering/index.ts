import { connectivityAware } from '../../engine/connectivity';
import { checkPeering } from './check';
import { checkExistingConnectivity } from './existing';
import { PeeringResult, planPeering } from './plan';
import { planPeeringRemoval } from './remove';

export type { PeeringResult } from './plan';

/** Seed steps 4-5: a VPC peering between the cluster's VPC and the file system's (none with existing connectivity). */
export const peering = connectivityAware<PeeringResult>(
  {
    id: 'peering',
    plan: planPeering,
    check: checkPeering,
    remove: planPeeringRemoval,
  },
  checkExistingConnectivity,
);
