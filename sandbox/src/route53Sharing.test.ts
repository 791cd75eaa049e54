import { CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AssociateVPCWithHostedZoneCommand,
  CreateHostedZoneCommand,
  CreateVPCAssociationAuthorizationCommand,
  DisassociateVPCFromHostedZoneCommand,
  ListHostedZonesByVPCCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { Emulator, startEmulator } from './emulator';
import { SANDBOX } from './layout';
import { sandboxClientConfig } from './seed';

jest.setTimeout(60_000);

describe('Route 53 zones shared across accounts (sandbox gateway over the AWS emulator)', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator?.stop());

  function clients(accountId: string) {
    const config = sandboxClientConfig(
      emulator.endpoint,
      accountId,
      SANDBOX.portalRoleName,
    );
    return { ec2: new EC2Client(config), r53: new Route53Client(config) };
  }

  it("associates another account's VPC only once authorized, lists the zone with its owner there, and refuses a second zone of the name", async () => {
    const owner = clients(SANDBOX.efs.accountId);
    const other = clients(SANDBOX.eks.accountId);
    const vpc = async (c: ReturnType<typeof clients>, cidr: string) =>
      (await c.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
    const ownerVpc = await vpc(owner, '10.1.0.0/16');
    const otherVpc = await vpc(other, '10.2.0.0/16');
    const name = 'use1-az1.fs-12345678.efs.us-east-1.amazonaws.com';
    const VPC = (VPCId: string) => ({
      VPCId,
      VPCRegion: SANDBOX.region as any,
    });
    const { HostedZone } = await owner.r53.send(
      new CreateHostedZoneCommand({
        Name: name,
        CallerReference: 'test-1',
        VPC: VPC(ownerVpc),
        HostedZoneConfig: { PrivateZone: true },
      }),
    );
    const zoneId = HostedZone!.Id!.replace('/hostedzone/', '');

    await expect(
      other.r53.send(
        new AssociateVPCWithHostedZoneCommand({
          HostedZoneId: zoneId,
          VPC: VPC(otherVpc),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    await owner.r53.send(
      new CreateVPCAssociationAuthorizationCommand({
        HostedZoneId: zoneId,
        VPC: VPC(otherVpc),
      }),
    );
    await other.r53.send(
      new AssociateVPCWithHostedZoneCommand({
        HostedZoneId: zoneId,
        VPC: VPC(otherVpc),
      }),
    );
    const listed = await other.r53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: otherVpc,
        VPCRegion: SANDBOX.region as any,
      }),
    );
    expect(listed.HostedZoneSummaries).toEqual([
      {
        HostedZoneId: zoneId,
        Name: `${name}.`,
        Owner: { OwningAccount: SANDBOX.efs.accountId },
      },
    ]);

    // A VPC takes one zone of a name, as in AWS.
    await expect(
      owner.r53.send(
        new CreateHostedZoneCommand({
          Name: name,
          CallerReference: 'test-2',
          VPC: VPC(ownerVpc),
          HostedZoneConfig: { PrivateZone: true },
        }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictingDomainExists' });

    await other.r53.send(
      new DisassociateVPCFromHostedZoneCommand({
        HostedZoneId: zoneId,
        VPC: VPC(otherVpc),
      }),
    );
    const after = await other.r53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: otherVpc,
        VPCRegion: SANDBOX.region as any,
      }),
    );
    expect(after.HostedZoneSummaries ?? []).toEqual([]);
  });
});
