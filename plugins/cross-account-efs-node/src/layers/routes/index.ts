import type { Layer } from '../../engine/types';
import { checkRoutes } from './check';
import { planRoutes, RoutesResult } from './plan';
import { planRoutesRemoval } from './remove';

export type { RoutesResult } from './plan';

/** Seed step 6: routes both ways through the peering. */
export const routes: Layer<RoutesResult> = {
  id: 'routes',
  plan: planRoutes,
  check: checkRoutes,
  remove: planRoutesRemoval,
};
