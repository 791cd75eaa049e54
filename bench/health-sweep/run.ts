/* eslint-disable no-console */
/**
 * bench/health-sweep: the scheduled health sweep at scale, in the emulator.
 *
 * 200 connections: 10 file systems in one EFS account x 20 EKS accounts
 * (one cluster and VPC each). Every AWS call waits a fixed latency (an SDK
 * middleware, after the sweep's read cache). Prints, for the sweep and for a
 * one-connection-at-a-time baseline in the same process: AWS calls and wall
 * time; and the critical path (one connection checked alone, whose chain of
 * dependent calls no sweep can shorten). The emulator serves calls one at
 * a time, so both are measured again with its answers replayed at the same
 * latency (answerReplay.ts): the sweep's own shape, as in AWS.
 *
 *   yarn bench:health-sweep [--latency-ms 40] [--concurrency 10] [--runs 5]
 *                           [--skip-baseline] [--timeline]
 *
 * --concurrency: AWS calls in flight per service, account and region.
 */
import {
  CreateMountTargetCommand,
  CreateFileSystemCommand,
  EFSClient,
} from '@aws-sdk/client-efs';
import {
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSubnetsCommand,
  DescribeSecurityGroupsCommand,
  AssociateRouteTableCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ConfigReader } from '@backstage/config';
import type {
  ConnectionOptions,
  ConnectionSpec,
} from '@internal/plugin-cross-account-efs-common';
import {
  AwsCallCounter,
  AwsClients,
  checkConnection,
  checkConnections,
  ClientMiddleware,
  connectNetwork,
  createEngineContext,
  discoverTopology,
  planIam,
  runPlan,
} from '@internal/plugin-cross-account-efs-node';
import {
  SANDBOX,
  SANDBOX_PLATFORM_CREDENTIALS,
  sandboxAwsIntegrationConfig,
  startSeededEmulator,
} from '@internal/sandbox';
import { AnswerReplay } from './answerReplay';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const LATENCY_MS = arg('latency-ms', 40);
const CONCURRENCY = arg('concurrency', 10);
const FILE_SYSTEMS = arg('file-systems', 10);
const CLUSTER_ACCOUNTS = arg('cluster-accounts', 20);
/** --skip-baseline: leave out the slow one-at-a-time run (while iterating). */
const SKIP_BASELINE = process.argv.includes('--skip-baseline');
/** Timed runs per replayed figure; the median is reported. */
const RUNS = arg('runs', 5);
/** --timeline: when each call to the busiest accounts held its slot, in one replayed sweep. */
const TIMELINE = process.argv.includes('--timeline');

const region = SANDBOX.region;
const options: ConnectionOptions = {
  storageClassName: 'efs-shared',
  directoryPerms: '700',
  nfsIngressMode: 'cidr',
  workloadIdentity: 'irsa',
  rootAccess: false,
};

function admin(endpoint: string, accountId: string) {
  return {
    region,
    endpoint,
    credentials: fromTemporaryCredentials({
      masterCredentials: SANDBOX_PLATFORM_CREDENTIALS,
      params: {
        RoleArn: `arn:aws:iam::${accountId}:role/${SANDBOX.adminRoleName}`,
        RoleSessionName: 'bench',
      },
      clientConfig: { region, endpoint },
    }),
  };
}

/** More file systems in the seeded EFS account, with a mount target in each subnet. */
async function seedFileSystems(endpoint: string): Promise<string[]> {
  const config = admin(endpoint, SANDBOX.efs.accountId);
  const ec2 = new EC2Client(config);
  const efs = new EFSClient(config);
  const { Subnets = [] } = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: 'tag:Name', Values: SANDBOX.efs.subnets.map(s => s.name) },
      ],
    }),
  );
  const { SecurityGroups = [] } = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'group-name', Values: [SANDBOX.efs.securityGroupName] },
      ],
    }),
  );
  const ids: string[] = [SANDBOX.efs.fileSystemId];
  for (let i = 1; i < FILE_SYSTEMS; i++) {
    const fs = await efs.send(
      new CreateFileSystemCommand({
        CreationToken: `bench-${i}`,
        Encrypted: true,
      }),
    );
    for (const subnet of Subnets) {
      await efs.send(
        new CreateMountTargetCommand({
          FileSystemId: fs.FileSystemId!,
          SubnetId: subnet.SubnetId!,
          SecurityGroups: [SecurityGroups[0].GroupId!],
        }),
      );
    }
    ids.push(fs.FileSystemId!);
  }
  return ids;
}

