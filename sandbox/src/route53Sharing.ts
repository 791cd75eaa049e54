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

const changeInfo = (action: string) =>
  `<?xml version="1.0"?><${action}Response xmlns="${XMLNS}"><ChangeInfo><Id>/change/sandbox</Id><Status>INSYNC</Status><SubmittedAt>${new Date().toISOString()}</SubmittedAt></ChangeInfo></${action}Response>`;

export class Route53Sharing {
  /** zone id -> owning account, and the VPCs it authorized (vpc id -> region). */
  private readonly authorizations = new Map<
    string,
    { owner: string; vpcs: Map<string, string> }
  >();
  /** vpc id -> zones of other accounts associated with it (zone id -> owner). */
  private readonly shared = new Map<string, Map<string, string>>();

  constructor(
    private readonly upstream: Upstream,
    private readonly accountOf: (
      headers: Record<string, string>,
    ) => Promise<string>,
  ) {}

  /** Answers a call this class handles, or undefined to pass it through. */
  async handle(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<Route53Answer | undefined> {
    const { pathname, searchParams } = new URL(url, 'http://gateway');
    if (method === 'GET' && BY_VPC_PATH.test(pathname)) {
      return this.listByVpc(url, headers, searchParams.get('vpcid') ?? '');
    }
    const m = ZONE_PATH.exec(pathname);
    if (!m || method !== 'POST') return undefined;
    const [, zoneId, verb] = m;
    const text = body.toString('utf8');
    const vpcId = tag(text, 'VPCId') ?? '';
    const vpcRegion = tag(text, 'VPCRegion') ?? '';
    const caller = await this.accountOf(headers);
    const own = await this.zone(zoneId, headers);
    switch (verb) {
      case 'authorizevpcassociation': {
        if (!own)
          return error(
            404,
            'NoSuchHostedZone',
            `No hosted zone found with ID: ${zoneId}`,
          );
        const entry = this.authorizations.get(zoneId) ?? {
          owner: caller,
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
        if (!own)
          return error(
            404,
            'NoSuchHostedZone',
            `No hosted zone found with ID: ${zoneId}`,
          );
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
      case 'associatevpc': {
        if (own) return undefined; // the caller's own zone: the emulator does it
        const entry = this.authorizations.get(zoneId);
        if (!entry?.vpcs.has(vpcId)) {
          return error(
            401,
            'NotAuthorizedException',
            `Associating ${vpcId} with hosted zone ${zoneId} has not been authorized by the zone's account.`,
          );
        }
        const res = await this.upstream(
          'POST',
          url,
          this.as(entry.owner, headers),
          body,
        );
        if (res.status !== 200) return { status: res.status, xml: res.text };
        const zones = this.shared.get(vpcId) ?? new Map();
        zones.set(zoneId, entry.owner);
        this.shared.set(vpcId, zones);
        return { status: 200, xml: changeInfo('AssociateVPCWithHostedZone') };
      }
      default: {
        // disassociatevpc: the VPC's account may let go of another account's zone.
        if (own) return undefined;
        const owner = this.shared.get(vpcId)?.get(zoneId);
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

  /** The caller's zones on the VPC, then other accounts' zones associated with it. */
  private async listByVpc(
    url: string,
    headers: Record<string, string>,
    vpcId: string,
  ): Promise<Route53Answer> {
    const res = await this.upstream('GET', url, headers);
    const others = this.shared.get(vpcId);
    if (res.status !== 200 || !others?.size) {
      return { status: res.status, xml: res.text };
    }
    const summaries: string[] = [];
    for (const [zoneId, owner] of others) {
      const zone = await this.zone(zoneId, this.as(owner, headers));
      // Deleted, or disassociated by its owner, since.
      if (!zone || !zone.includes(`<VPCId>${vpcId}</VPCId>`)) {
        others.delete(zoneId);
        continue;
      }
      summaries.push(
        `<HostedZoneSummary><HostedZoneId>${zoneId}</HostedZoneId><Name>${tag(
          zone,
          'Name',
        )}</Name><Owner><OwningAccount>${owner}</OwningAccount></Owner></HostedZoneSummary>`,
      );
    }
    const xml = res.text.includes('</HostedZoneSummaries>')
      ? res.text.replace(
          '</HostedZoneSummaries>',
          `${summaries.join('')}</HostedZoneSummaries>`,
        )
      : res.text.replace(
          /<HostedZoneSummaries\s*\/>/,
          `<HostedZoneSummaries>${summaries.join('')}</HostedZoneSummaries>`,
        );
    return { status: 200, xml };
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
