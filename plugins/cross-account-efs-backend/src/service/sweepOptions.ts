import type { Config } from '@backstage/config';
import {
  AWS_REQUEST_QUOTAS,
  SweepOptions,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';

/** crossAccountEfs.health's pacing keys, over AWS's published quotas. */
export function sweepOptionsFromConfig(config: Config): SweepOptions {
  const health = config.getOptionalConfig('crossAccountEfs.health');
  const overrides = health?.getOptionalConfig('requestQuotas');
  const quotas = { ...AWS_REQUEST_QUOTAS };
  for (const service of overrides?.keys() ?? []) {
    const quota = overrides!.getConfig(service);
    quotas[service] = {
      burst: quota.getNumber('burst'),
      perSecond: quota.getNumber('perSecond'),
    };
  }
  return {
    quotas,
    headroom: health?.getOptionalNumber('requestRateHeadroom') ?? 0.9,
  };
}
