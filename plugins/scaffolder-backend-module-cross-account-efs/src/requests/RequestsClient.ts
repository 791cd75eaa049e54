import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ConnectionRequest,
  NewRequest,
} from '@internal/plugin-cross-account-efs-common';

/**
 * The cross-account-efs backend's requests API, called on behalf of the
 * task's initiator: the backend checks that user's permissions, so an
 * action can never do more than the person who started the task.
 */
export class RequestsClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  private async call<T>(
    credentials: BackstageCredentials,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'cross-account-efs',
    });
    const base = await this.discovery.getBaseUrl('cross-account-efs');
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      // The backend's own words: which permission, which rule (four eyes).
      const error = await ResponseError.fromResponse(res);
      throw new Error(
        `cross-account-efs ${method} ${path}: ${res.status} ${
          error.body?.error?.message ?? error.message
        }`,
      );
    }
    return (await res.json()) as T;
  }

  create(credentials: BackstageCredentials, request: NewRequest) {
    return this.call<ConnectionRequest>(
      credentials,
      'POST',
      '/requests',
      request,
    );
  }

  get(credentials: BackstageCredentials, id: string) {
    return this.call<ConnectionRequest>(
      credentials,
      'GET',
      `/requests/${encodeURIComponent(id)}`,
    );
  }

  approve(credentials: BackstageCredentials, id: string) {
    return this.call<ConnectionRequest>(
      credentials,
      'POST',
      `/requests/${encodeURIComponent(id)}/approve`,
    );
  }

  complete(
    credentials: BackstageCredentials,
    id: string,
    outcome: { status: 'provisioned' | 'failed' | 'removed'; message?: string },
  ) {
    return this.call<ConnectionRequest>(
      credentials,
      'POST',
      `/requests/${encodeURIComponent(id)}/complete`,
      outcome,
    );
  }
}
