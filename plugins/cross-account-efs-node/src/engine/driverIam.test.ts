import {
  DescribeAccessPointsCommand,
  DescribeFileSystemPolicyCommand,
} from '@aws-sdk/client-efs';
import { DescribeAddonCommand, UpdateAddonCommand } from '@aws-sdk/client-eks';
import {
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { independent, independentKubernetes, SANDBOX } from '@internal/sandbox';
import {
  connectCluster,
  EmulatorEngine,
  sandboxClusterOptions,
  sandboxRoles,
  sandboxSpec,
  startEmulatorEngine,
} from '../__testUtils__/emulatorEngine';
import { parsePolicy } from '../iam/policyDocument';
import { TEST_CLAIM } from '../layers/kubernetes';

jest.setTimeout(180_000);

const eksAccount = SANDBOX.eks.accountId;
const efsAccount = SANDBOX.efs.accountId;
const { csiDriverRoleName: csiRoleName, efsRoleName } = sandboxRoles;
const options = sandboxClusterOptions;

describe('the simulated driver provisions through AWS under IAM evaluation (emulator + @cloud-copilot/iam-simulate; mounts on nodes are not evaluated)', () => {
  let sandbox: EmulatorEngine;
  const kube = () => independentKubernetes(sandbox.emulator.kubernetes);
  const accessPoints = async () =>
    (
      await independent(efsAccount).efs.send(
        new DescribeAccessPointsCommand({
          FileSystemId: SANDBOX.efs.fileSystemId,
        }),
      )
    ).AccessPoints ?? [];

  /** A new claim of the connection's class: what it ends as, and the driver's last word on it. */
  async function probe(name: string) {
    await kube().core.createNamespacedPersistentVolumeClaim({
      namespace: 'team-a',
      body: {
        metadata: { name },
        spec: {
          accessModes: ['ReadWriteMany'],
          storageClassName: options.storageClassName,
          resources: { requests: { storage: '1Mi' } },
        },
      },
    });
    let phase: string | undefined;
    let events: string[] = [];
    for (let i = 0; i < 30 && phase !== 'Bound'; i++) {
      await new Promise(r => setTimeout(r, 100));
      const claim = await kube().core.readNamespacedPersistentVolumeClaim({
        name,
        namespace: 'team-a',
      });
      phase = claim.status?.phase;
      events = (
        await kube().core.listNamespacedEvent({
          namespace: 'team-a',
          fieldSelector: `involvedObject.uid=${claim.metadata!.uid}`,
        })
      ).items
        .filter(e => e.type === 'Warning')
        .map(e => e.message!);
    }
    return { phase, events };
  }

  /** The add-on's controller values, as an operator sets them; EKS applies them (settled on the next read). */
  async function configureAddon(controller: object) {
    const eks = independent(eksAccount).eks;
    const addon = {
      clusterName: SANDBOX.eks.clusterName,
      addonName: 'aws-efs-csi-driver',
    };
    await eks.send(
      new UpdateAddonCommand({
        ...addon,
        configurationValues: JSON.stringify({ controller }),
      }),
    );
    await eks.send(new DescribeAddonCommand(addon));
  }

  beforeAll(async () => {
    sandbox = await startEmulatorEngine();
  });
  beforeEach(async () => {
    await sandbox.reset();
    await connectCluster(sandbox.context(), sandboxSpec, options);
  });
  afterAll(() => sandbox?.stop());

  it("binds a correct connection's claim to an access point that exists in the EFS account, tagged as the driver's; deleting the claim deletes it", async () => {
    const claim = await kube().core.readNamespacedPersistentVolumeClaim({
      name: TEST_CLAIM,
      namespace: 'team-a',
    });
    const pv = await kube().core.readPersistentVolume({
      name: claim.spec!.volumeName!,
    });
    const accessPointId = pv.spec!.csi!.volumeHandle.split('::')[1];
    expect(await accessPoints()).toEqual([
      expect.objectContaining({
        AccessPointId: accessPointId,
        Tags: expect.arrayContaining([
          { Key: 'efs.csi.aws.com/cluster', Value: 'true' },
        ]),
      }),
    ]);

    await kube().core.deleteNamespacedPersistentVolumeClaim({
      name: TEST_CLAIM,
      namespace: 'team-a',
    });
    for (let i = 0; i < 30 && (await accessPoints()).length; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(await accessPoints()).toEqual([]);
  });

  const efsIam = () => independent(efsAccount).iam;
  const efsRoleTrust = async () =>
    parsePolicy(
      (await efsIam().send(new GetRoleCommand({ RoleName: efsRoleName }))).Role!
        .AssumeRolePolicyDocument,
    );
  const putTrust = async (change: (statement: any) => void) => {
    const trust = JSON.parse(JSON.stringify(await efsRoleTrust()));
    change(trust.Statement[0]);
    await efsIam().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: efsRoleName,
        PolicyDocument: JSON.stringify(trust),
      }),
    );
  };

  it.each([
    [
      "the EFS-account role's trust asks for another external id",
      () =>
        putTrust(s => {
          s.Condition.StringEquals['sts:ExternalId'] = 'not-the-secrets';
        }),
      /is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role\/efs-csi-x-account/,
    ],
    [
      "the EFS-account role's trust names another role",
      () =>
        putTrust(s => {
          s.Principal.AWS = `arn:aws:iam::${eksAccount}:role/someone-else`;
        }),
      /is not authorized to perform: sts:AssumeRole/,
    ],
    [
      'the driver role may not assume the EFS-account role',
      () =>
        independent(eksAccount).iam.send(
          new DeleteRolePolicyCommand({
            RoleName: csiRoleName,
            PolicyName: 'cross-account-efs',
          }),
        ),
      /assumed-role\/efs-csi-driver-apps-cluster\/efs-csi-controller is not authorized to perform: sts:AssumeRole/,
    ],
    [
      'the EFS-account role may not create access points',
      () =>
        efsIam().send(
          new DeleteRolePolicyCommand({
            RoleName: efsRoleName,
            PolicyName: 'cross-account-efs',
          }),
        ),
      /efs-csi-driver is not authorized to perform: elasticfilesystem:CreateAccessPoint on resource: arn:aws:elasticfilesystem:us-west-2:111111111111:file-system\//,
    ],
  ])(
    "a new claim stays Pending with the driver's AccessDenied when %s",
    async (_what, breakIt, denial) => {
      await breakIt();
      const { phase, events } = await probe('app-data');
      expect(phase).toBe('Pending');
      expect(events.join('\n')).toMatch(denial);
      expect(await accessPoints()).toHaveLength(1); // the test claim's only
    },
  );

  it("follows the add-on's deleteAccessPointRootDir: without root access the driver cannot delete a volume (its AccessDenied on the volume, the access point stays); provisioning again grants it and the deletion completes", async () => {
    await configureAddon({ deleteAccessPointRootDir: true });
    // The controller now runs with --delete-access-point-root-dir.
    const controller = await kube().apps.readNamespacedDeployment({
      name: 'efs-csi-controller',
      namespace: 'kube-system',
    });
    expect(controller.spec?.template.spec?.containers[0].args).toContain(
      '--delete-access-point-root-dir=true',
    );

    const claim = await kube().core.readNamespacedPersistentVolumeClaim({
      name: TEST_CLAIM,
      namespace: 'team-a',
    });
    const volumeName = claim.spec!.volumeName!;
    await kube().core.deleteNamespacedPersistentVolumeClaim({
      name: TEST_CLAIM,
      namespace: 'team-a',
    });
    const volumeEvents = async () =>
      (
        await kube().core.listNamespacedEvent({
          namespace: 'default',
          fieldSelector: `involvedObject.name=${volumeName}`,
        })
      ).items.map(e => e.message!);
    let events: string[] = [];
    for (let i = 0; i < 30 && !events.length; i++) {
      await new Promise(r => setTimeout(r, 100));
      events = await volumeEvents();
    }
    expect(events).toEqual([
      expect.stringMatching(
        new RegExp(
          `Failed to delete volume ${volumeName}: AccessDenied: User: arn:aws:sts::${eksAccount}:assumed-role/${csiRoleName}/efs-csi-controller is not authorized to perform: elasticfilesystem:ClientRootAccess`,
        ),
      ),
    ]);
    expect(await accessPoints()).toHaveLength(1);

    // The plan follows the setting: root access for the driver's role, in
    // its own policy and the file system policy.
    await connectCluster(sandbox.context(), sandboxSpec, {
      ...options,
      verify: false,
    });
    const { Policy } = await independent(efsAccount).efs.send(
      new DescribeFileSystemPolicyCommand({
        FileSystemId: SANDBOX.efs.fileSystemId,
      }),
    );
    expect(
      parsePolicy(Policy).Statement.find(st =>
        String(st.Sid).startsWith('CrossAccountEfsMount'),
      )?.Action,
    ).toContain('elasticfilesystem:ClientRootAccess');
    // The driver retries; the root mount is allowed now, and the access point goes.
    for (let i = 0; i < 50 && (await accessPoints()).length; i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    expect(await accessPoints()).toEqual([]);
  });

  it("follows the add-on's controller tags: the access point carries them and the generated statements allow them, where a policy limiting tag keys to the driver's would deny the claim", async () => {
    await configureAddon({ tags: { team: 'apps' } });
    expect(await probe('tagged')).toEqual({ phase: 'Bound', events: [] });
    expect(
      (await accessPoints()).filter(ap =>
        ap.Tags?.some(t => t.Key === 'team' && t.Value === 'apps'),
      ),
    ).toHaveLength(1);

    // A hand-narrowed policy, as some set-ups write it: only the driver's tag key.
    const { PolicyDocument } = await efsIam().send(
      new GetRolePolicyCommand({
        RoleName: efsRoleName,
        PolicyName: 'cross-account-efs',
      }),
    );
    const policy = parsePolicy(decodeURIComponent(PolicyDocument!));
    const narrowed = {
      ...policy,
      Statement: policy.Statement.map(st =>
        [st.Action].flat().includes('elasticfilesystem:CreateAccessPoint')
          ? {
              ...st,
              Condition: {
                ...st.Condition,
                'ForAllValues:StringEquals': {
                  'aws:TagKeys': ['efs.csi.aws.com/cluster'],
                },
              },
            }
          : st,
      ),
    };
    await efsIam().send(
      new PutRolePolicyCommand({
        RoleName: efsRoleName,
        PolicyName: 'cross-account-efs',
        PolicyDocument: JSON.stringify(narrowed),
      }),
    );
    expect(await probe('narrowed')).toEqual({
      phase: 'Pending',
      events: [
        expect.stringMatching(
          /AccessDenied: .* is not authorized to perform: elasticfilesystem:CreateAccessPoint/,
        ),
      ],
    });
  });
});
