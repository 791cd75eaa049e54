import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { requestReadPermission } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import { HealthStore } from './HealthStore';
import { RequestStore } from './RequestStore';

/**
 * The same report as GET /health, for the backend actions registry (MCP
 * clients, other plugins): read-only, from the latest stored snapshots.
 */
export function registerHealthAction(
  actionsRegistry: ActionsRegistryService,
  deps: {
    store: RequestStore;
    health: HealthStore;
    permissions: PermissionsService;
  },
) {
  actionsRegistry.register({
    name: 'get-connection-health',
    title: 'Cross-account EFS connection health',
    description:
      'The latest health of every cross-account EFS connection of a file system or an EKS cluster catalog entity: overall status, and each failing check with its remedy.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The file system or cluster entity, e.g. resource:default/shared-efs',
            ),
        }),
      output: z =>
        z.object({
          connections: z.array(
            z.object({
              fileSystemRef: z.string(),
              clusterRef: z.string(),
              status: z.string(),
              checkedAt: z.string().optional(),
              problems: z.array(
                z.object({
                  layer: z.string(),
                  summary: z.string(),
                  remedy: z.string().optional(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const [decision] = await deps.permissions.authorize(
        [{ permission: requestReadPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You do not have the ${requestReadPermission.name} permission.`,
        );
      }
      const requests = (
        await deps.store.list({ entityRef: input.entityRef })
      ).filter(r => r.status === 'provisioned' || r.status === 'failed');
      const snapshots = await deps.health.forEntity(input.entityRef);
      return {
        output: {
          connections: requests.map(r => {
            const snapshot = snapshots.find(s => s.requestId === r.id);
            return {
              fileSystemRef: r.fileSystemRef,
              clusterRef: r.clusterRef,
              status: snapshot?.status ?? 'unknown',
              checkedAt: snapshot?.checkedAt,
              problems: (snapshot?.results ?? [])
                .filter(c => c.status !== 'ok')
                .map(c => ({
                  layer: c.layer,
                  summary: c.summary,
                  remedy: c.remedy,
                })),
            };
          }),
        },
      };
    },
  });
}
