import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Typography from '@material-ui/core/Typography';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossAccountEfsApiRef } from '../api/CrossAccountEfsApi';
import { PlanTable } from '../components/PlanTable';

/**
 * The approver's review: the request as recorded (read-only) and its plan.
 * The provisioning steps use these recorded values, not anything typed in
 * the form.
 */
export function RequestReviewField(
  props: FieldExtensionComponentProps<object>,
) {
  const api = useApi(crossAccountEfsApiRef);
  const requestId = (props.formContext?.formData as { requestId?: string })
    ?.requestId;
  const state = useAsync(
    async () => (requestId ? api.getRequest(requestId) : undefined),
    [api, requestId],
  );
  const { onChange } = props;
  // The value is what the scaffolder's review step lists: the request and its plan.
  useEffect(() => {
    const r = state.value;
    if (!r) return;
    onChange({
      requestedBy: r.requester,
      connection: `${r.fileSystemRef} -> ${r.clusterRef}`,
      storageClass: r.options.storageClassName,
      plan: r.plan.changes.length
        ? r.plan.changes
            .map(
              c => `${c.action} ${c.resource} in ${c.accountId}: ${c.summary}`,
            )
            .join('; ')
        : 'nothing to change',
    });
  }, [state.value, onChange]);
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
        <b>{r.requester}</b> asks for <b>{r.fileSystemRef}</b> (
        {r.spec.fileSystem.fileSystemId} in {r.spec.fileSystem.accountId}) on{' '}
        <b>{r.clusterRef}</b> ({r.spec.cluster.clusterName} in{' '}
        {r.spec.cluster.accountId}). Status: <b>{r.status}</b>
        {r.approver ? `, approved by ${r.approver}` : ''}.
      </Typography>
      <Typography variant="body2" paragraph>
        StorageClass <b>{r.options.storageClassName}</b>, namespace{' '}
        {r.options.namespace ?? '(none)'}, directory permissions{' '}
        {r.options.directoryPerms}, NFS from {r.options.nfsIngressMode}, driver
        identity {r.options.workloadIdentity}.
      </Typography>
      <PlanTable plan={r.plan} />
    </div>
  );
}
