import type { Config } from '@backstage/config';

/** Where a catalog entity says which AWS resource it is. */
export interface EntityMapping {
  fileSystem: {
    types: string[];
    annotations: { accountId: string; region: string; fileSystemId: string };
  };
  cluster: {
    types: string[];
    annotations: { accountId: string; region: string; clusterName: string };
  };
}

/** The defaults: the sandbox's entities and examples/ use these. */
export const DEFAULT_ENTITY_MAPPING: EntityMapping = {
  fileSystem: {
    types: ['efs-file-system'],
    annotations: {
      accountId: 'aws.amazon.com/account-id',
      region: 'aws.amazon.com/region',
      fileSystemId: 'aws.amazon.com/efs-file-system-id',
    },
  },
  cluster: {
    types: ['kubernetes-cluster'],
    annotations: {
      accountId: 'aws.amazon.com/account-id',
      region: 'aws.amazon.com/region',
      clusterName: 'aws.amazon.com/eks-cluster-name',
    },
  },
};

/** `crossAccountEfs.catalog`: which spec.types and annotations identify a file system and a cluster. */
export function entityMappingFromConfig(config: Config): EntityMapping {
  const side = <K extends keyof EntityMapping>(key: K): EntityMapping[K] => {
    const c = config.getOptionalConfig(`crossAccountEfs.catalog.${key}`);
    const defaults = DEFAULT_ENTITY_MAPPING[key];
    const annotations = { ...defaults.annotations } as Record<string, string>;
    for (const name of Object.keys(annotations)) {
      annotations[name] =
        c?.getOptionalString(`annotations.${name}`) ?? annotations[name];
    }
    return {
      types: c?.getOptionalStringArray('types') ?? defaults.types,
      annotations,
    } as EntityMapping[K];
  };
  return { fileSystem: side('fileSystem'), cluster: side('cluster') };
}

/** The AWS ARN annotation AWS-sourced catalog entities carry (AWS Config, Resource Explorer style). */
export const ARN_ANNOTATION = 'aws.amazon.com/arn';

/** Account, region and resource of an ARN of the given service and type, or undefined. */
export function parseArn(
  arn: string | undefined,
  service: string,
  type: string,
): { accountId: string; region: string; id: string } | undefined {
  const m = /^arn:aws[a-z-]*:([^:]+):([^:]+):(\d{12}):([^/]+)\/(.+)$/.exec(
    arn ?? '',
  );
  if (!m || m[1] !== service || m[4] !== type) return undefined;
  return { region: m[2], accountId: m[3], id: m[5] };
}

// The Kubernetes plugin's cluster annotations (catalog cluster locator).
const K8S_API_SERVER = 'kubernetes.io/api-server';
const K8S_AWS_CLUSTER_ID = 'kubernetes.io/x-k8s-aws-id';
const K8S_AWS_ASSUME_ROLE = 'kubernetes.io/aws-assume-role';

/**
 * The file system an entity names: its EFS ARN, else the configured
 * annotations. Fields it cannot find stay undefined, for the caller's
 * validation to name.
 */
export function fileSystemOf(
  annotations: Record<string, string>,
  mapping: EntityMapping,
) {
  const arn = parseArn(
    annotations[ARN_ANNOTATION],
    'elasticfilesystem',
    'file-system',
  );
  const names = mapping.fileSystem.annotations;
  return {
    accountId: arn?.accountId ?? annotations[names.accountId],
    region: arn?.region ?? annotations[names.region],
    fileSystemId: arn?.id ?? annotations[names.fileSystemId],
  };
}

/**
 * The EKS cluster an entity names: its EKS ARN, else the configured
 * annotations, else what the Kubernetes plugin's annotations say (the EKS
 * name in `x-k8s-aws-id`, the region in an EKS API server's host name, the
 * account of the role it assumes).
 */
export function clusterOf(
  annotations: Record<string, string>,
  mapping: EntityMapping,
) {
  const arn = parseArn(annotations[ARN_ANNOTATION], 'eks', 'cluster');
  const names = mapping.cluster.annotations;
  const apiServerRegion =
    /\.([a-z]{2}(?:-[a-z]+)+-\d)\.eks\.amazonaws\.com/.exec(
      annotations[K8S_API_SERVER] ?? '',
    )?.[1];
  const assumeRoleAccount = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(
    annotations[K8S_AWS_ASSUME_ROLE] ?? '',
  )?.[1];
  return {
    accountId:
      arn?.accountId ?? annotations[names.accountId] ?? assumeRoleAccount,
    region: arn?.region ?? annotations[names.region] ?? apiServerRegion,
    clusterName:
      arn?.id ??
      annotations[names.clusterName] ??
      annotations[K8S_AWS_CLUSTER_ID],
  };
}
