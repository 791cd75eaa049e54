/* eslint-disable no-console */
/**
 * bench/health-sweep: the scheduled health sweep at scale.
 *
 * Connections: --file-systems in one EFS account x --cluster-accounts EKS
 * accounts (one cluster and VPC each), network and IAM provisioned in the
 * emulator, every cluster's Kubernetes checks against the sandbox's API
 * double. The emulator's answers are recorded once, then replayed with a
 * jittered latency (--min-ms..--max-ms) below the SDK's retry, and AWS's
 * side is modelled as token buckets at AWS's published request rates that
 * answer Throttling when empty. Prints calls against checking one
 * connection at a time, throttled calls (target 0), and wall time against
 * the quota bound (the busiest service and account: calls / rate, plus one
 * connection's chain), target <= 1.2x.
 *
 *   yarn bench:health-sweep [--file-systems 25] [--cluster-accounts 40]
 *                           [--min-ms 30] [--max-ms 120] [--runs 3]
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
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  AWS_REQUEST_QUOTAS,
  AwsCallCounter,
  AwsClients,
  checkConnection,
  checkConnections,
  createEngineContext,
  KubernetesClusters,
  discoverTopology,
  provision,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import {
  SANDBOX,
  SANDBOX_PLATFORM_CREDENTIALS,
  sandboxAwsIntegrationConfig,
  sandboxKubernetesConfig,
  startSeededEmulator,
} from '@internal/sandbox';
import { AnswerReplay } from './answerReplay';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const LATENCY = { min: arg('min-ms', 30), max: arg('max-ms', 120) };
const FILE_SYSTEMS = arg('file-systems', 25);
const CLUSTER_ACCOUNTS = arg('cluster-accounts', 40);
/** Timed runs per replayed figure; the median is reported. */
const RUNS = arg('runs', 3);

