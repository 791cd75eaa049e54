import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';
import { z } from 'zod/v4';

/**
 * The sign-in page: the sandbox's three users by default; in production, the
 * proxy provider the backend runs (`provider: awsalb` behind an ALB that
 * authenticates with your IdP, app-config.production.yaml).
 */
const signInPage = SignInPageBlueprint.makeWithOverrides({
  configSchema: {
    provider: z.string().optional(),
  },
  factory(originalFactory, { config }) {
    return originalFactory({
      loader: async () => {
        const { SandboxSignInPage, proxySignInPage } = await import(
          './SandboxSignInPage'
        );
        return config.provider
          ? proxySignInPage(config.provider)
          : SandboxSignInPage;
      },
    });
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
