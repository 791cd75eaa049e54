import { createExternalRouteRef } from '@backstage/core-plugin-api';
import { createRouteRef } from '@backstage/frontend-plugin-api';

export const rootRouteRef = createRouteRef();

/**
 * A template's form in the scaffolder: the request, provisioning and
 * removal templates open through it (bound to the scaffolder's
 * selectedTemplate by default; legacy apps bind it in bindRoutes).
 */
export const templateRouteRef = createExternalRouteRef({
  id: 'cross-account-efs-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
