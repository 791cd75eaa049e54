import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

const PROVIDERS = ['sandbox-requester', 'sandbox-approver'];

/** Like the guest provider: development only, no credentials. */
const fixedUserAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => process.env.NODE_ENV !== 'development',
  async authenticate(_, disabled) {
    if (disabled) {
      throw new NotAllowedError(
        'Sandbox sign-in works only in development (./dev start).',
      );
    }
    return { result: {} };
  },
});

/**
 * Sandbox sign-in as one of the two sandbox users, so the four-eyes flow
 * can be tried by hand: `auth.providers.sandbox-requester.userEntityRef`
 * and `auth.providers.sandbox-approver.userEntityRef` (app-config.yaml).
 * Each signs in as that catalog user, with its group memberships.
 */
export const sandboxSignInModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'sandbox-users',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        for (const providerId of PROVIDERS) {
          const userEntityRef = config.getOptionalString(
            `auth.providers.${providerId}.userEntityRef`,
          );
          if (!userEntityRef) continue;
          providers.registerProvider({
            providerId,
            factory: createProxyAuthProviderFactory({
              authenticator: fixedUserAuthenticator,
              signInResolver: async (_, ctx) =>
                ctx.signInWithCatalogUser({ entityRef: userEntityRef }),
            }),
          });
        }
      },
    });
  },
});
