/* eslint-disable no-console */
/**
 * bench/provisioning: one connection provisioned as the scaffolder does it
 * (layer after layer, each planned just before it is applied), with AWS's
 * slow steps as long as AWS makes them. Prints the wall time against the
 * longest chain of waits that truly depend on each other (target <= 1.15x).
 *
 *   yarn bench:provisioning [--scale 1] [--order iam,csi-driver,...]
 *
 * --scale: 1 is AWS's real durations (the run takes about two minutes);
 * 0.1 runs ten times faster, with the engine's poll intervals unscaled.
 *
 * The emulator settles everything at once, so a client middleware holds
 * each slow step in its pending state for its real duration: a peering is
 * `provisioning` after it is accepted, an add-on CREATING or UPDATING after
 * it is created or updated. Route 53's INSYNC and IAM's propagation are not
 * waited for by the engine (the API double binds and mounts at once), so
 * they enter the bound and the finish as constraints: the test pod cannot
 * mount before the zones' records are INSYNC and the peering is active,
 * nor the driver assume a role before IAM has propagated it.
 */
import type { ConnectionSpec } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  AwsClients,
  ClientMiddleware,
  createEngineContext,
  KubernetesClusters,
  provision,
  provisioningLayers,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { ConfigReader } from '@backstage/config';
import {
  SANDBOX_CONNECTION,
  sandboxAwsIntegrationConfig,
  sandboxKubernetesConfig,
  startSeededEmulator,
} from '@internal/sandbox';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const SCALE = arg('scale', 1);
/** --order: the layers in another order (the one before was peering first, iam fifth). */
const order = process.argv.includes('--order')
  ? (process.argv[process.argv.indexOf('--order') + 1].split(
      ',',
    ) as (typeof provisioningLayers)[number][])
  : provisioningLayers;

/** AWS's durations of the slow steps, in seconds (sources: bench/README.md). */
const REAL = {
  peeringActive: 10,
  addonActive: 90,
  recordInSync: 60,
  iamPropagation: 10,
};
const ms = (seconds: number) => seconds * 1000 * SCALE;

/** When each slow step started, and what it holds back until it is done. */
class SlowSteps {
  readonly t0 = performance.now();
  accepted?: number;
  addonStarted?: number;
  lastRecordChange?: number;
  lastIamChange?: number;
  /** When the engine first saw the add-on ACTIVE. */
  addonSeenActive?: number;
  readonly steps: Array<{ layer: string; start: number; end: number }> = [];

  now() {
    return performance.now() - this.t0;
  }

  readonly middleware: ClientMiddleware = () => ({
    applyToStack: stack =>
      stack.add(
        (next, context) => async args => {
          const command = String(context.commandName).replace(/Command$/, '');
          const result: any = await next(args);
          const now = this.now();
          if (command === 'AcceptVpcPeeringConnection') this.accepted = now;
          if (command === 'CreateAddon' || command === 'UpdateAddon')
            this.addonStarted = now;
          if (command === 'ChangeResourceRecordSets')
            this.lastRecordChange = now;
          if (
            /^(CreateRole|UpdateAssumeRolePolicy|PutRolePolicy|PutFileSystemPolicy|CreateOpenIDConnectProvider)$/.test(
              command,
            )
          )
            this.lastIamChange = now;
          if (
            command === 'DescribeVpcPeeringConnections' &&
            this.accepted !== undefined &&
            now < this.accepted + ms(REAL.peeringActive)
          ) {
            const output = structuredClone(result.output);
            for (const p of output.VpcPeeringConnections ?? []) {
              if (p.Status?.Code === 'active') p.Status.Code = 'provisioning';
            }
            return { ...result, output };
          }
          if (
            command === 'DescribeAddon' &&
            this.addonStarted !== undefined &&
            now < this.addonStarted + ms(REAL.addonActive) &&
            result.output.addon?.status === 'ACTIVE'
          ) {
            const output = structuredClone(result.output);
            output.addon.status = 'CREATING';
            return { ...result, output };
          }
          if (
            command === 'DescribeAddon' &&
            this.addonStarted !== undefined &&
            this.addonSeenActive === undefined &&
            result.output.addon?.status === 'ACTIVE'
          )
            this.addonSeenActive = now;
          return result;
        },
        { step: 'initialize', name: 'benchSlowSteps' },
      ),
  });
}

