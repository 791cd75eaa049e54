import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { SANDBOX } from './layout';
import { SANDBOX_PLATFORM_CREDENTIALS } from './seed';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  StorageV1Api,
} from '@kubernetes/client-node';

/** Plain SDK clients, not the engine's, for reading back what it did. */
export function independent(accountId: string) {
  const config = {
    region: SANDBOX.region,
    credentials: fromTemporaryCredentials({
      masterCredentials: SANDBOX_PLATFORM_CREDENTIALS,
      params: {
        RoleArn: `arn:aws:iam::${accountId}:role/${SANDBOX.portalRoleName}`,
        RoleSessionName: 'verify',
      },
      clientConfig: { region: SANDBOX.region },
    }),
  };
  return {
    ec2: new EC2Client(config),
    efs: new EFSClient(config),
    eks: new EKSClient(config),
    iam: new IAMClient({ ...config, region: 'us-east-1' }),
    r53: new Route53Client({ ...config, region: 'us-east-1' }),
  };
}

/** Plain Kubernetes clients for the sandbox cluster, not the engine's. */
export function independentKubernetes(cluster: {
  url: string;
  token: string;
  caData: string;
}) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: cluster.url, caData: cluster.caData }],
    users: [{ name: 'u', token: cluster.token }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  return {
    core: kc.makeApiClient(CoreV1Api),
    storage: kc.makeApiClient(StorageV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}
