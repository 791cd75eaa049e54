import type { Layer } from '../../engine/types';
import { checkNfsIngress } from './check';
import { NfsIngressResult, planNfsIngress } from './plan';
import { planNfsIngressRemoval } from './remove';

export type { NfsIngressMode } from './read';
export type { NfsIngressResult } from './plan';

/** Seed step 7: NFS from the cluster into the mount targets' security group. */
export const nfsIngress: Layer<NfsIngressResult> = {
  id: 'nfs-ingress',
  plan: planNfsIngress,
  check: checkNfsIngress,
  remove: planNfsIngressRemoval,
};
