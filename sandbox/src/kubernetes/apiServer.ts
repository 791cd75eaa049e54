import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { allows, forbiddenMessage } from './accessPolicies';
import { discoveryDocument } from './discovery';
import { asTable, wantsTable } from './tables';
import type { Caller } from './eksAuthentication';
import type { ServingCertificate } from './servingCertificate';
import {
  apiVersionOf,
  kindByPlural,
  KubeObject,
  ResourceKind,
} from './resources';
import { fieldSelector, labelSelector } from './selectors';

/** A Kubernetes API error, answered as the API server does: a Status body. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: { name?: string; group?: string; kind?: string },
  ) {
    super(message);
  }

  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      details: this.details,
      code: this.code,
    };
  }
}

const qualified = (kind: ResourceKind) =>
  kind.group ? `${kind.plural}.${kind.group}` : kind.plural;

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 7386 JSON merge patch; strategic merge patches are read the same way. */
function mergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return patch;
  const result =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * In-memory object store with the API server's write semantics: names,
 * namespaces that must exist, resourceVersion and optimistic concurrency,
 * immutable fields. `afterWrite` lets controllers (the simulated CSI driver)
 * react, as they would to a watch event.
 */
export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private version = 1;
  afterWrite: () => void = () => {};

  private key(kind: ResourceKind, namespace: string | undefined, name: string) {
    return `${qualified(kind)}/${kind.namespaced ? namespace : ''}/${name}`;
  }

  private notFound(kind: ResourceKind, name: string) {
    return new StatusError(
      404,
      'NotFound',
      `${qualified(kind)} "${name}" not found`,
      {
        name,
        group: kind.group || undefined,
        kind: kind.plural,
      },
    );
  }

  clear() {
    this.objects.clear();
  }

  /** Every object with its resourceVersion: any write shows up as a difference. */
  snapshot(): string[] {
    return [...this.objects.entries()]
      .map(([key, o]) => `${key}@${o.metadata.resourceVersion}`)
      .sort();
  }

  get(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const found = this.objects.get(this.key(kind, namespace, name));
    if (!found) throw this.notFound(kind, name);
    return structuredClone(found);
  }

  find(kind: ResourceKind, namespace: string | undefined, name: string) {
    const found = this.objects.get(this.key(kind, namespace, name));
    return found && structuredClone(found);
  }

  list(
    kind: ResourceKind,
    namespace?: string,
    selectors: { label?: string | null; field?: string | null } = {},
  ): KubeObject[] {
    let matchLabels;
    let matchFields;
    try {
      matchLabels = labelSelector(selectors.label ?? null);
      matchFields = fieldSelector(selectors.field ?? null);
    } catch (e) {
      throw new StatusError(400, 'BadRequest', (e as Error).message);
    }
    const prefix = `${qualified(kind)}/${
      kind.namespaced && namespace ? `${namespace}/` : ''
    }`;
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(prefix))
      .map(([, o]) => o)
      .filter(o => matchLabels(o.metadata.labels ?? {}) && matchFields(o))
      .map(o => structuredClone(o));
  }

  private validateName(kind: ResourceKind, object: KubeObject) {
    const name = object?.metadata?.name;
    if (!name) {
      throw new StatusError(
        422,
        'Invalid',
        `${kind.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
        { kind: kind.kind },
      );
    }
    if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
      throw new StatusError(
        422,
        'Invalid',
        `${kind.kind} "${name}" is invalid: metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        { name, kind: kind.kind },
      );
    }
  }

  create(
    kind: ResourceKind,
    namespace: string | undefined,
    object: KubeObject,
  ): KubeObject {
    if (
      object?.metadata &&
      !object.metadata.name &&
      object.metadata.generateName
    ) {
      object.metadata.name = `${
        object.metadata.generateName
      }${randomUUID().slice(0, 5)}`;
    }
    this.validateName(kind, object);
    const name = object.metadata.name;
    if (kind.namespaced) {
      if (
        object.metadata.namespace &&
        object.metadata.namespace !== namespace
      ) {
        throw new StatusError(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      const ns = kindByPlural('', 'v1', 'namespaces')!;
      if (!this.objects.has(this.key(ns, undefined, namespace!))) {
        throw new StatusError(
          404,
          'NotFound',
          `namespaces "${namespace}" not found`,
          { name: namespace, kind: 'namespaces' },
        );
      }
    }
    const key = this.key(kind, namespace, name);
    if (this.objects.has(key)) {
      throw new StatusError(
        409,
        'AlreadyExists',
        `${qualified(kind)} "${name}" already exists`,
        {
          name,
          group: kind.group || undefined,
          kind: kind.plural,
        },
      );
    }
    const stored: KubeObject = {
      ...object,
      apiVersion: apiVersionOf(kind),
      kind: kind.kind,
      metadata: {
        ...object.metadata,
        ...(kind.namespaced ? { namespace } : {}),
        uid: randomUUID(),
        resourceVersion: String(++this.version),
        creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      },
    };
    if (kind.kind === 'Namespace') stored.status = { phase: 'Active' };
    this.objects.set(key, stored);
    this.afterWrite();
    return structuredClone(stored);
  }

  replace(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    object: KubeObject,
  ): KubeObject {
    const previous = this.get(kind, namespace, name);
    if (object?.metadata?.name !== name) {
      throw new StatusError(
        400,
        'BadRequest',
        'the name of the object does not match the name on the URL',
      );
    }
    const requested = object.metadata.resourceVersion;
    if (requested && requested !== previous.metadata.resourceVersion) {
      throw new StatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(
          kind,
        )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name, group: kind.group || undefined, kind: kind.plural },
      );
    }
    const refusal = kind.immutable?.(previous, object);
    if (refusal) {
      throw new StatusError(
        422,
        'Invalid',
        `${kind.kind}${
          kind.group ? `.${kind.group}` : ''
        } "${name}" is invalid: ${refusal}`,
        { name, group: kind.group || undefined, kind: kind.kind },
      );
    }
    const stored: KubeObject = {
      ...object,
      apiVersion: apiVersionOf(kind),
      kind: kind.kind,
      metadata: {
        ...object.metadata,
        ...(kind.namespaced ? { namespace } : {}),
        uid: previous.metadata.uid,
        creationTimestamp: previous.metadata.creationTimestamp,
        resourceVersion: String(++this.version),
      },
    };
    this.objects.set(this.key(kind, namespace, name), stored);
    this.afterWrite();
    return structuredClone(stored);
  }

  patch(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
    patch: unknown,
  ): KubeObject {
    const previous = this.get(kind, namespace, name);
    const next = mergePatch(previous, patch) as KubeObject;
    next.metadata.resourceVersion =
      (patch as any)?.metadata?.resourceVersion ??
      previous.metadata.resourceVersion;
    return this.replace(kind, namespace, name, next);
  }

  delete(
    kind: ResourceKind,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const previous = this.get(kind, namespace, name);
    this.objects.delete(this.key(kind, namespace, name));
    if (kind.kind === 'Namespace') {
      for (const key of [...this.objects.keys()]) {
        const o = this.objects.get(key)!;
        if (o.metadata.namespace === name) this.objects.delete(key);
      }
    }
    this.afterWrite();
    return previous;
  }
}

