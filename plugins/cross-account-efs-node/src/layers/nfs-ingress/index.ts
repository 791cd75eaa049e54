import { connectivityAware } from '../../engine/connectivity';
import { checkNfsIngress } from './check';
import { checkNfsIngressExists } from './existing';
import { NfsIngressResult, planNfsIngress } from './plan';
import { planNfsIngressRemoval } from './remove';

export type { NfsIngressMode } from './read';
export type { NfsIngressResult } from './plan';

/** Seed step 7: NFS from the cluster into the mount targets' security group; with existing connectivity, a check that it is allowed. */
export const nfsIngress = connectivityAware<NfsIngressResult>(
  {
    id: 'nfs-ingress',
    plan: planNfsIngress,
    check: checkNfsIngress,
    remove: planNfsIngressRemoval,
  },
  checkNfsIngressExists,
);
