import { connectionKey } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import {
  EmulatorEngine,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import type { ClientMiddleware } from '../aws/AwsClients';
import { checkConnections } from '../health/checkConnections';
import { checkConnection, provision } from './planConnection';
import { discoverTopology } from './prepareConnection';

jest.setTimeout(300_000);

const options = {
  storageClassName: 'efs-shared',
  namespace: 'team-a',
  directoryPerms: '700',
  connectivity: 'peering' as const,
  nfsIngressMode: 'cidr' as const,
  workloadIdentity: 'irsa' as const,
  rootAccess: false,
  verify: true,
  minPollSeconds: 1,
};

/**
 * A share of AWS's answers are Throttling or a 503, as AWS gives them under
 * load: injected inside the SDK's retry (where the HTTP request would be
 * sent), before the request reaches the emulator. A seeded generator makes
 * a failure reproducible.
 */
function faults(share: number, seed = 7) {
  // mulberry32: small, seeded, evenly spread.
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let r = Math.imul(state ^ (state >>> 15), 1 | state);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 32;
  };
  const injected = { attempts: 0, throttling: 0, unavailable: 0 };
  const middleware: ClientMiddleware = () => ({
    applyToStack: stack =>
      stack.add(
        next => async args => {
          injected.attempts++;
          if (random() < share) {
            const throttle = random() < 0.5;
            injected[throttle ? 'throttling' : 'unavailable']++;
            throw Object.assign(
              new Error(throttle ? 'Rate exceeded' : 'Service Unavailable'),
              throttle
                ? { name: 'Throttling', $metadata: { httpStatusCode: 400 } }
                : {
                    name: 'ServiceUnavailable',
                    $fault: 'server',
                    $metadata: { httpStatusCode: 503 },
                  },
            );
          }
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low', name: 'injectedFaults' },
      ),
  });
  return { middleware, injected };
}

/** Each check's verdict; ids of the sandbox's own resources change with each reset. */
const verdicts = (results: Array<{ id: string; status: string }>) =>
  results.map(r =>
    `${r.id} ${r.status}`.replace(/(rtb|sg|vpc)-[0-9a-f]+/g, '$1-x'),
  );

describe('AWS answering Throttling or 503 to 30% of calls (AWS emulator; faults injected inside the SDK retry, before the request is sent)', () => {
  let sandbox: EmulatorEngine;
  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  afterAll(() => sandbox?.stop());

  it('provisioning ends in the state it reaches without faults, a re-run changes nothing, and a sweep blames no layer on them', async () => {
    await provision(sandbox.context(), sandboxSpec, options);
    const clean = sandbox.context();
    const healthy = verdicts(
      await checkConnection(
        clean,
        await discoverTopology(clean, sandboxSpec),
        options,
      ),
    );
    expect(healthy.filter(v => !v.endsWith(' ok'))).toEqual([]);

    await sandbox.reset();
    const flaky = faults(0.3);
    const started = Date.now();
    await provision(
      sandbox.context([flaky.middleware], undefined, 12),
      sandboxSpec,
      options,
    );
    const seconds = (Date.now() - started) / 1000;
    const { attempts, throttling, unavailable } = flaky.injected;
    expect((throttling + unavailable) / attempts).toBeGreaterThan(0.2);
    expect(throttling).toBeGreaterThan(5);
    expect(unavailable).toBeGreaterThan(5);
    const after = sandbox.context();
    expect(
      verdicts(
        await checkConnection(
          after,
          await discoverTopology(after, sandboxSpec),
          options,
        ),
      ),
    ).toEqual(healthy);

    sandbox.counter.reset();
    await provision(sandbox.context(), sandboxSpec, options);
    expect(sandbox.counter.mutating).toEqual([]);

    const swept = await checkConnections(
      sandbox.context([faults(0.3, 11).middleware], undefined, 12),
      [{ spec: sandboxSpec, options }],
    );
    expect(verdicts(swept.get(connectionKey(sandboxSpec))!)).toEqual(healthy);
    // eslint-disable-next-line no-console
    console.log(
      `faults: ${throttling} Throttling and ${unavailable} 503 answers of ${attempts} attempts; provisioning took ${seconds.toFixed(
        1,
      )} s`,
    );
  });
});
