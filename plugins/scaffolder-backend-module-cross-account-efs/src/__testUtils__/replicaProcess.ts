/**
 * One portal backend replica as a process of its own, for tests that kill
 * one: forked by startReplica (replicas.ts) under Backstage's node
 * transform, told by REPLICA_OPTIONS which Kubernetes double to reach and
 * what config to add (a shared database, the scaffolder's task recovery);
 * it tells its parent its port once it serves.
 */
import { startPortalBackend } from './portalBackend';

const { kubernetes, config } = JSON.parse(process.env.REPLICA_OPTIONS ?? '{}');

startPortalBackend({ kubernetes }, { config }).then(
  portal => process.send?.({ type: 'serving', port: portal.server.port() }),
  error => {
    // eslint-disable-next-line no-console
    console.error(error);
    process.exit(1);
  },
);
