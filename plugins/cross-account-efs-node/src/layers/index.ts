import type { Layer, ProvisioningLayer } from '../engine/types';
import { csiDriver } from './csi-driver';
import { dns } from './dns';
import { iam } from './iam';
import { kubernetes } from './kubernetes';
import { nfsIngress } from './nfs-ingress';
import { peering } from './peering';
import { routes } from './routes';

/**
 * Every layer of a connection, in the order provisioning applies them (and
 * removal, reversed): `provisioningLayers`. Provisioning, health, removal and the scaffolder's
 * actions all iterate this list.
 *
 * @public
 */
export const layers: readonly Layer[] = [
  iam,
  csiDriver,
  peering,
  routes,
  nfsIngress,
  dns,
  kubernetes,
];

export function layerOf(id: ProvisioningLayer): Layer {
  return layers.find(l => l.id === id)!;
}