/** One EKS account: a VPC (its own /16), three subnets in the file system's AZs, a cluster. */
async function seedClusterAccount(endpoint: string, index: number) {
  const accountId = String(300000000000 + index);
  const config = admin(endpoint, accountId);
  const ec2 = new EC2Client(config);
  const eks = new EKSClient(config);
  const cidr = `10.${100 + index}.0.0/16`;
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const vpcId = Vpc!.VpcId!;
  await ec2.send(
    new ModifyVpcAttributeCommand({
      VpcId: vpcId,
      EnableDnsHostnames: { Value: true },
    }),
  );
  const { RouteTable } = await ec2.send(
    new CreateRouteTableCommand({ VpcId: vpcId }),
  );
  const subnetIds: string[] = [];
  for (const [i, s] of SANDBOX.efs.subnets.entries()) {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: `10.${100 + index}.${i + 1}.0/24`,
        AvailabilityZone: s.az,
      }),
    );
    subnetIds.push(Subnet!.SubnetId!);
    await ec2.send(
      new AssociateRouteTableCommand({
        RouteTableId: RouteTable!.RouteTableId!,
        SubnetId: Subnet!.SubnetId!,
      }),
    );
  }
  const clusterName = `cluster-${index}`;
  await ec2.send(
    new CreateSecurityGroupCommand({
      GroupName: `eks-cluster-sg-${clusterName}`,
      Description: 'EKS cluster security group',
      VpcId: vpcId,
      TagSpecifications: [
        {
          ResourceType: 'security-group',
          Tags: [{ Key: 'aws:eks:cluster-name', Value: clusterName }],
        },
      ],
    }),
  );
  await eks.send(
    new CreateClusterCommand({
      name: clusterName,
      roleArn: `arn:aws:iam::${accountId}:role/eks-cluster`,
      resourcesVpcConfig: { subnetIds },
    }),
  );
  return { accountId, region, clusterName };
}

