import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { APIRequestContext, expect } from '@playwright/test';

export const BACKEND = process.env.BACKEND_URL ?? 'http://localhost:7007';

/** A sandbox user's Backstage token, from the same sign-in the browser uses. */
export async function tokenOf(
  request: APIRequestContext,
  provider: 'sandbox-requester' | 'sandbox-approver' | 'guest',
): Promise<string> {
  const res = await request.get(`${BACKEND}/api/auth/${provider}/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  expect(res.ok()).toBeTruthy();
  return (await res.json()).backstageIdentity.token;
}

export interface TaskResult {
  status: string;
  /** Steps that started, in order. */
  steps: string[];
  logs: string[];
  output: any;
  seconds: number;
}

/** Runs a template through the scaffolder API as a user, to the end. */
export async function runTemplate(
  request: APIRequestContext,
  token: string,
  template: string,
  values: object,
): Promise<TaskResult> {
  const started = Date.now();
  const headers = { authorization: `Bearer ${token}` };
  const created = await request.post(`${BACKEND}/api/scaffolder/v2/tasks`, {
    headers,
    data: { templateRef: `template:default/${template}`, values },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  let status = 'open';
  for (
    let i = 0;
    i < 300 && !['completed', 'failed', 'cancelled'].includes(status);
    i++
  ) {
    await new Promise(r => setTimeout(r, 250));
    status = (
      await (
        await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}`, {
          headers,
        })
      ).json()
    ).status;
  }
  const events: any[] = await (
    await request.get(`${BACKEND}/api/scaffolder/v2/tasks/${id}/events`, {
      headers,
    })
  ).json();
  const steps = [
    ...new Set(
      events
        .filter(
          e =>
            e.type === 'log' && e.body.stepId && e.body.status === 'processing',
        )
        .map(e => e.body.stepId as string),
    ),
  ];
  return {
    status,
    steps,
    logs: events
      .filter(e => e.type === 'log')
      .map(e => `${e.body.stepId ?? ''} ${e.body.message}`),
    output: events.find(e => e.type === 'completion')?.body.output,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The request a run of the request template recorded (its output names it). */
export function requestIdOf(result: TaskResult): string {
  const id = /`([0-9a-f-]{36})`/.exec(JSON.stringify(result.output))?.[1];
  expect(id, 'the request template names the request it recorded').toBeTruthy();
  return id!;
}

/**
 * kubectl against the sandbox cluster, with the kubeconfig the sandbox
 * writes (its CA, and an EKS token for the admin role): what a platform
 * engineer types.
 */
export function kubectl(args: string[], input?: string): string {
  return execFileSync('kubectl', args, {
    env: { ...process.env, KUBECONFIG: resolve('.sandbox/kubeconfig') },
    input,
    encoding: 'utf8',
  });
}
