import { connectivityAware } from '../../engine/connectivity';
import { checkRoutes } from './check';
import { planRoutes, RoutesResult } from './plan';
import { checkRoutesReachable } from './reachable';
import { planRoutesRemoval } from './remove';

export type { RoutesResult } from './plan';

/** Seed step 6: routes both ways through the peering; with existing connectivity, a check that they reach. */
export const routes = connectivityAware<RoutesResult>(
  {
    id: 'routes',
    plan: planRoutes,
    check: checkRoutes,
    remove: planRoutesRemoval,
  },
  checkRoutesReachable,
);
