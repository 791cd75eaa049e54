import type { ConnectivityMode } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/** How the card and the review name a request's connectivity (requests made before the mode were peerings). */
export function connectivityLabel(mode: ConnectivityMode | undefined): string {
  return mode === 'existing' ? 'existing connectivity' : 'VPC peering';
}
