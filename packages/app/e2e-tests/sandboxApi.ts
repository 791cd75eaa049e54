import { readFileSync } from 'node:fs';
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

/** The sandbox cluster's API server, as the sandbox wrote it for the portal. */
export function sandboxCluster() {
  const config = readFileSync('.sandbox/app-config.sandbox.yaml', 'utf8');
  return {
    url: /url: (\S+)/.exec(config)![1],
    token: /serviceAccountToken: (\S+)/.exec(config)![1],
  };
}
