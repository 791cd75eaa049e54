import { randomBytes } from 'node:crypto';
import type { ClusterIdentity, EksAccessEntryStore } from '../eksAccessEntries';
import { ApiServerDouble, ObjectStore, startApiServer } from './apiServer';
import type { DriverAws } from './driverAws';
import { EfsCsiDriverSimulation } from './efsCsiDriver';
import { eksAuthenticator } from './eksAuthentication';
import { kindByName } from './resources';
import { makeServingCertificate } from './servingCertificate';

/**
 * The Kubernetes API double for one sandbox cluster: an API server over an
 * in-memory store, the namespaces every cluster starts with, and the
 * simulated EFS CSI driver, which the sandbox's EKS add-on installs.
 */
export interface KubernetesDouble extends ApiServerDouble {
  driver: EfsCsiDriverSimulation;
  /** Back to a fresh cluster: system namespaces only, no driver. */
  reset(): void;
}

function seedNamespaces(store: ObjectStore) {
  for (const name of [
    'default',
    'kube-system',
    'kube-public',
    'kube-node-lease',
  ]) {
    store.create(kindByName('Namespace')!, undefined, { metadata: { name } });
  }
}

/** How an EKS cluster's API server learns who a token is from: the emulator's STS and the cluster's access entries. */
export interface EksAuthentication {
  /** The emulator itself (not the gateway). */
  upstream: string;
  /** The secrets of the temporary keys its STS issued. */
  issuedSecrets: Map<string, string>;
  cluster: ClusterIdentity;
  accessEntries: EksAccessEntryStore;
}

export async function startKubernetesDouble(
  options: { eks?: EksAuthentication; driverAws?: DriverAws } = {},
): Promise<KubernetesDouble> {
  const store = new ObjectStore();
  const driver = new EfsCsiDriverSimulation(store, options.driverAws);
  seedNamespaces(store);
  const token = randomBytes(24).toString('hex');
  const { eks } = options;
  const server = await startApiServer(store, {
    token,
    tls: await makeServingCertificate(),
    authenticate: eks ? eksAuthenticator(eks) : undefined,
  });
  return {
    ...server,
    driver,
    reset() {
      store.clear();
      seedNamespaces(store);
    },
  };
}
