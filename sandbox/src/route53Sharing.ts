/**
 * Route 53 private zones shared across accounts, which the emulator keeps
 * per account: a zone's owner authorizes another account's VPC
 * (CreateVPCAssociationAuthorization), that account associates its VPC
 * (AssociateVPCWithHostedZone), and from then on ListHostedZonesByVPC in the
 * VPC's account lists the zone with its owning account, and either side may
 * disassociate. Zones stay in the owner's account in the emulator; the
 * gateway acts as the owner (moto's `x-moto-account-id` header) where AWS
 * would let the VPC's account act on the owner's zone.
 */

const ZONE_PATH =
  /^\/2013-04-01\/hostedzone\/([^/]+)\/(authorizevpcassociation|deauthorizevpcassociation|associatevpc|disassociatevpc)$/;
const BY_VPC_PATH = /^\/2013-04-01\/hostedzonesbyvpc$/;
const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';

export interface Route53Answer {
  status: number;
  xml: string;
}

type Upstream = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
) => Promise<{ status: number; text: string }>;

const tag = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

function error(status: number, code: string, message: string): Route53Answer {
  return {
    status,
    xml: `<?xml version="1.0"?><ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>sandbox</RequestId></ErrorResponse>`,
  };
}

const conflict = (name: string | undefined, vpcId: string) =>
  error(
    400,
    'ConflictingDomainExists',
    `A hosted zone named ${name} is already associated with ${vpcId}.`,
  );

const changeInfo = (action: string) =>
  `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}"><ChangeInfo><Id>/change/sandbox</Id><Status>INSYNC</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></${action}Response>`;

