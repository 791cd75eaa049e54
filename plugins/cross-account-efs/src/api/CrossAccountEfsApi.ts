import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CheckResult,
  CheckStatus,
  ConnectionRequest,
  ConnectivityMode,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/**
 * One connection of an entity, with its latest health snapshot.
 *
 * @public
 */
export interface ConnectionHealth {
  request: ConnectionRequest;
  snapshot?: {
    status: CheckStatus;
    checkedAt: string;
    results: CheckResult[];
  };
}

/** @public */
export interface PreflightAnswer {
  problems: Array<{ field: string; summary: string; remedy: string }>;
  /** The connectivity mode discovery suggests for the form, and why. */
  recommendation?: { connectivity: ConnectivityMode; reason: string };
}

/**
 * The cross-account EFS backend, as the browser sees it.
 *
 * @public
 */
export interface CrossAccountEfsApi {
  listRequests(): Promise<ConnectionRequest[]>;
  getRequest(id: string): Promise<ConnectionRequest>;
  /** What removing the request's connection would change now, and what blocks it. */
  getRemovalPlan(id: string): Promise<ConnectionRequest['plan']>;
  /** An approver turns a pending request down, saying why (the requester is told). */
  rejectRequest(id: string, reason: string): Promise<ConnectionRequest>;
  health(entityRef: string): Promise<ConnectionHealth[]>;
  refreshHealth(requestId: string): Promise<ConnectionHealth>;
  preflight(refs: {
    fileSystemRef: string;
    clusterRef: string;
  }): Promise<PreflightAnswer>;
}

/** @public */
export const crossAccountEfsApiRef = createApiRef<CrossAccountEfsApi>({
  id: 'plugin.cross-account-efs.api',
});

/** @public */
export class CrossAccountEfsClient implements CrossAccountEfsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async call<T>(path: string, init?: RequestInit): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('cross-account-efs');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  async listRequests() {
    return (await this.call<{ items: ConnectionRequest[] }>('/requests')).items;
  }

  getRequest(id: string) {
    return this.call<ConnectionRequest>(`/requests/${encodeURIComponent(id)}`);
  }

  getRemovalPlan(id: string) {
    return this.call<ConnectionRequest['plan']>(
      `/requests/${encodeURIComponent(id)}/removal-plan`,
    );
  }

  rejectRequest(id: string, reason: string) {
    return this.call<ConnectionRequest>(
      `/requests/${encodeURIComponent(id)}/reject`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reason }),
      },
    );
  }

  async health(entityRef: string) {
    return (
      await this.call<{ items: ConnectionHealth[] }>(
        `/health?entityRef=${encodeURIComponent(entityRef)}`,
      )
    ).items;
  }

  refreshHealth(requestId: string) {
    return this.call<ConnectionHealth>(
      `/health/${encodeURIComponent(requestId)}/refresh`,
      { method: 'POST' },
    );
  }

  preflight(refs: { fileSystemRef: string; clusterRef: string }) {
    return this.call<PreflightAnswer>('/preflight', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(refs),
    });
  }
}
