import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53';
import {
  AwsCallCounter,
  ClientMiddleware,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-node';
import { independent, SANDBOX } from '@internal/sandbox';
import supertest from 'supertest';
import {
  expectCompleted,
  portalPerTest,
  USERS,
} from '../__testUtils__/portalBackend';

jest.setTimeout(300_000);

/**
 * Fault injection below the engine: the named AWS command fails once, as a
 * task whose replica died there would have stopped.
 */
function failOnce(command: { name?: string }): ClientMiddleware & {
  arm(name: string): void;
} {
  let armed: string | undefined = command.name;
  const middleware: ClientMiddleware = () => ({
    applyToStack: stack =>
      stack.add(
        (next, context) => async args => {
          if (armed && context.commandName === armed) {
            armed = undefined;
            throw Object.assign(new Error('injected: the task stopped here'), {
              name: 'InternalFailure',
              $fault: 'server',
              $metadata: { httpStatusCode: 400 },
            });
          }
          return next(args);
        },
        { step: 'initialize', name: 'failOnce' },
      ),
  });
  return Object.assign(middleware, {
    arm: (name: string) => {
      armed = name;
    },
  });
}

const mutatingCommands = (counter: AwsCallCounter) =>
  counter.mutating.map(c => c.command);

/** The first mutating command of each layer after the first: where a task can stop. */
const stopsBefore: Array<[string, string, string[]]> = [
  ['csiDriver', 'CreateAddonCommand', ['CreateRole', 'PutRolePolicy']],
  ['peering', 'CreateVpcPeeringConnectionCommand', ['CreateAddon']],
  ['routes', 'CreateRouteCommand', ['CreateVpcPeeringConnection']],
  ['nfs', 'AuthorizeSecurityGroupIngressCommand', ['CreateRoute']],
  ['dns', 'CreateHostedZoneCommand', ['AuthorizeSecurityGroupIngress']],
];

describe('a request never strands half-done (real scaffolder, AWS emulator, Kubernetes double)', () => {
  const counter = new AwsCallCounter();
  const fault = failOnce({});
  const sandbox = portalPerTest(
    () => ({ middleware: [counter.middleware, fault] }),
    () => counter.reset(),
  );
  const newRequest = () => sandbox.portal.ask();
  const requestOf = async (id: string) =>
    (await sandbox.portal.api(USERS.requester, 'get', `/requests/${id}`)).body;
  const provision = (id: string, user = USERS.approver) =>
    sandbox.portal.run(user, 'cross-account-efs-provision', { requestId: id });

  it.each(stopsBefore)(
    'a task that stops at %s is recorded failed there; Retry resumes it, and the layers before change nothing',
    async (step, command, before) => {
      const id = await newRequest();
      fault.arm(command);
      const stopped = await provision(id);
      expect(stopped.status).toBe('failed');
      expect(stopped.steps.at(-1)).toBe(step);
      expect(await requestOf(id)).toMatchObject({
        status: 'failed',
        failure: {
          operation: 'provision',
          step,
          message: expect.stringContaining('injected: the task stopped here'),
        },
      });
      expect(mutatingCommands(counter)).toEqual(expect.arrayContaining(before));

      counter.reset();
      const retried = await provision(id, USERS.approver2);
      expectCompleted({ status: retried.status, log: retried.log });
      expect(await requestOf(id)).toMatchObject({
        status: 'provisioned',
        approver: USERS.approver,
      });
      // What finished before the stop was not made again.
      for (const done of before) {
        expect(mutatingCommands(counter)).not.toContain(done);
      }
    },
  );

  it('Repair after one layer broke changes only that layer', async () => {
    const id = await newRequest();
    expectCompleted(await provision(id));
    const efs = independent(SANDBOX.efs.accountId);
    const { SecurityGroups } = await efs.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [SANDBOX.efs.securityGroupName] },
        ],
      }),
    );
    const group = SecurityGroups![0];
    const nfs = group.IpPermissions!.filter(p => p.FromPort === 2049);
    expect(nfs).not.toHaveLength(0);
    await efs.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: group.GroupId,
        IpPermissions: nfs,
      }),
    );

    counter.reset();
    expectCompleted(await provision(id));
    expect(mutatingCommands(counter)).toEqual([
      'AuthorizeSecurityGroupIngress',
    ]);
    expect((await requestOf(id)).status).toBe('provisioned');
  });

  it('a task cancelled mid-provisioning fails its request, naming the task; Retry then provisions it', async () => {
    const id = await newRequest();
    // The add-on stays CREATING (EKS takes a minute): the task waits in its kubernetes step.
    sandbox.emulator.addons.settleMs = 10 * 60_000;
    const { portal } = sandbox;
    const task = await portal.start(
      USERS.approver,
      'cross-account-efs-provision',
      { requestId: id },
    );
    for (let i = 0; i < 600; i++) {
      const events = await portal.events(USERS.approver, task);
      if (events.some(e => e.body.stepId === 'kubernetes')) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect((await requestOf(id)).status).toBe('provisioning');

    await supertest(portal.server)
      .post(`/api/scaffolder/v2/tasks/${task}/cancel`)
      .set('authorization', portal.as(USERS.approver))
      .expect(200);
    // The backend hears of the task's end from the scaffolder's events.
    for (let i = 0; i < 100; i++) {
      if ((await requestOf(id)).status !== 'provisioning') break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(await requestOf(id)).toMatchObject({
      status: 'failed',
      taskId: task,
      failure: {
        step: 'task',
        message: expect.stringContaining(`Task ${task} ended (cancelled)`),
      },
    });
    sandbox.emulator.addons.settleAll();
    sandbox.emulator.addons.settleMs = 0;
    // The waiting step hears the abort and throws, so the task may end failed.
    expect(['cancelled', 'failed']).toContain(
      (await portal.outcome(USERS.approver, task)).status,
    );

    const retried = await provision(id);
    expectCompleted(retried);
    expect(await requestOf(id)).toMatchObject({ status: 'provisioned' });
  });

  describe('plan gate: a blocker in a later layer refuses provisioning before its first mutation', () => {
    it('a private zone of the same name already on the cluster VPC', async () => {
      const id = await newRequest();
      const eks = independent(SANDBOX.eks.accountId);
      const { Vpcs } = await eks.ec2.send(
        new DescribeVpcsCommand({
          Filters: [{ Name: 'tag:Name', Values: [SANDBOX.eks.vpcName] }],
        }),
      );
      await eks.r53.send(
        new CreateHostedZoneCommand({
          Name: `usw2-az1.${SANDBOX.efs.fileSystemId}.efs.${SANDBOX.region}.amazonaws.com`,
          CallerReference: 'made-by-hand',
          VPC: { VPCId: Vpcs![0].VpcId, VPCRegion: SANDBOX.region },
          HostedZoneConfig: { PrivateZone: true },
        }),
      );
      counter.reset();
      const refused = await provision(id);
      expect(refused.status).toBe('failed');
      expect(refused.steps).toEqual(['approve', 'iam']);
      expect(refused.log).toMatch(/- dns: .*Fix: /);
      expect(counter.mutating).toEqual([]);
      const request = await requestOf(id);
      expect(request).toMatchObject({
        status: 'failed',
        failure: { step: 'iam' },
      });
      expect(request.plan.blockers.map((b: any) => b.layer)).toContain('dns');
    });

    it("a route table that already sends the cluster's range elsewhere", async () => {
      const id = await newRequest();
      const efs = independent(SANDBOX.efs.accountId);
      const { Vpcs } = await efs.ec2.send(
        new DescribeVpcsCommand({
          Filters: [{ Name: 'tag:Name', Values: [SANDBOX.efs.vpcName] }],
        }),
      );
      const { RouteTables } = await efs.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: 'tag:Name', Values: [SANDBOX.efs.routeTableName] }],
        }),
      );
      const { InternetGateway } = await efs.ec2.send(
        new CreateInternetGatewayCommand({}),
      );
      await efs.ec2.send(
        new AttachInternetGatewayCommand({
          InternetGatewayId: InternetGateway!.InternetGatewayId,
          VpcId: Vpcs![0].VpcId,
        }),
      );
      await efs.ec2.send(
        new CreateRouteCommand({
          RouteTableId: RouteTables![0].RouteTableId,
          DestinationCidrBlock: SANDBOX.eks.vpcCidr,
          GatewayId: InternetGateway!.InternetGatewayId,
        }),
      );
      counter.reset();
      const refused = await provision(id);
      expect(refused.status).toBe('failed');
      expect(refused.steps).toEqual(['approve', 'iam']);
      expect(refused.log).toContain(
        `already sends ${SANDBOX.eks.vpcCidr} to ${
          InternetGateway!.InternetGatewayId
        }`,
      );
      expect(counter.mutating).toEqual([]);
    });
  });

  it('Remove after a failed provisioning takes away what was made, and the request is removed', async () => {
    const id = await newRequest();
    fault.arm('CreateHostedZoneCommand');
    expect((await provision(id)).status).toBe('failed');
    const removed = await sandbox.portal.run(
      USERS.approver,
      'cross-account-efs-deprovision',
      { requestId: id },
    );
    expectCompleted(removed);
    expect(removed.log).toContain('delete vpc-peering-connection');
    expect((await requestOf(id)).status).toBe('removed');
    // A removed request is over: nobody provisions it again.
    expect((await provision(id)).status).toBe('failed');
  });
});
