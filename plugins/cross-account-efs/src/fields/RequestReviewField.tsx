import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Typography from '@material-ui/core/Typography';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossAccountEfsApiRef } from '../api/CrossAccountEfsApi';
import { PlanTable, planByAccountAndLayer } from '../components/PlanTable';
import { connectivityLabel } from '../components/connectivityLabel';

/**
 * The approver's review: the request as recorded (read-only) and its plan:
 * the provisioning plan, or with `ui:options: { plan: removal }` what
 * removal would change now. The steps use these recorded values, not
 * anything typed in the form.
 */
export function RequestReviewField(
  props: FieldExtensionComponentProps<object>,
) {
  const api = useApi(crossAccountEfsApiRef);
  const requestId = (props.formContext?.formData as { requestId?: string })
    ?.requestId;
  const removal = props.uiSchema?.['ui:options']?.plan === 'removal';
  const state = useAsync(async () => {
    if (!requestId) return undefined;
    const [request, removalPlan] = await Promise.all([
      api.getRequest(requestId),
      removal ? api.getRemovalPlan(requestId) : undefined,
    ]);
    return { ...request, plan: removalPlan ?? request.plan };
  }, [api, requestId, removal]);
  const { onChange } = props;
  // The value is what the scaffolder's review step lists: the request as
  // recorded, and its plan grouped by account, then layer.
  useEffect(() => {
    const r = state.value;
    if (!r) return;
    onChange({
      requestedBy: r.requester,
      status: r.status,
      connection: `${r.fileSystemRef} -> ${r.clusterRef}`,
      storageClass: r.options.storageClassName,
      namespace: r.options.namespace ?? '(none)',
      connectivity: connectivityLabel(r.options.connectivity),
      nfsRuleSource: r.options.nfsIngressMode,
      driverIdentity: r.options.workloadIdentity,
      rootAccess: r.options.rootAccess ? 'yes' : 'no',
      ...(r.options.acceptRouteTakeover ? { routeTakeover: 'accepted' } : {}),
      ...(r.plan.blockers.length
        ? {
            blockers: r.plan.blockers.map(
              b =>
                `${b.layer ? `${b.layer}: ` : ''}${b.summary} Fix: ${b.remedy}`,
            ),
          }
        : {}),
      [removal ? 'removalPlan' : 'plan']: r.plan.changes.length
        ? planByAccountAndLayer(r.plan.changes)
        : 'nothing to change',
    });
  }, [state.value, onChange, removal]);
  if (!requestId) {
    return (
      <Typography variant="body2">
        Open this form from a request on the requests page.
      </Typography>
    );
  }
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const r = state.value!;
  return (
    <div data-testid="request-review">
      <Typography variant="body1" paragraph>
        <EntityRefLink entityRef={r.requester} /> asks for{' '}
        <EntityRefLink entityRef={r.fileSystemRef} /> (
        {r.spec.fileSystem.fileSystemId} in {r.spec.fileSystem.accountId}) on{' '}
        <EntityRefLink entityRef={r.clusterRef} /> ({r.spec.cluster.clusterName}{' '}
        in {r.spec.cluster.accountId}). Status: <b>{r.status}</b>
        {r.approver ? (
          <>
            , approved by <EntityRefLink entityRef={r.approver} />
          </>
        ) : null}
        .
      </Typography>
      <Typography variant="body2" paragraph>
        Connectivity <b>{connectivityLabel(r.options.connectivity)}</b>,
        StorageClass <b>{r.options.storageClassName}</b>, namespace{' '}
        {r.options.namespace ?? '(none)'}, directory permissions{' '}
        {r.options.directoryPerms}, NFS from {r.options.nfsIngressMode}, driver
        identity {r.options.workloadIdentity}, root access{' '}
        {r.options.rootAccess ? 'yes' : 'no'}
        {r.options.acceptRouteTakeover
          ? ', routes through the peering may take over broader routes'
          : ''}
        .
      </Typography>
      <PlanTable
        plan={r.plan}
        title={removal ? 'Removal plan, in order' : undefined}
      />
    </div>
  );
}
