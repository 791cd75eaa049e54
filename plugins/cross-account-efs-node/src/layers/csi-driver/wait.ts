import { CSI_DRIVER } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import type { EngineContext, LayerOptions, Topology } from '../../engine/types';
import { waitUntil } from '../../engine/waitUntil';
import { describeAddon, describeAddonHealth, FAILED } from './read';

/**
 * Waits for the add-on to be ACTIVE; without an add-on (a driver installed
 * another way) there is nothing to wait for. EKS's generated
 * waitUntilAddonActive keeps polling through UPDATE_FAILED; this stops on
 * every failed state, so the task fails with the add-on's own health issues.
 */
export async function waitForAddonActive(
  ctx: EngineContext,
  t: Topology,
  options: LayerOptions,
) {
  await waitUntil(
    {
      maxWaitSeconds: options.maxWaitSeconds ?? 900,
      minDelaySeconds: options.minPollSeconds ?? 5,
      maxDelaySeconds: 10,
    },
    async () => {
      // Gone means a driver installed another way: nothing to wait for.
      // A read that fails is retried with the next poll.
      const addon = await describeAddon(ctx, t.cluster).then(
        found => found ?? ('none' as const),
        () => undefined,
      );
      if (addon === 'none') return { state: 'done', value: undefined };
      if (addon?.status === 'ACTIVE') return { state: 'done', value: addon };
      if (addon && FAILED.includes(addon.status ?? ''))
        return { state: 'failed', reason: describeAddonHealth(addon) };
      return {
        state: 'pending',
        reason: addon ? describeAddonHealth(addon) : 'it is gone',
      };
    },
    (outcome, last) =>
      `The ${CSI_DRIVER.addonName} add-on did not become ACTIVE (${
        outcome === 'failed' ? 'FAILURE' : 'TIMEOUT'
      }): ${last}. See the add-on in the EKS console; re-run provisioning once its issues are fixed.`,
  );
}
