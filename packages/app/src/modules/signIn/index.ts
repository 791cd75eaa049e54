import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const sandboxSignInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./SandboxSignInPage').then(m => m.SandboxSignInPage),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [sandboxSignInPage],
});
