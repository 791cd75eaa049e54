/* eslint-disable no-console */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { stringify } from 'yaml';
import { eksGetToken, execCredential } from './eksGetToken';
import { startEmulator } from './emulator';
import { SANDBOX } from './layout';
import { sandboxKubernetesConfig, startSandboxCluster } from './sandboxCluster';
import { SANDBOX_PLATFORM_CREDENTIALS, seedSandbox, SeedReport } from './seed';

function printReport(report: SeedReport) {
  for (const line of report.created) console.log(`  created  ${line}`);
  for (const line of report.existing) console.log(`  exists   ${line}`);
  console.log(
    `Sandbox seeded: ${report.created.length} created, ${report.existing.length} already there.`,
  );
}

/** Config the portal needs to run on the sandbox, layered over app-config.yaml. */
function sandboxAppConfig(cluster: { url: string; caData: string }) {
  return {
    kubernetes: sandboxKubernetesConfig(cluster),
    aws: {
      mainAccount: { region: SANDBOX.region },
      accountDefaults: {
        roleName: SANDBOX.portalRoleName,
        region: SANDBOX.region,
      },
    },
  };
}

/**
 * A kubeconfig for the sandbox cluster, as `aws eks update-kubeconfig`
 * writes one: the cluster's CA, and an exec plugin that mints an EKS token
 * (here `sandbox eks-token`, standing in for `aws eks get-token`) for the
 * admin role, which has an access entry on the cluster.
 */
function kubeconfig(
  cluster: { url: string; caData: string },
  endpoint: string,
) {
  const name = SANDBOX.eks.clusterName;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: cluster.url,
          'certificate-authority-data': cluster.caData,
        },
      },
    ],
    users: [
      {
        name: 'sandbox-admin',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: process.execPath,
            args: [
              require.resolve('tsx/cli'),
              __filename,
              'eks-token',
              '--cluster',
              name,
            ],
            env: [{ name: 'AWS_ENDPOINT_URL', value: endpoint }],
            interactiveMode: 'Never',
          },
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: 'sandbox-admin' } }],
    'current-context': name,
  };
}

/** An ExecCredential for kubectl: an EKS token of the sandbox's admin role in the cluster's account. */
async function eksToken(clusterName: string) {
  const token = await eksGetToken({
    credentials: fromTemporaryCredentials({
      masterCredentials: SANDBOX_PLATFORM_CREDENTIALS,
      params: {
        RoleArn: `arn:aws:iam::${SANDBOX.eks.accountId}:role/${SANDBOX.adminRoleName}`,
        RoleSessionName: 'kubectl',
      },
      clientConfig: { region: SANDBOX.region },
    }),
    clusterName,
    region: SANDBOX.region,
  });
  process.stdout.write(JSON.stringify(execCredential(token)));
}

async function start(stateDir: string) {
  mkdirSync(stateDir, { recursive: true });
  const envFile = join(stateDir, 'env');
  rmSync(envFile, { force: true });

  const emulator = await startEmulator();
  const cluster = await startSandboxCluster(emulator);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    rmSync(envFile, { force: true });
    await cluster.close();
    await emulator.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);

  console.log(`AWS emulator listening on ${emulator.endpoint}`);
  console.log(
    `Kubernetes API double for ${SANDBOX.eks.clusterName} listening on ${cluster.url}`,
  );
  printReport(await seedSandbox(emulator.endpoint));

  writeFileSync(
    join(stateDir, 'kubeconfig'),
    `# Written by the sandbox on every start; do not edit.\n${stringify(
      kubeconfig(cluster, emulator.endpoint),
    )}`,
  );
  writeFileSync(
    join(stateDir, 'app-config.sandbox.yaml'),
    `# Written by the sandbox on every start; do not edit.\n${stringify(
      sandboxAppConfig(cluster),
    )}`,
  );
  // Written last: its presence tells ./dev the sandbox is ready.
  writeFileSync(
    envFile,
    [
      `AWS_ENDPOINT_URL=${emulator.endpoint}`,
      `AWS_REGION=${SANDBOX.region}`,
      // The emulator's stand-in for the portal's own identity; not a secret.
      `AWS_ACCESS_KEY_ID=${SANDBOX_PLATFORM_CREDENTIALS.accessKeyId}`,
      `AWS_SECRET_ACCESS_KEY=${SANDBOX_PLATFORM_CREDENTIALS.secretAccessKey}`,
      '',
    ].join('\n'),
  );
  // Stay up until stopped.
  setInterval(() => {}, 1 << 30);
}

async function seed(endpoint: string) {
  printReport(await seedSandbox(endpoint));
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const option = (name: string) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  switch (command) {
    case 'start':
      return start(resolve(option('state-dir') ?? '.sandbox'));
    case 'eks-token':
      return eksToken(option('cluster') ?? SANDBOX.eks.clusterName);
    case 'seed': {
      const endpoint = option('endpoint') ?? process.env.AWS_ENDPOINT_URL;
      if (!endpoint) {
        throw new Error(
          'seed needs --endpoint URL (or AWS_ENDPOINT_URL) of a running emulator',
        );
      }
      return seed(endpoint);
    }
    default:
      throw new Error(
        'usage: sandbox start [--state-dir DIR] | sandbox seed --endpoint URL | sandbox eks-token [--cluster NAME]',
      );
  }
}

main(process.argv.slice(2)).catch(e => {
  console.error(`sandbox: ${e.message}`);
  process.exit(1);
});
