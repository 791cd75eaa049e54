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
import type { SweepScope } from './sweepScope';

/** Where a call goes: which account, which region. */
export interface AccountRegion {
  accountId: string;
  region: string;
}

/**
 * A middleware factory applied to every client we make: call counters in
 * tests and benchmarks, latency injection, metrics.
 */
export type ClientMiddleware = (
  target: AccountRegion & { service: string },
) => Pluggable<any, any>;

export interface AwsClientsOptions {
  credentialsManager: AwsCredentialsManager;
  middleware?: ClientMiddleware[];
  /** SDK retry budget per call (adaptive mode: backoff with jitter, and a client-side rate once AWS throttles). */
  maxAttempts?: number;
}

type ClientCtor<T> = new (config: any) => T;

/**
 * One SDK client per service, account and region, with credentials from
 * `@backstage/integration-aws-node` (the `aws` app-config section): the
 * portal's identity assumes the configured role in each account. The
 * endpoint is the SDK's own, so AWS_ENDPOINT_URL points everything at an
 * emulator without any code knowing.
 */
export class AwsClients {
  static fromConfig(
    config: Config,
    options: Omit<AwsClientsOptions, 'credentialsManager'> = {},
  ): AwsClients {
    return new AwsClients({
      credentialsManager: DefaultAwsCredentialsManager.fromConfig(config),
      ...options,
    });
  }

  constructor(
    private readonly options: AwsClientsOptions,
    /** What these clients share with every sweep's view of them (inSweep). */
    private readonly made: {
      clients: Map<string, unknown>;
      /** One memoized provider per account, shared by every service's client. */
      credentials: Map<string, () => Promise<AwsCredentialIdentity>>;
    } = { clients: new Map(), credentials: new Map() },
    /** Set on a sweep's view only. */
    private readonly sweep?: SweepScope,
  ) {}

  /**
   * These clients as one sweep sees them: the same SDK clients and
   * credentials, with the sweep's read cache and call limit (SweepScope).
   */
  inSweep(sweep: SweepScope): AwsClients {
    return new AwsClients(this.options, this.made, sweep);
  }

  private credentialsFor(accountId: string) {
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

  /**
   * A read built from calls (a role with its inline policy, say), made once
   * per sweep for every connection that shares it; outside a sweep it is
   * just made. In a sweep the answer is shared and frozen: callers only
   * read it.
   */
  shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    return this.sweep ? this.sweep.sharedReads.read(key, read) : read();
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
    // IAM is global; its endpoint lives in us-east-1 in the aws partition.
    return this.client('iam', IAMClient, { ...target, region: 'us-east-1' });
  }

  route53(target: AccountRegion): Route53Client {
    // Route 53 is global; the VPC's region is passed in each call instead.
    return this.client('route53', Route53Client, {
      ...target,
      region: 'us-east-1',
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
      for (const middleware of this.options.middleware ?? []) {
        client.middlewareStack.use(middleware({ ...target, service }));
      }
      this.made.clients.set(key, client);
    }
    return this.sweep ? this.sweep.view(client, key) : client;
  }
}