async function main() {
  const emulator = await startSeededEmulator();
  try {
    const config = new ConfigReader({
      aws: sandboxAwsIntegrationConfig(),
      kubernetes: sandboxKubernetesConfig(emulator.kubernetes),
    });
    const slow = new SlowSteps();
    const ctx = createEngineContext({
      aws: AwsClients.fromConfig(config, { middleware: [slow.middleware] }),
      kubernetes: KubernetesClusters.fromConfig(config),
      logger: { info: () => {}, warn: () => {} },
    });
    const spec: ConnectionSpec = SANDBOX_CONNECTION;
    const options = {
      storageClassName: 'efs-bench',
      namespace: 'bench',
      nfsIngressMode: 'cidr' as const,
      verify: true,
    };
    for (const layer of order) {
      const start = slow.now();
      await provision(ctx, spec, options, [layer]);
      slow.steps.push({ layer, start, end: slow.now() });
    }
    const engineDone = slow.now();
    // What the double does not wait for: the test pod mounts only once the
    // records are INSYNC and the peering is active; the driver assumes the
    // EFS-account role only once IAM has propagated it.
    const mountableAt = Math.max(
      (slow.lastRecordChange ?? 0) + ms(REAL.recordInSync),
      (slow.accepted ?? 0) + ms(REAL.peeringActive),
      (slow.lastIamChange ?? 0) + ms(REAL.iamPropagation),
    );
    const wall = Math.max(engineDone, mountableAt);
    const step = (layer: string) => {
      const s = slow.steps.find(x => x.layer === layer)!;
      return s.end - s.start;
    };
    const began = (layer: string) =>
      slow.steps.find(x => x.layer === layer)!.start;
    // The chains of true dependencies, each from its API calls (measured)
    // and AWS's durations (modelled), without any poll's overshoot:
    // IAM's roles -> the add-on (its role) -> ACTIVE -> the cluster's
    // objects and test claim (which need IAM propagated too); the peering
    // request -> accepted -> active -> routes; the zones' records -> INSYNC.
    const chains = {
      'iam -> add-on ACTIVE -> kubernetes':
        step('iam') +
        step('csi-driver') +
        Math.max(ms(REAL.addonActive), ms(REAL.iamPropagation)) +
        // The cluster's objects and the test claim, once the driver runs.
        (slow.steps.at(-1)!.end -
          Math.max(slow.addonSeenActive ?? 0, began('kubernetes'))),
      'peering accepted -> active -> routes':
        (slow.accepted ?? 0) -
        began('peering') +
        ms(REAL.peeringActive) +
        step('routes'),
      'dns records -> INSYNC':
        (slow.lastRecordChange ?? 0) - began('dns') + ms(REAL.recordInSync),
    };
    const bound = Math.max(...Object.values(chains));
    console.log(
      `slow steps (s, x${SCALE}): peering active ${REAL.peeringActive}, add-on ACTIVE ${REAL.addonActive}, Route 53 INSYNC ${REAL.recordInSync}, IAM propagation ${REAL.iamPropagation}`,
    );
    for (const s of slow.steps)
      console.log(
        `  ${s.layer.padEnd(12)} ${(s.start / 1000)
          .toFixed(1)
          .padStart(6)} s -> ${(s.end / 1000).toFixed(1).padStart(6)} s`,
      );
    for (const [name, t] of Object.entries(chains))
      console.log(`  chain ${name}: ${(t / 1000).toFixed(1)} s`);
    console.log(
      `wall ${(wall / 1000).toFixed(1)} s (engine done ${(
        engineDone / 1000
      ).toFixed(1)} s, mountable ${(mountableAt / 1000).toFixed(
        1,
      )} s) vs longest chain ${(bound / 1000).toFixed(1)} s = ${(
        wall / bound
      ).toFixed(2)}x (target <= 1.15x)`,
    );
  } finally {
    await emulator.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
