/**
 * The AWS partition a region belongs to: ARNs, DNS names and the global
 * services' home region follow it, never the `aws` partition by default.
 *
 * @public
 */
export type AwsPartition = 'aws' | 'aws-us-gov' | 'aws-cn';

/**
 * The partition of a region (`us-gov-west-1` is in `aws-us-gov`,
 * `cn-north-1` in `aws-cn`, every other commercial region in `aws`).
 *
 * @public
 */
export function awsPartitionOf(region: string): AwsPartition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

/**
 * The DNS suffix of a region's service endpoints (`amazonaws.com`, or
 * `amazonaws.com.cn` in China).
 *
 * @public
 */
export function awsDnsSuffixOf(region: string): string {
  return awsPartitionOf(region) === 'aws-cn'
    ? 'amazonaws.com.cn'
    : 'amazonaws.com';
}

/**
 * Where a partition's global services (IAM, Route 53) are called and signed.
 *
 * @public
 */
export function awsGlobalRegionOf(region: string): string {
  const homes: Record<AwsPartition, string> = {
    aws: 'us-east-1',
    'aws-us-gov': 'us-gov-west-1',
    'aws-cn': 'cn-north-1',
  };
  return homes[awsPartitionOf(region)];
}
