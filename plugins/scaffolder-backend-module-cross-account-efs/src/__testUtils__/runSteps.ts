import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { JsonObject, JsonValue } from '@backstage/types';

export interface Step {
  id: string;
  action: string;
  input: JsonObject;
}

const REFERENCE =
  /^\$\{\{\s*steps(?:\.([\w-]+)|\['([\w-]+)'\])\.output\.([\w-]+)\s*\}\}$/;

/** Resolves `${{ steps.<id>.output.<key> }}` the way the scaffolder does for whole-value references. */
function render(
  value: JsonValue | undefined,
  outputs: Record<string, JsonObject>,
): JsonValue | undefined {
  if (typeof value === 'string') {
    const m = REFERENCE.exec(value);
    // An output a step did not produce (e.g. in a dry run) leaves the input unset.
    return m ? (outputs[m[1] ?? m[2]]?.[m[3]] as JsonValue | undefined) : value;
  }
  if (Array.isArray(value)) return value.map(v => render(v, outputs) ?? null);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, render(v, outputs)] as const)
        .filter(([, v]) => v !== undefined),
    ) as JsonObject;
  }
  return value;
}

/** Runs one action's handler with the scaffolder's context, collecting its outputs. */
export async function runAction(
  action: TemplateAction<any, any>,
  input: JsonObject,
  options: { isDryRun?: boolean; checkpoints?: Map<string, JsonValue> } = {},
): Promise<JsonObject> {
  const outputs: JsonObject = {};
  const checkpoints = options.checkpoints ?? new Map();
  await action.handler({
    ...createMockActionContext({ input }),
    isDryRun: options.isDryRun,
    output: (name: string, value: JsonValue) => {
      outputs[name] = value;
    },
    // Like the task worker: a finished checkpoint returns its stored result.
    checkpoint: async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<any>;
    }) => {
      if (!checkpoints.has(key)) checkpoints.set(key, (await fn()) ?? null);
      return checkpoints.get(key);
    },
  } as any);
  return outputs;
}

/** Runs template steps in order, feeding each step's outputs to the later ones. */
export async function runSteps(
  actions: TemplateAction<any, any>[],
  steps: Step[],
  options: { isDryRun?: boolean } = {},
): Promise<Record<string, JsonObject>> {
  const outputs: Record<string, JsonObject> = {};
  for (const step of steps) {
    const action = actions.find(a => a.id === step.action);
    if (!action) throw new Error(`no action ${step.action}`);
    outputs[step.id] = await runAction(
      action,
      render(step.input, outputs) as JsonObject,
      options,
    );
  }
  return outputs;
}