/** "Command x count" for the commands called most, most first. */
function countsOf(items: string[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of items) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function tally(items: string[]): string {
  return countsOf(items)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
}

/** Fixed latency on every call that reaches the emulator. */
const latency: ClientMiddleware = () => ({
  applyToStack: stack =>
    stack.add(
      next => async args => {
        await new Promise(r => setTimeout(r, LATENCY_MS));
        return next(args);
      },
      { step: 'build', name: 'benchLatency' },
    ),
});

async function main() {
  const emulator = await startSeededEmulator();
  try {
    const setupStarted = Date.now();
    const fileSystemIds = await seedFileSystems(emulator.endpoint);
    const clusters = await Promise.all(
      Array.from({ length: CLUSTER_ACCOUNTS }, (_, i) =>
        seedClusterAccount(emulator.endpoint, i + 1),
      ),
    );
    const connections: ConnectionSpec[] = clusters.flatMap(cluster =>
      fileSystemIds.map(fileSystemId => ({
        fileSystem: { accountId: SANDBOX.efs.accountId, region, fileSystemId },
        cluster,
      })),
    );
    const config = new ConfigReader({ aws: sandboxAwsIntegrationConfig() });
    const logger = { info: () => {}, warn: () => {} };
    const plain = createEngineContext({
      aws: AwsClients.fromConfig(config),
      logger,
    });
    // Provision the network and IAM of every connection; per cluster in order (they share the peering).
    await Promise.all(
      clusters.map(async cluster => {
        for (const spec of connections.filter(
          c => c.cluster.clusterName === cluster.clusterName,
        )) {
          const { topology } = await connectNetwork(plain, spec, {
            nfsIngressMode: 'cidr',
          });
          await runPlan(
            plain,
            await planIam(plain, topology, {
              workloadIdentity: 'pod-identity',
            }),
          );
        }
      }),
    );
    console.log(
      `set-up: ${connections.length} connections (${
        fileSystemIds.length
      } file systems x ${clusters.length} EKS accounts) provisioned in ${(
        (Date.now() - setupStarted) /
        1000
      ).toFixed(1)} s`,
    );

    const counter = new AwsCallCounter();
    const replay = new AnswerReplay();
    const measured = createEngineContext({
      aws: AwsClients.fromConfig(config, {
        middleware: [counter.middleware, latency, replay.recorder],
      }),
      logger,
    });
    const toCheck = connections.map(spec => ({
      spec,
      options: { ...options, workloadIdentity: 'pod-identity' as const },
    }));
    const run = async (label: string, fn: () => Promise<unknown>, runs = 1) => {
      const walls: number[] = [];
      for (let i = 0; i < runs; i++) {
        counter.reset();
        const started = performance.now();
        await fn();
        walls.push(Math.round(performance.now() - started));
      }
      const wall = [...walls].sort((a, b) => a - b)[Math.floor(runs / 2)];
      console.log(
        `${label.padEnd(34)} ${String(counter.calls.length).padStart(
          6,
        )} AWS calls ${String(wall).padStart(7)} ms${
          runs > 1 ? ` (median of ${walls.join(', ')})` : ''
        }`,
      );
      return {
        calls: counter.calls.length,
        wall,
        byCommand: tally(counter.calls.map(c => c.command)),
        busiest: countsOf(
          counter.calls.map(c => `${c.service} in ${c.accountId}`),
        )[0],
      };
    };

    const medianOf = (label: string, fn: () => Promise<unknown>) =>
      run(label, fn, RUNS);

    // Steady state, as a running backend sweeps every few minutes: clients
    // made and credentials assumed before anything is timed.
    const warmUp = (engine: typeof measured) =>
      checkConnections(engine, toCheck, { concurrency: CONCURRENCY });
    await warmUp(measured);
    const one = await run('critical path (1 connection alone)', () =>
      checkConnections(measured, [toCheck[0]]),
    );
    let verdicts = new Map<string, { layer: string; status: string }[]>();
    const sweep = await run(
      `sweep (${CONCURRENCY} calls/account)`,
      async () => {
        verdicts = await checkConnections(measured, toCheck, {
          concurrency: CONCURRENCY,
        });
      },
    );
    // Verdicts per layer: network and IAM were provisioned, the add-on and
    // Kubernetes were not (no cluster API here), so those layers say so.
    const verdictTally = tally(
      [...verdicts.values()].flatMap(results =>
        results.map(r => `${r.layer} ${r.status}`),
      ),
    );
    // The same two runs with the emulator's answers replayed at the same
    // latency: the sweep's own shape, without the emulator's serial service.
    const replayed = createEngineContext({
      aws: AwsClients.fromConfig(config, {
        middleware: [counter.middleware, replay.replayer(LATENCY_MS)],
      }),
      logger,
    });
    await warmUp(replayed);
    // Replayed runs vary only with this process's scheduling (timers, GC):
    // each figure is the median of RUNS.
    const oneReplayed = await medianOf('critical path, replayed answers', () =>
      checkConnections(replayed, [toCheck[0]]),
    );
    const sweepReplayed = await medianOf(`sweep, replayed answers`, () =>
      checkConnections(replayed, toCheck, { concurrency: CONCURRENCY }),
    );
    if (TIMELINE) {
      // When each call to the busiest accounts held its slot: where the
      // per-account bound, or this process's own work, stretches the sweep.
      replay.startTimeline();
      await checkConnections(replayed, toCheck, { concurrency: CONCURRENCY });
      for (const line of replay.timelineByAccount(4)) console.log(line);
    }
    // This process's own work in the sweep: replayed answers, no latency.
    const ownWork = createEngineContext({
      aws: AwsClients.fromConfig(config, {
        middleware: [counter.middleware, replay.replayer(0)],
      }),
      logger,
    });
    await warmUp(ownWork);
    const sweepOwnWork = await medianOf('sweep, replayed, no latency', () =>
      checkConnections(ownWork, toCheck, { concurrency: CONCURRENCY }),
    );
    const baseline = SKIP_BASELINE
      ? { calls: NaN, wall: NaN, byCommand: '', busiest: ['', NaN] }
      : await run('baseline (one at a time)', async () => {
          for (const c of toCheck) {
            const t = await discoverTopology(measured, c.spec);
            await checkConnection(measured, t, c.options);
          }
        });
    console.log('');
    console.log(`sweep verdicts (checks per layer): ${verdictTally}`);
    console.log(`sweep calls by command: ${sweep.byCommand}`);
    // The calls one service in one account must make, CONCURRENCY at a time,
    // take at least this long whatever the chain: the sweep's other bound.
    const [busiest, busiestCalls] = sweep.busiest;
    console.log(
      `busiest: ${busiest}, ${busiestCalls} calls at ${CONCURRENCY} in flight = at least ${
        Math.ceil(busiestCalls / CONCURRENCY) * LATENCY_MS
      } ms of queue`,
    );
    console.log(`latency per call: ${LATENCY_MS} ms`);
    console.log(
      `calls: baseline / sweep = ${(baseline.calls / sweep.calls).toFixed(
        1,
      )}x (target >= 10x)`,
    );
    console.log(
      `wall, emulator: sweep / critical path = ${(
        sweep.wall / one.wall
      ).toFixed(2)}x; baseline / sweep = ${(baseline.wall / sweep.wall).toFixed(
        1,
      )}x (the emulator serves one call at a time, ~${(
        sweep.wall / sweep.calls
      ).toFixed(1)} ms each in this sweep)`,
    );
    console.log(
      `critical path: a chain of ~${Math.round(
        oneReplayed.wall / LATENCY_MS,
      )} dependent calls (one connection alone, replayed: ${
        oneReplayed.wall
      } ms at ${LATENCY_MS} ms per call)`,
    );
    console.log(
      `wall, replayed answers at ${LATENCY_MS} ms: sweep / critical path = ${(
        sweepReplayed.wall / oneReplayed.wall
      ).toFixed(2)}x (target <= 1.5x); ${
        sweepOwnWork.wall
      } ms of it is this process's own work (replayed, no latency); ${
        replay.missed
      } call(s) not in the recording went to the emulator`,
    );
  } finally {
    await emulator.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
