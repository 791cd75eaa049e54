import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AwsClients,
  createEngineContext,
  KubernetesClusters,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  sandboxAwsIntegrationConfig,
  sandboxKubernetesConfig,
  SeededEmulator,
  startSeededEmulator,
} from '@internal/sandbox';
import { sandboxRequest } from '../__testUtils__/sandboxRequest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { HealthStore } from './HealthStore';
import { HealthSweep } from './HealthSweep';
import { RequestStore } from './RequestStore';

jest.setTimeout(120_000);

const databases = createTestDatabases();

describe('HealthSweep (AWS emulator and Kubernetes double)', () => {
  let emulator: SeededEmulator;

  beforeAll(async () => {
    emulator = await startSeededEmulator();
  });
  afterAll(() => emulator?.stop());

  it('checks every provisioned connection, stores a snapshot for each, and forgets removed ones', async () => {
    const knex = await databases.init('SQLITE_3');
    const requests = await RequestStore.create(
      mockServices.database.mock({ getClient: async () => knex }),
    );
    const health = new HealthStore(knex);
    const config = new ConfigReader({
      aws: sandboxAwsIntegrationConfig(),
      kubernetes: sandboxKubernetesConfig(emulator.kubernetes),
    });
    const logs: string[] = [];
    const logger = {
      ...mockServices.logger.mock(),
      info: (m: string) => void logs.push(m),
    } as any;
    const sweep = new HealthSweep({
      requests,
      health,
      logger,
      engine: () =>
        createEngineContext({
          aws: AwsClients.fromConfig(config),
          kubernetes: KubernetesClusters.fromConfig(config),
          logger,
        }),
    });
    const base = sandboxRequest;
    const provisioned = await requests.insert(base);
    await requests.transition(provisioned.id, ['pending'], 'approved', {
      approver: 'user:default/approver',
    });
    await requests.transition(provisioned.id, ['approved'], 'provisioned');
    const pending = await requests.insert(base);
    const removed = await requests.insert(base);
    await health.save([
      {
        requestId: removed.id,
        fileSystemRef: base.fileSystemRef,
        clusterRef: base.clusterRef,
        status: 'ok',
        results: [],
        checkedAt: new Date().toISOString(),
      },
    ]);
    await requests.transition(removed.id, ['pending'], 'removed');

    await sweep.sweep();

    const stored = await health.forEntity('resource:default/apps-cluster');
    expect(stored.map(s => s.requestId)).toEqual([provisioned.id]);
    expect(stored.map(s => s.requestId)).not.toContain(pending.id);
    // Nothing was provisioned in the emulator, and the checks say so, layer by layer.
    expect(stored[0].status).toBe('error');
    expect(
      stored[0].results.filter(r => r.status === 'error').map(r => r.layer),
    ).toEqual(expect.arrayContaining(['peering', 'routes', 'dns', 'iam']));
    expect(logs.join('\n')).toMatch(
      /Health sweep: 1 connection\(s\), 1 failing, in \d+ ms/,
    );
  });
});
