import { randomBytes } from 'node:crypto';
import { ApiServerDouble, ObjectStore, startApiServer } from './apiServer';
import { EfsCsiDriverSimulation } from './efsCsiDriver';
import { kindByName } from './resources';

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

export async function startKubernetesDouble(): Promise<KubernetesDouble> {
  const store = new ObjectStore();
  const driver = new EfsCsiDriverSimulation(store);
  seedNamespaces(store);
  const token = randomBytes(24).toString('hex');
  const server = await startApiServer(store, token);
  return {
    ...server,
    driver,
    reset() {
      store.clear();
      seedNamespaces(store);
    },
  };
}
