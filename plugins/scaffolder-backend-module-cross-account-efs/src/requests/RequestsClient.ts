import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type {
  ConnectionRequest,
  NewRequest,
  RequestOperation,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/** The backend's verdicts keep their kind (403 stays NotAllowed, 404 NotFound). */
const errorsByStatus: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

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
      const Kind = errorsByStatus[res.status] ?? Error;
      throw new Kind(
        `cross-account-efs ${method} ${path}: ${res.status} ${
          error.body?.error?.message ?? error.message
        }`,
      );
    }
    // Parsed here, not by fetch: the objects then belong to this realm,
    // which the scaffolder's templating insists on for step outputs.
    return JSON.parse(await res.text()) as T;
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

  /**
   * May the initiator run this operation on this request? Answers the
   * request, whose recorded values are all an action works from; outside a
   * dry run it moves to provisioning or removing.
   */
  authorize(
    credentials: BackstageCredentials,
    id: string,
    operation: RequestOperation,
    options: { dryRun?: boolean; taskId?: string } = {},
  ) {
    return this.call<ConnectionRequest>(
      credentials,
      'POST',
      `/requests/${encodeURIComponent(id)}/authorize`,
      { operation, dryRun: options.dryRun ?? false, taskId: options.taskId },
    );
  }

  /** The operation is done; for provisioning the backend checks the connection and stores its health. */
  complete(
    credentials: BackstageCredentials,
    id: string,
    operation: RequestOperation,
  ) {
    return this.call<{
      request: ConnectionRequest;
      snapshot?: { status: string; results: Array<any> };
    }>(credentials, 'POST', `/requests/${encodeURIComponent(id)}/complete`, {
      operation,
    });
  }

  /** Records where and why a task failed, so the requests page offers Retry and Remove. */
  fail(
    credentials: BackstageCredentials,
    id: string,
    operation: RequestOperation,
    failure: {
      step: string;
      message: string;
      blockers?: Array<{ summary: string; remedy: string }>;
    },
  ) {
    return this.call<ConnectionRequest>(
      credentials,
      'POST',
      `/requests/${encodeURIComponent(id)}/fail`,
      { operation, ...failure },
    );
  }
}