interface Route {
  kind: ResourceKind;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** /api/v1/..., /apis/<group>/<version>/... into a kind, namespace and name. */
function route(pathname: string): Route | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api') {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis') {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;
  if (!version) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const kind = kindByPlural(group, version, rest[0]);
  if (!kind) return undefined;
  return { kind, namespace, name: rest[1], subresource: rest[2] };
}

async function readBody(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new StatusError(
      400,
      'BadRequest',
      'the body of the request was in an unknown format - accepted media types include: application/json',
    );
  }
}

function send(res: ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export interface ApiServerDouble {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The cluster CA (base64 PEM): what a kubeconfig's certificate-authority-data holds. */
  caData: string;
  /** A service-account token with cluster-admin rights, as a non-EKS cluster hands out. */
  token: string;
  store: ObjectStore;
  /** Every request served, as `METHOD path`, in order: what tests count. */
  requests: string[];
  close(): Promise<void>;
}

const VERB_OF: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** The service-account token's rights: everything, as cluster-admin's. */
const CLUSTER_ADMIN: Caller['policies'] = [
  {
    policyArn:
      'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    accessScope: { type: 'cluster' },
    associatedAt: 0,
    modifiedAt: 0,
  },
];

/**
 * Serves an ObjectStore over the Kubernetes REST API, over TLS with the
 * given certificate, for the kinds in resources.ts, with the discovery
 * documents kubectl reads. A request carries the service-account token or
 * a bearer token `authenticate` accepts (an EKS token); a caller may do
 * what its access policies allow (403 otherwise), and discovery.
 */
export async function startApiServer(
  store: ObjectStore,
  options: {
    token: string;
    tls: ServingCertificate;
    authenticate?: (bearer: string) => Promise<Caller>;
  },
): Promise<ApiServerDouble> {
  const authenticate = async (req: IncomingMessage): Promise<Caller> => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === options.token) {
      return {
        username: 'system:serviceaccount:kube-system:sandbox-admin',
        policies: CLUSTER_ADMIN,
      };
    }
    if (bearer && options.authenticate) return options.authenticate(bearer);
    throw new StatusError(401, 'Unauthorized', 'Unauthorized');
  };
  const handle = async (req: IncomingMessage): Promise<[number, unknown]> => {
    const caller = await authenticate(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const discovery = discoveryDocument(url.pathname);
    if (discovery && req.method === 'GET') return [200, discovery];
    const r = route(url.pathname);
    if (!r || r.subresource) {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    const { kind, namespace, name } = r;
    if (kind.namespaced && !namespace && name) {
      throw new StatusError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    const verb = VERB_OF[req.method ?? ''] ?? (name ? 'get' : 'list');
    if (!allows(caller, verb, kind, namespace)) {
      throw new StatusError(
        403,
        'Forbidden',
        forbiddenMessage(caller, verb, kind, namespace, name),
        { name, group: kind.group, kind: kind.plural },
      );
    }
    switch (req.method) {
      case 'GET':
        if (wantsTable(req.headers.accept)) {
          return [
            200,
            asTable(
              kind,
              name
                ? [store.get(kind, namespace, name)]
                : store.list(kind, namespace, {
                    label: url.searchParams.get('labelSelector'),
                    field: url.searchParams.get('fieldSelector'),
                  }),
            ),
          ];
        }
        if (name) return [200, store.get(kind, namespace, name)];
        return [
          200,
          {
            kind: `${kind.kind}List`,
            apiVersion: apiVersionOf(kind),
            metadata: { resourceVersion: '' },
            items: store.list(kind, namespace, {
              label: url.searchParams.get('labelSelector'),
              field: url.searchParams.get('fieldSelector'),
            }),
          },
        ];
      case 'POST':
        if (name)
          throw new StatusError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        return [
          201,
          store.create(kind, namespace ?? undefined, await readBody(req)),
        ];
      case 'PUT':
        return [
          200,
          store.replace(kind, namespace, name!, await readBody(req)),
        ];
      case 'PATCH': {
        const type = String(req.headers['content-type'] ?? '');
        if (type.includes('json-patch')) {
          throw new StatusError(
            415,
            'UnsupportedMediaType',
            'the sandbox API double accepts merge patches only',
          );
        }
        return [200, store.patch(kind, namespace, name!, await readBody(req))];
      }
      case 'DELETE': {
        const deleted = store.delete(kind, namespace, name!);
        return [200, deleted];
      }
      default:
        throw new StatusError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  };
  const requests: string[] = [];
  const server: Server = createServer(
    { cert: options.tls.certPem, key: options.tls.keyPem },
    (req, res) => {
      requests.push(`${req.method} ${req.url}`);
      handle(req)
        .then(([code, body]) => send(res, code, body))
        .catch(e => {
          const error =
            e instanceof StatusError
              ? e
              : new StatusError(500, 'InternalError', String(e?.message ?? e));
          send(res, error.code, error.toStatus());
        });
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(options.tls.caPem).toString('base64'),
    token: options.token,
    store,
    requests,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
