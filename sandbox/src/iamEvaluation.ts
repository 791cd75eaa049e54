import { runSimulation } from '@cloud-copilot/iam-simulate';

/** One request as IAM authorizes it: who, what, on which resource, in which context. */
export interface IamRequest {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
}

export type IamDecision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/**
 * The decision IAM would make for a request, by an evaluator independent of
 * ours (@cloud-copilot/iam-simulate): identity policies, and a resource
 * policy when the resource has one. The emulator evaluates no IAM, so the
 * sandbox asks this wherever a denial must be real.
 */
export async function evaluateIam(
  request: IamRequest,
  policies: {
    identity: Array<{ name: string; policy: unknown }>;
    resource?: unknown;
  },
): Promise<IamDecision> {
  const accountId =
    /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(request.resource)?.[1] ??
    /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(request.principal)?.[1];
  const result = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: accountId! },
        contextVariables: request.context ?? {},
      },
      identityPolicies: policies.identity as any,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policies.resource as any,
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(
      `policy evaluation failed for ${request.action} on ${
        request.resource
      }: ${JSON.stringify(result.errors)}`,
    );
  }
  return result.overallResult as IamDecision;
}
