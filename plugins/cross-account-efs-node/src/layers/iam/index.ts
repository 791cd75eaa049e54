import type { Layer } from '../../engine/types';
import { checkIam } from './check';
import { planIam } from './plan';
import type { IamResult } from './read';
import { planIamRemoval } from './remove';

export type { IamResult } from './read';

/** Seed steps 9 and 10.3-10.5: the OIDC provider, both roles, the file system policy. */
export const iam: Layer<IamResult> = {
  id: 'iam',
  plan: planIam,
  check: checkIam,
  remove: planIamRemoval,
};
