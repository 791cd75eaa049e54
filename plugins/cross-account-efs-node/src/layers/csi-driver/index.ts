import type { Layer } from '../../engine/types';
import { checkCsiDriver } from './check';
import { CsiDriverResult, planCsiDriver } from './plan';
import { nothingToChange } from '../../engine/runPlan';

export type { CsiDriverResult } from './plan';

/**
 * Seed step 10.7: the managed EFS CSI driver add-on. Removal keeps it:
 * the cluster's other file systems and workloads may use the driver.
 */
export const csiDriver: Layer<CsiDriverResult> = {
  id: 'csi-driver',
  plan: planCsiDriver,
  check: checkCsiDriver,
  remove: async () => nothingToChange(),
};