export class Route53Sharing {
  /** zone id -> owning account, and the VPCs it authorized (vpc id -> region). */
  private readonly authorizations = new Map<
    string,
    { owner: string; vpcs: Map<string, string> }
  >();
  /** vpc id -> zones of other accounts associated with it (zone id -> owner and name). */
  private readonly shared = new Map<
    string,
    Map<string, { owner: string; name: string }>
  >();
  /** One create or association at a time per VPC: a name check and its write cannot interleave. */
  private readonly vpcQueues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly upstream: Upstream,
    private readonly accountOf: (
      headers: Record<string, string>,
    ) => Promise<string>,
  ) {}

  /** Forgets every authorization and association, as an emulator reset does its zones. */
  clear(): void {
    this.authorizations.clear();
    this.shared.clear();
    this.vpcQueues.clear();
  }

  /** Answers a call this class handles, or undefined to pass it through. */
  async handle(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<Route53Answer | undefined> {
    const { pathname, searchParams } = new URL(url, 'http://gateway');
    if (method === 'GET' && BY_VPC_PATH.test(pathname)) {
      return this.listByVpc(headers, searchParams.get('vpcid') ?? '', url);
    }
    if (method === 'POST' && pathname === '/2013-04-01/hostedzone') {
      return this.createZone(url, headers, body);
    }
    const deleted = /^\/2013-04-01\/hostedzone\/([^/]+)$/.exec(pathname);
    if (method === 'DELETE' && deleted) {
      for (const zones of this.shared.values()) zones.delete(deleted[1]);
      return undefined;
    }
    const m = ZONE_PATH.exec(pathname);
    if (!m || method !== 'POST') return undefined;
    const [, zoneId, verb] = m;
    const text = body.toString('utf8');
    const vpcId = tag(text, 'VPCId') ?? '';
    const vpcRegion = tag(text, 'VPCRegion') ?? '';
    const own = await this.zone(zoneId, headers);
    const noSuchZone = () =>
      error(404, 'NoSuchHostedZone', `No hosted zone found with ID: ${zoneId}`);
    switch (verb) {
      case 'authorizevpcassociation': {
        if (!own) return noSuchZone();
        const owner = await this.accountOf(headers);
        // No await between reading and writing the entry: concurrent authorizations all land.
        const entry = this.authorizations.get(zoneId) ?? {
          owner,
          vpcs: new Map(),
        };
        entry.vpcs.set(vpcId, vpcRegion);
        this.authorizations.set(zoneId, entry);
        return {
          status: 200,
          xml: `<?xml version="1.0"?><CreateVPCAssociationAuthorizationResponse xmlns="${XMLNS}"><HostedZoneId>${zoneId}</HostedZoneId><VPC><VPCRegion>${vpcRegion}</VPCRegion><VPCId>${vpcId}</VPCId></VPC></CreateVPCAssociationAuthorizationResponse>`,
        };
      }
      case 'deauthorizevpcassociation': {
        if (!own) return noSuchZone();
        if (!this.authorizations.get(zoneId)?.vpcs.delete(vpcId)) {
          return error(
            404,
            'VPCAssociationAuthorizationNotFound',
            `The VPC ${vpcId} is not authorized to be associated with ${zoneId}`,
          );
        }
        return {
          status: 200,
          xml: `<?xml version="1.0"?><DeleteVPCAssociationAuthorizationResponse xmlns="${XMLNS}"/>`,
        };
      }
      case 'associatevpc':
        return this.inVpcQueue(vpcId, () =>
          this.associate(url, headers, body, zoneId, vpcId, own),
        );
      default: {
        // disassociatevpc
        if (own) {
          // The owner letting go of a VPC (maybe another account's).
          this.shared.get(vpcId)?.delete(zoneId);
          return undefined;
        }
        // The VPC's account letting go of another account's zone.
        const owner = this.shared.get(vpcId)?.get(zoneId)?.owner;
        if (!owner) {
          return error(
            404,
            'VPCAssociationNotFound',
            `The VPC ${vpcId} is not associated with hosted zone ${zoneId}`,
          );
        }
        const res = await this.upstream(
          'POST',
          url,
          this.as(owner, headers),
          body,
        );
        if (res.status !== 200) return { status: res.status, xml: res.text };
        this.shared.get(vpcId)!.delete(zoneId);
        return {
          status: 200,
          xml: changeInfo('DisassociateVPCFromHostedZone'),
        };
      }
    }
  }

  private async associate(
    url: string,
    headers: Record<string, string>,
    body: Buffer,
    zoneId: string,
    vpcId: string,
    own: string | undefined,
  ): Promise<Route53Answer | undefined> {
    const owner = own ? undefined : this.authorizations.get(zoneId);
    if (!own && !owner?.vpcs.has(vpcId)) {
      return error(
        401,
        'NotAuthorizedException',
        `Associating ${vpcId} with hosted zone ${zoneId} has not been authorized by the zone's account.`,
      );
    }
    const asOwner = owner ? this.as(owner.owner, headers) : headers;
    const name = tag(own ?? (await this.zone(zoneId, asOwner)) ?? '', 'Name');
    if (await this.nameOnVpc(headers, vpcId, name)) {
      return conflict(name, vpcId);
    }
    const res = await this.upstream('POST', url, asOwner, body);
    if (res.status !== 200 || !owner)
      return { status: res.status, xml: res.text };
    const zones = this.shared.get(vpcId) ?? new Map();
    zones.set(zoneId, { owner: owner.owner, name: name ?? '' });
    this.shared.set(vpcId, zones);
    return { status: 200, xml: changeInfo('AssociateVPCWithHostedZone') };
  }

  /**
   * CreateHostedZone for a private zone: AWS refuses a second zone of the
   * same name on the same VPC (ConflictingDomainExists); the emulator does not.
   */
  private async createZone(
    url: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<Route53Answer> {
    const text = body.toString('utf8');
    const vpcId = tag(text, 'VPCId');
    const name = tag(text, 'Name');
    const create = async (): Promise<Route53Answer> => {
      if (vpcId && (await this.nameOnVpc(headers, vpcId, name))) {
        return conflict(name, vpcId);
      }
      const res = await this.upstream('POST', url, headers, body);
      return { status: res.status, xml: res.text };
    };
    return vpcId ? this.inVpcQueue(vpcId, create) : create();
  }

  /** The caller's zones on the VPC, then other accounts' zones associated with it. */
  private async listByVpc(
    headers: Record<string, string>,
    vpcId: string,
    url = `/2013-04-01/hostedzonesbyvpc?vpcid=${vpcId}`,
  ): Promise<Route53Answer> {
    const res = await this.upstream('GET', url, headers);
    const others = this.shared.get(vpcId);
    if (res.status !== 200 || !others?.size) {
      return { status: res.status, xml: res.text };
    }
    const summaries = [...others]
      .map(
        ([zoneId, { owner, name }]) =>
          `<HostedZoneSummary><HostedZoneId>${zoneId}</HostedZoneId><Name>${name}</Name><Owner><OwningAccount>${owner}</OwningAccount></Owner></HostedZoneSummary>`,
      )
      .join('');
    const xml = res.text.includes('</HostedZoneSummaries>')
      ? res.text.replace(
          '</HostedZoneSummaries>',
          `${summaries}</HostedZoneSummaries>`,
        )
      : res.text.replace(
          /<HostedZoneSummaries\s*\/>/,
          `<HostedZoneSummaries>${summaries}</HostedZoneSummaries>`,
        );
    return { status: 200, xml };
  }

  /** Whether a zone of this name is already on the VPC, whoever owns it. */
  private async nameOnVpc(
    headers: Record<string, string>,
    vpcId: string,
    name: string | undefined,
  ): Promise<boolean> {
    if (!name) return false;
    const bare = (n: string) => n.replace(/\.$/, '');
    const listed = await this.listByVpc(headers, vpcId);
    return [...listed.xml.matchAll(/<Name>([^<]*)<\/Name>/g)].some(
      m => bare(m[1]) === bare(name),
    );
  }

  private inVpcQueue<T>(vpcId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.vpcQueues.get(vpcId) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.vpcQueues.set(vpcId, next);
    return next;
  }

  /** GetHostedZone as the caller of `headers`: its XML, or undefined when not theirs. */
  private async zone(zoneId: string, headers: Record<string, string>) {
    const res = await this.upstream(
      'GET',
      `/2013-04-01/hostedzone/${zoneId}`,
      headers,
    );
    return res.status === 200 ? res.text : undefined;
  }

  private as(accountId: string, headers: Record<string, string>) {
    return { ...headers, 'x-moto-account-id': accountId };
  }
}
