import {
  EmulatorEngine,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { prepareConnection } from '../engine/prepareConnection';
import { runPlan } from '../engine/runPlan';
import type { LayerOptions } from '../engine/types';
import { layers } from '.';

jest.setTimeout(180_000);

const options: LayerOptions = {
  storageClassName: 'efs-layers',
  namespace: 'team-layers',
  nfsIngressMode: 'cidr',
  verify: true,
  minPollSeconds: 1,
};

describe('every layer: plan, check and remove (AWS emulator; add-ons: sandbox gateway; cluster: Kubernetes double)', () => {
  let sandbox: EmulatorEngine;
  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  afterAll(() => sandbox?.stop());

  it('each plan applied makes its check ok and leaves nothing to plan; each removal dry run shows its plan and changes nothing; removal leaves nothing to remove', async () => {
    const ctx = sandbox.context();
    const t = await prepareConnection(ctx, sandboxSpec);
    for (const layer of layers) {
      const plan = await layer.plan(ctx, t, options);
      expect({ layer: layer.id, blockers: plan.blockers }).toEqual({
        layer: layer.id,
        blockers: [],
      });
      await runPlan(ctx, plan);
      const again = await layer.plan(ctx, t, options);
      expect({ layer: layer.id, changes: again.changes }).toEqual({
        layer: layer.id,
        changes: [],
      });
    }
    for (const layer of layers) {
      const failing = (await layer.check(ctx, t, options)).filter(
        r => r.status !== 'ok',
      );
      expect({ layer: layer.id, failing }).toEqual({
        layer: layer.id,
        failing: [],
      });
    }

    for (const layer of [...layers].reverse()) {
      sandbox.counter.reset();
      const before = sandbox.emulator.kubernetes.store.snapshot();
      const removal = await layer.remove(ctx, t, options);
      const dryRun = await runPlan(ctx, removal, { dryRun: true });
      expect(sandbox.counter.mutating).toEqual([]);
      expect(sandbox.emulator.kubernetes.store.snapshot()).toEqual(before);
      // The add-on stays for the cluster's other workloads; every other
      // layer has something to take away.
      expect({
        layer: layer.id,
        deletes: dryRun.plan.changes.some(c => c.action === 'delete'),
      }).toEqual({ layer: layer.id, deletes: layer.id !== 'csi-driver' });
      await runPlan(ctx, removal);
      const left = await layer.remove(ctx, t, options);
      expect({ layer: layer.id, left: left.changes }).toEqual({
        layer: layer.id,
        left: [],
      });
    }
  });
});
