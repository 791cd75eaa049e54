import type { ActionDeps } from './engineForAction';
import { createCsiDriverAction } from './csiDriver';
import { createDnsAction } from './dns';
import { createEfsDiscoverAction } from './efsDiscover';
import { createEksDiscoverAction } from './eksDiscover';
import { createIamAction } from './iam';
import { createKubernetesAction } from './kubernetes';
import { createNfsIngressAction } from './nfsIngress';
import { createPeeringAction } from './peering';
import { createPreflightAction } from './preflight';
import { createRoutesAction } from './routes';
import {
  createRequestApproveAction,
  createRequestCreateAction,
  createRequestGetAction,
} from './request';
import { createVerifyAction } from './verify';
import { createRemoveAction } from './remove';

export {
  createCsiDriverAction,
  createDnsAction,
  createIamAction,
  createKubernetesAction,
  createEfsDiscoverAction,
  createEksDiscoverAction,
  createNfsIngressAction,
  createPeeringAction,
  createPreflightAction,
  createRoutesAction,
};
export type { ActionDeps };

/** Every action, in the order a provisioning template runs them. */
export function createCrossAccountEfsActions(deps: ActionDeps) {
  return [
    createEfsDiscoverAction(deps),
    createEksDiscoverAction(deps),
    createPreflightAction(deps),
    createPeeringAction(deps),
    createRoutesAction(deps),
    createNfsIngressAction(deps),
    createDnsAction(deps),
    createIamAction(deps),
    createCsiDriverAction(deps),
    createKubernetesAction(deps),
    createVerifyAction(deps),
    createRemoveAction(deps),
    createRequestCreateAction(deps.requests),
    createRequestGetAction(deps.requests),
    createRequestApproveAction(deps.requests),
  ];
}
