import { createBackend } from '@backstage/backend-defaults';
import { sandboxSignInModule } from './modules/sandboxSignIn';
import { serializedStartupDatabaseServiceFactory } from './serializedStartup';

const backend = createBackend();

// Replicas starting at once on PostgreSQL migrate one after the other.
backend.add(serializedStartupDatabaseServiceFactory);

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in in development; in production the ALB's
// (auth.providers.awsalb in app-config.production.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-aws-alb-provider'));
// sandbox only: sign in as the requester or the approver (see app-config.yaml)
backend.add(sandboxSignInModule);

// catalog
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// scaffolder
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
backend.add(
  import(
    '@cross-account-efs/backstage-plugin-scaffolder-backend-module-cross-account-efs'
  ),
);

// permissions
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import(
    '@cross-account-efs/backstage-plugin-permission-backend-module-cross-account-efs-policy'
  ),
);

// cross-account EFS: requests, approvals, permissions
backend.add(
  import('@cross-account-efs/backstage-plugin-cross-account-efs-backend'),
);

// kubernetes: cluster configuration shared with our plugins
backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// A replica whose startup failed exits, so its orchestrator restarts it,
// instead of staying up, never ready, with its scheduled work running.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error('Backend startup failed', error);
  process.exit(1);
});