const region = SANDBOX.region;
const options: ConnectionOptions = {
  storageClassName: 'efs-shared',
  directoryPerms: '700',
  connectivity: 'peering',
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

/**
 * AWS's side: one token bucket per service and account, at AWS's published
 * rates, full at the start of each measured run (sweeps run minutes apart).
 */
const buckets = new Map<string, { tokens: number; at: number }>();
function awsBuckets() {
  return (target: { service: string; accountId: string }) => {
    const quota = AWS_REQUEST_QUOTAS[target.service];
    if (!quota) return true;
    const key = `${target.service}/${target.accountId}`;
    const now = performance.now();
    const b = buckets.get(key) ?? { tokens: quota.burst, at: now };
    b.tokens = Math.min(
      quota.burst,
      b.tokens + ((now - b.at) / 1000) * quota.perSecond,
    );
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
}

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
    const config = new ConfigReader({
      aws: sandboxAwsIntegrationConfig(),
      // Every cluster's checks go to the sandbox's API double.
      kubernetes: (() => {
        const one: any = sandboxKubernetesConfig(emulator.kubernetes);
        const template = one.clusterLocatorMethods[0].clusters[0];
        one.clusterLocatorMethods[0].clusters = clusters.map(c => ({
          ...template,
          name: c.clusterName,
        }));
        return one;
      })(),
    });
    const kubernetes = KubernetesClusters.fromConfig(config);
    const logger = { info: () => {}, warn: () => {} };
    const plain = createEngineContext({
      aws: AwsClients.fromConfig(config),
      kubernetes,
      logger,
    });
    // Network and IAM of every connection; per cluster in order (they share the peering).
    await Promise.all(
      clusters.map(async cluster => {
        for (const spec of connections.filter(
          c => c.cluster.clusterName === cluster.clusterName,
        )) {
          await provision(
            plain,
            spec,
            { nfsIngressMode: 'cidr', workloadIdentity: 'pod-identity' },
            ['peering', 'routes', 'nfs-ingress', 'dns', 'iam'],
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
    const toCheck = connections.map((spec, i) => ({
      spec,
      options: {
        ...options,
        storageClassName: `efs-${i % FILE_SYSTEMS}`,
        workloadIdentity: 'pod-identity' as const,
      },
    }));

    const counter = new AwsCallCounter();
    const replay = new AnswerReplay();
    // Record every answer once, from the emulator.
    const recording = createEngineContext({
      aws: AwsClients.fromConfig(config, {
        middleware: [replay.recorder],
      }),
      kubernetes,
      logger,
    });
    await checkConnections(recording, toCheck, { quotas: false });
    for (const c of toCheck.slice(0, 1))
      await checkConnection(
        recording,
        await discoverTopology(recording, c.spec),
        c.options,
      );
    const replayed = (latency: { min: number; max: number }, aws = true) =>
      createEngineContext({
        aws: AwsClients.fromConfig(config, {
          middleware: [
            counter.middleware,
            replay.replayer(latency, aws ? awsBuckets() : undefined),
          ],
          maxAttempts: 10,
        }),
        kubernetes,
        logger,
      });
    const run = async (
      label: string,
      fn: () => Promise<unknown>,
      runs = RUNS,
    ) => {
      const walls: number[] = [];
      let calls = 0;
      let throttled = 0;
      let busiest: [string, number] = ['', 0];
      for (let i = 0; i < runs; i++) {
        counter.reset();
        buckets.clear();
        replay.throttled = 0;
        const started = performance.now();
        await fn();
        walls.push(Math.round(performance.now() - started));
        calls = counter.calls.length;
        throttled = replay.throttled;
        // The busiest queue: the service and account whose calls take
        // longest at AWS's rate.
        busiest = countsOf(
          counter.calls.map(c => `${c.service} ${c.accountId}`),
        ).sort(
          (a, b) =>
            b[1] / (AWS_REQUEST_QUOTAS[b[0].split(' ')[0]]?.perSecond ?? 1e9) -
            a[1] / (AWS_REQUEST_QUOTAS[a[0].split(' ')[0]]?.perSecond ?? 1e9),
        )[0];
      }
      const wall = [...walls].sort((a, b) => a - b)[Math.floor(runs / 2)];
      console.log(
        `${label.padEnd(44)} ${String(calls).padStart(6)} calls ${String(
          throttled,
        ).padStart(5)} throttled ${String(wall).padStart(7)} ms (${walls.join(
          ', ',
        )})`,
      );
      return { calls, throttled, wall, busiest };
    };

    // One at a time, no latency: the calls each connection makes alone.
    const counting = replayed({ min: 0, max: 0 }, false);
    const alone = await run(
      'one connection at a time (calls only)',
      async () => {
        for (const c of toCheck)
          await checkConnections(counting, [c], { quotas: false });
      },
      1,
    );
    const live = replayed(LATENCY);
    // Steady state, as a running backend sweeps: clients made and
    // credentials assumed before anything is timed.
    await checkConnections(live, toCheck);
    const chain = await run('critical path (one connection alone)', () =>
      checkConnections(live, [toCheck[0]]),
    );
    const sweep = await run('sweep (shared reads, paced by quotas)', () =>
      checkConnections(live, toCheck),
    );
    // Without shared reads a sweep makes every connection's calls: at
    // 1,000 connections that is an hour of Route 53 quota, so it runs on a
    // sample of --sample connections only.
    const sample = toCheck.slice(0, arg('sample', 30));
    const sampled = await run(`sweep of ${sample.length} connections`, () =>
      checkConnections(live, sample),
    );
    const unshared = await run(
      `sweep of ${sample.length}, without shared reads`,
      () => checkConnections(live, sample, { shareReads: false }),
    );
    const unpaced = await run('sweep without pacing (SDK retries only)', () =>
      checkConnections(live, toCheck, { quotas: false }),
    );

    const [where, busiestCalls] = sweep.busiest;
    const service = where.split(' ')[0];
    const quota = AWS_REQUEST_QUOTAS[service] ?? {
      burst: Infinity,
      perSecond: Infinity,
    };
    const rate = quota.perSecond;
    // The bucket's burst goes at once; the rest at its refill rate.
    const queued = (Math.max(0, busiestCalls - quota.burst) / rate) * 1000;
    const bound = queued + chain.wall;
    console.log('');
    console.log(
      `model: latency ${LATENCY.min}-${LATENCY.max} ms per AWS call (uniform); AWS-side buckets at the published rates; sweep paced at 90% of them`,
    );
    console.log(
      `calls: one at a time ${alone.calls}, sweep ${sweep.calls} (${(
        alone.calls / sweep.calls
      ).toFixed(1)}x fewer); throttled in the sweep: ${
        sweep.throttled
      } (target 0)`,
    );
    console.log(
      `quota bound: busiest ${where} with ${busiestCalls} calls, a burst of ${
        quota.burst
      } then ${rate}/s = ${Math.round(queued)} ms, plus one chain ${
        chain.wall
      } ms = ${Math.round(bound)} ms`,
    );
    console.log(
      `wall: sweep ${sweep.wall} ms = ${(sweep.wall / bound).toFixed(
        2,
      )}x the quota bound (target <= 1.2x)`,
    );
    console.log(
      `shared reads (on ${sample.length} connections): ${
        sampled.calls
      } calls in ${sampled.wall} ms with, ${unshared.calls} calls in ${
        unshared.wall
      } ms without (${((1 - sampled.wall / unshared.wall) * 100).toFixed(
        0,
      )}% of the wall)`,
    );
    console.log(
      `pacing: without it ${unpaced.throttled} answers were Throttling (retried by the SDK) and the sweep took ${unpaced.wall} ms`,
    );
    console.log(
      `${replay.missed} call(s) were not in the recording and went to the emulator`,
    );
  } finally {
    await emulator.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
