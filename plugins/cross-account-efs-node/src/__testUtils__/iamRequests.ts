import { DescribeVpcPeeringConnectionsCommand } from '@aws-sdk/client-ec2';
import { DescribeSecurityGroupRulesCommand } from '@aws-sdk/client-ec2';
import type { Pluggable } from '@smithy/types';
import { independent, IamRequest } from '@internal/sandbox';
import type { ClientMiddleware } from '../aws/AwsClients';

/** One AWS call as the engine made it: enough to ask IAM about it. */
export interface RecordedCall {
  service: string;
  accountId: string;
  region: string;
  command: string;
  input: any;
  /** Tags of the resource the call acts on, read just before it (tag conditions). */
  resourceTags?: Record<string, string>;
}

const tagsOf = (tags?: Array<{ Key?: string; Value?: string }>) =>
  Object.fromEntries((tags ?? []).map(t => [t.Key!, t.Value ?? '']));

/** The tags a tag-conditioned call will be judged by, read with the sandbox's admin. */
async function resourceTags(
  accountId: string,
  input: any,
): Promise<Record<string, string> | undefined> {
  const ec2 = independent(accountId).ec2;
  const id: string | undefined =
    input.VpcPeeringConnectionId ?? input.Resources?.[0];
  if (id?.startsWith('pcx-')) {
    const { VpcPeeringConnections = [] } = await ec2.send(
      new DescribeVpcPeeringConnectionsCommand({
        VpcPeeringConnectionIds: [id],
      }),
    );
    return tagsOf(VpcPeeringConnections[0]?.Tags);
  }
  if (id?.startsWith('sgr-')) {
    const { SecurityGroupRules = [] } = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }),
    );
    return tagsOf(SecurityGroupRules[0]?.Tags);
  }
  return undefined;
}

/** Records every call with its input; tagging and deletion calls with their resource's tags first. */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];

  readonly middleware: ClientMiddleware = target => {
    const plugin: Pluggable<any, any> = {
      applyToStack: stack => {
        stack.add(
          (next, context) => async args => {
            const command = String(context.commandName).replace(/Command$/, '');
            const input = args.input as any;
            const call: RecordedCall = {
              service: target.service,
              accountId: target.accountId,
              region: target.region,
              command,
              input,
            };
            if (
              target.service === 'ec2' &&
              /^(CreateTags|DeleteTags|DeleteVpcPeeringConnection)$/.test(
                command,
              )
            ) {
              call.resourceTags = await resourceTags(target.accountId, input);
            }
            this.calls.push(call);
            return next(args);
          },
          { step: 'initialize', name: 'iamCallRecorder', override: true },
        );
      },
    };
    return plugin;
  };
}

const PREFIX: Record<string, string> = {
  ec2: 'ec2',
  efs: 'elasticfilesystem',
  eks: 'eks',
  iam: 'iam',
  route53: 'route53',
  sts: 'sts',
};

const RESOURCELESS = [
  'route53:ListHostedZonesByVPC',
  'route53:CreateHostedZone',
  'eks:DescribeAddonVersions',
  'iam:ListOpenIDConnectProviders',
];

