import { EC2Client } from '@aws-sdk/client-ec2';
import { EFSClient } from '@aws-sdk/client-efs';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { Route53Client } from '@aws-sdk/client-route-53';
import { STSClient } from '@aws-sdk/client-sts';
import { Config } from '@backstage/config';
import {
  AwsCredentialsManager,
  DefaultAwsCredentialsManager,
} from '@backstage/integration-aws-node';
import {
  doesIdentityRequireRefresh,
  isIdentityExpired,
  memoizeIdentityProvider,
} from '@smithy/core';
import type { AwsCredentialIdentity, Pluggable } from '@smithy/types';
import { deepFreeze } from '../deepFreeze';
import { awsConfigForPlugin } from './pluginRole';
import { awsGlobalRegionOf } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';

/**
 * Where a call goes: which account, which region.
 *
 * @public
 */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/**
 * A middleware factory applied to every client we make: call counters in
 * tests and benchmarks, latency injection, metrics.
 *
 * @public
 */
export type ClientMiddleware = (
  target: AccountRegion & { service: string },
) => Pluggable<any, any>;

/**
 * Sees every call made through a view of the clients (`AwsClients.through`)
 * before the SDK does, and decides how it reaches AWS: the health sweep's
 * shared reads and request-rate pacing, for example.
 *
 * @public
 */
export type SendInterceptor = (
  call: AccountRegion & { service: string; command: string; input: unknown },
  send: () => Promise<any>,
) => Promise<any>;

/** @public */
export interface AwsClientsOptions {
  credentialsManager: AwsCredentialsManager;
  middleware?: ClientMiddleware[];
  /** SDK retry budget per call (adaptive mode: backoff with jitter, and a client-side rate once AWS throttles). */
  maxAttempts?: number;
}

type ClientCtor<T> = new (config: any) => T;

/** Deep-freezes every answer, once the SDK has built it. */
const freezeAnswers: Pluggable<any, any> = {
  applyToStack: stack =>
    stack.add(
      next => async args => {
        const result = await next(args);
        deepFreeze(result.output);
        return result;
      },
      { step: 'initialize', name: 'crossAccountEfsFreezeAnswers' },
    ),
};

/**
 * One SDK client per service, account and region, with credentials from
 * `@backstage/integration-aws-node` (the `aws` app-config section): the
 * portal's identity assumes the configured role in each account, or the
 * plugin's own (`crossAccountEfs.aws.roleName`). The
 * endpoint is the SDK's own, so AWS_ENDPOINT_URL points everything at an
 * emulator without any code knowing.
 *
 * @public
 */
export class AwsClients {
  static fromConfig(
    config: Config,
    options: Omit<AwsClientsOptions, 'credentialsManager'> = {},
  ): AwsClients {
    return new AwsClients({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(
        awsConfigForPlugin(config),
      ),
      ...options,
    });
  }

  constructor(
    private readonly options: AwsClientsOptions,
    /** What these clients share with every view of them (through). */
    private readonly made: {
      clients: Map<string, unknown>;
      /** One memoized provider per account, shared by every service's client. */
      credentials: Map<string, () => Promise<AwsCredentialIdentity>>;
    } = { clients: new Map(), credentials: new Map() },
    /** Set on a view only. */
    private readonly interceptor?: SendInterceptor,
    private readonly views = new Map<unknown, unknown>(),
  ) {}

  /**
   * The same SDK clients and credentials, with every call going through
   * `interceptor` first. A view is cheap: one per health sweep.
   */
  through(interceptor: SendInterceptor): AwsClients {
    return new AwsClients(this.options, this.made, interceptor);
  }

  /** The portal's identity in an account (memoized, refreshed before expiry): what every client there signs with. */
  credentialsFor(accountId: string): () => Promise<AwsCredentialIdentity> {
    let provider = this.made.credentials.get(accountId);
    if (!provider) {
      const { credentialsManager } = this.options;
      provider = memoizeIdentityProvider<AwsCredentialIdentity>(
        async () => {
          const account = await credentialsManager.getCredentialProvider({
            accountId,
          });
          return account.sdkCredentialProvider();
        },
        isIdentityExpired,
        doesIdentityRequireRefresh,
      )!;
      this.made.credentials.set(accountId, provider);
    }
    return provider;
  }

  ec2(target: AccountRegion): EC2Client {
    return this.client('ec2', EC2Client, target);
  }

  efs(target: AccountRegion): EFSClient {
    return this.client('efs', EFSClient, target);
  }

  eks(target: AccountRegion): EKSClient {
    return this.client('eks', EKSClient, target);
  }

  iam(target: AccountRegion): IAMClient {
    // IAM is global: called and signed in its partition's home region.
    return this.client('iam', IAMClient, {
      ...target,
      region: awsGlobalRegionOf(target.region),
    });
  }

  route53(target: AccountRegion): Route53Client {
    // Route 53 is global (its partition's home region); the VPC's region is
    // passed in each call instead.
    return this.client('route53', Route53Client, {
      ...target,
      region: awsGlobalRegionOf(target.region),
    });
  }

  sts(target: AccountRegion): STSClient {
    return this.client('sts', STSClient, target);
  }

  private client<
    T extends {
      middlewareStack: { use(p: Pluggable<any, any>): void };
      send(command: any, ...rest: any[]): Promise<any>;
    },
  >(service: string, Ctor: ClientCtor<T>, target: AccountRegion): T {
    const key = `${service}/${target.accountId}/${target.region}`;
    let client = this.made.clients.get(key) as T | undefined;
    if (!client) {
      const { maxAttempts = 5 } = this.options;
      client = new Ctor({
        region: target.region,
        maxAttempts,
        // A client per service, account and region is AWS's throttling
        // scope: once throttled (Route 53 allows ~5 requests a second per
        // account), it paces its own calls instead of spending retries.
        retryMode: 'adaptive',
        // Resolve each command's middleware stack once per client, not on
        // every call (the SDK's throughput option, aws-sdk-js-v3#6423): our
        // middleware is added right below, before any call, and never after.
        cacheMiddleware: true,
        credentials: this.credentialsFor(target.accountId),
      });
      // Answers are read-only everywhere, in a sweep (where they are shared)
      // and out of it: a layer that changed one would fail in both alike.
      client.middlewareStack.use(freezeAnswers);
      for (const middleware of this.options.middleware ?? []) {
        client.middlewareStack.use(middleware({ ...target, service }));
      }
      this.made.clients.set(key, client);
    }
    return this.interceptor ? this.view(client, service, target) : client;
  }

  /** The client with its `send` going through the interceptor (its config and middleware are the client's). */
  private view<T extends { send(command: any, ...rest: any[]): Promise<any> }>(
    client: T,
    service: string,
    target: AccountRegion,
  ): T {
    let view = this.views.get(client) as T | undefined;
    if (!view) {
      const send = client.send.bind(client);
      const intercept = this.interceptor!;
      view = Object.create(client, {
        send: {
          value: (command: any, ...rest: any[]) =>
            intercept(
              {
                ...target,
                service,
                command: String(command?.constructor?.name ?? '').replace(
                  /Command$/,
                  '',
                ),
                input: command?.input,
              },
              () => send(command, ...rest),
            ),
        },
      }) as T;
      this.views.set(client, view);
    }
    return view;
  }
}