const zoneId = (id: string) => id.replace(/^\/hostedzone\//, '');

/**
 * The requests IAM authorizes for one call (an action on each resource the
 * service authorization reference lists for it, with the condition keys our
 * policies use). A call this does not know fails the test: a new call needs
 * its resources written down here, not a silent "*".
 */
export function iamRequestsOf(
  call: RecordedCall,
  principal: string,
): Omit<IamRequest, 'principal'>[] {
  const { accountId: a, region: r, command, input } = call;
  const action = `${PREFIX[call.service]}:${command}`;
  const ec2 = (type: string, id: string) =>
    `arn:aws:ec2:${r}:${a}:${type}/${id}`;
  const tagContext = () =>
    Object.fromEntries(
      Object.entries(call.resourceTags ?? {}).map(([k, v]) => [
        `ec2:ResourceTag/${k}`,
        v,
      ]),
    );
  const requestTags = (specs?: Array<{ Tags?: any[] }>) => {
    const tags = tagsOf(specs?.flatMap(s => s.Tags ?? []));
    return {
      ...Object.fromEntries(
        Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v]),
      ),
      ...(Object.keys(tags).length ? { 'aws:TagKeys': Object.keys(tags) } : {}),
    };
  };
  const on = (resource: string, context: Record<string, any> = {}) => ({
    action,
    resource,
    context: { 'aws:PrincipalArn': principal, ...context },
  });
  // Calls with no resource-level permissions.
  if (
    (call.service === 'ec2' && command.startsWith('Describe')) ||
    RESOURCELESS.includes(action)
  ) {
    return [on('*')];
  }
  // An access entry's ARN names its IAM identity: type, account, name.
  const accessEntry = (i: { clusterName: string; principalArn: string }) => {
    const [, , , , account, resource] = i.principalArn.split(':');
    const [type, ...path] = resource.split('/');
    return `arn:aws:eks:${r}:${a}:access-entry/${
      i.clusterName
    }/${type}/${account}/${path.pop()}/*`;
  };
  switch (action) {
    case 'ec2:CreateVpcPeeringConnection': {
      const created = {
        'ec2:CreateAction': 'CreateVpcPeeringConnection',
        ...requestTags(input.TagSpecifications),
      };
      return [
        on(ec2('vpc', input.VpcId)),
        on(
          ec2('vpc-peering-connection', '*'),
          requestTags(input.TagSpecifications),
        ),
        ...(input.TagSpecifications?.length
          ? [
              {
                ...on(ec2('vpc-peering-connection', '*'), created),
                action: 'ec2:CreateTags',
              },
            ]
          : []),
      ];
    }
    case 'ec2:AcceptVpcPeeringConnection':
      return [on(ec2('vpc-peering-connection', input.VpcPeeringConnectionId))];
    case 'ec2:DeleteVpcPeeringConnection':
      return [
        on(
          ec2('vpc-peering-connection', input.VpcPeeringConnectionId),
          tagContext(),
        ),
      ];
    case 'ec2:CreateRoute':
    case 'ec2:ReplaceRoute':
    case 'ec2:DeleteRoute':
      return [on(ec2('route-table', input.RouteTableId))];
    case 'ec2:AuthorizeSecurityGroupIngress':
      return [
        on(ec2('security-group', input.GroupId)),
        on(
          ec2('security-group-rule', '*'),
          requestTags(input.TagSpecifications),
        ),
        ...(input.TagSpecifications?.length
          ? [
              {
                ...on(ec2('security-group-rule', '*'), {
                  'ec2:CreateAction': 'AuthorizeSecurityGroupIngress',
                  ...requestTags(input.TagSpecifications),
                }),
                action: 'ec2:CreateTags',
              },
            ]
          : []),
      ];
    case 'ec2:RevokeSecurityGroupIngress':
      return [on(ec2('security-group', input.GroupId))];
    case 'ec2:CreateTags':
    case 'ec2:DeleteTags': {
      const type = (id: string) =>
        ({ pcx: 'vpc-peering-connection', rtb: 'route-table' }[
          id.split('-')[0]
        ] ?? 'security-group-rule');
      // The keys written (or deleted); DeleteTags without Tags deletes them all.
      const keys = input.Tags?.length
        ? { 'aws:TagKeys': input.Tags.map((t: { Key: string }) => t.Key) }
        : {};
      return (input.Resources as string[]).map(id =>
        on(ec2(type(id), id), { ...tagContext(), ...keys }),
      );
    }
    case 'elasticfilesystem:DescribeFileSystems':
    case 'elasticfilesystem:DescribeMountTargets':
    case 'elasticfilesystem:DescribeFileSystemPolicy':
    case 'elasticfilesystem:PutFileSystemPolicy':
    case 'elasticfilesystem:DeleteFileSystemPolicy':
      return [
        on(
          `arn:aws:elasticfilesystem:${r}:${a}:file-system/${input.FileSystemId}`,
        ),
      ];
    case 'iam:CreateOpenIDConnectProvider':
      return [
        on(
          `arn:aws:iam::${a}:oidc-provider/${String(input.Url).replace(
            /^https:\/\//,
            '',
          )}`,
        ),
      ];
    case 'iam:GetRole':
    case 'iam:CreateRole':
    case 'iam:DeleteRole':
    case 'iam:GetRolePolicy':
    case 'iam:PutRolePolicy':
    case 'iam:DeleteRolePolicy':
    case 'iam:ListRolePolicies':
    case 'iam:UpdateAssumeRolePolicy':
    case 'iam:TagRole':
      return [on(`arn:aws:iam::${a}:role/${input.RoleName}`)];
    case 'route53:ChangeTagsForResource':
      return [on(`arn:aws:route53:::hostedzone/${zoneId(input.ResourceId)}`)];
    case 'route53:ListTagsForResources':
      return (input.ResourceIds as string[]).map(id =>
        on(`arn:aws:route53:::hostedzone/${zoneId(id)}`),
      );
    case 'route53:ChangeResourceRecordSets':
    case 'route53:ListResourceRecordSets':
    case 'route53:CreateVPCAssociationAuthorization':
    case 'route53:DeleteVPCAssociationAuthorization':
    case 'route53:AssociateVPCWithHostedZone':
    case 'route53:DisassociateVPCFromHostedZone':
    case 'route53:DeleteHostedZone':
      return [
        on(
          `arn:aws:route53:::hostedzone/${zoneId(
            input.HostedZoneId ?? input.Id,
          )}`,
        ),
      ];
    case 'eks:DescribeCluster':
      return [on(`arn:aws:eks:${r}:${a}:cluster/${input.name}`)];
    case 'eks:ListNodegroups':
      return [on(`arn:aws:eks:${r}:${a}:cluster/${input.clusterName}`)];
    case 'eks:DescribeNodegroup':
      return [
        on(
          `arn:aws:eks:${r}:${a}:nodegroup/${input.clusterName}/${input.nodegroupName}/*`,
        ),
      ];
    case 'eks:DescribeAddon':
    case 'eks:UpdateAddon':
    case 'eks:DeleteAddon':
      return [
        on(
          `arn:aws:eks:${r}:${a}:addon/${input.clusterName}/${input.addonName}/*`,
        ),
      ];
    case 'eks:CreateAddon':
      return [
        on(`arn:aws:eks:${r}:${a}:cluster/${input.clusterName}`),
        // Tags on create are authorized as TagResource on the new add-on.
        ...(input.tags
          ? [
              {
                ...on(
                  `arn:aws:eks:${r}:${a}:addon/${input.clusterName}/${input.addonName}/*`,
                ),
                action: 'eks:TagResource',
              },
            ]
          : []),
      ];
    case 'eks:CreateAccessEntry':
      return [
        on(`arn:aws:eks:${r}:${a}:cluster/${input.clusterName}`, {
          'eks:principalArn': input.principalArn,
        }),
        ...(input.tags
          ? [{ ...on(accessEntry(input)), action: 'eks:TagResource' }]
          : []),
      ];
    case 'eks:DescribeAccessEntry':
    case 'eks:DeleteAccessEntry':
      return [on(accessEntry(input))];
    case 'eks:AssociateAccessPolicy':
      return [on(accessEntry(input), { 'eks:policyArn': input.policyArn })];
    default:
      throw new Error(
        `iamRequestsOf: no resources written down for ${action}; add them (from the service authorization reference).`,
      );
  }
}
