import {
  Content,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ConnectionRequest,
  requestApprovePermission,
} from '@internal/plugin-cross-account-efs-common';
import Button from '@material-ui/core/Button';
import useAsync from 'react-use/esm/useAsync';
import { crossAccountEfsApiRef } from '../api/CrossAccountEfsApi';
import { PlanTable } from './PlanTable';

const STATUS = {
  pending: <StatusPending>pending</StatusPending>,
  approved: <StatusWarning>approved</StatusWarning>,
  provisioned: <StatusOK>provisioned</StatusOK>,
  failed: <StatusError>failed</StatusError>,
  removed: <StatusPending>removed</StatusPending>,
};

/** The scaffolder's form for a template, with values filled in. */
export function templateLink(template: string, formData: object) {
  return `/create/templates/default/${template}?formData=${encodeURIComponent(
    JSON.stringify(formData),
  )}`;
}

function Actions(props: { request: ConnectionRequest; canApprove: boolean }) {
  const { request, canApprove } = props;
  if (!canApprove) return null;
  if (request.status === 'pending') {
    return (
      <Button
        variant="contained"
        color="primary"
        size="small"
        href={templateLink('cross-account-efs-provision', {
          requestId: request.id,
        })}
      >
        Review and provision
      </Button>
    );
  }
  if (request.status === 'provisioned' || request.status === 'failed') {
    return (
      <Button
        variant="outlined"
        size="small"
        href={templateLink('cross-account-efs-deprovision', {
          requestId: request.id,
        })}
      >
        Remove
      </Button>
    );
  }
  return null;
}

/** Every connection request: status, who asked, who approved, the plan. */
export function RequestsPage() {
  const api = useApi(crossAccountEfsApiRef);
  const { allowed: canApprove } = usePermission({
    permission: requestApprovePermission,
  });
  const { value, loading, error } = useAsync(() => api.listRequests(), [api]);

  const columns: TableColumn<ConnectionRequest>[] = [
    {
      title: 'Status',
      render: r => STATUS[r.status] ?? r.status,
      width: '10%',
    },
    {
      title: 'Connection',
      render: r => (
        <>
          <Link
            to={`/catalog/default/resource/${r.fileSystemRef.split('/')[1]}`}
          >
            {r.fileSystemRef}
          </Link>
          {' → '}
          <Link to={`/catalog/default/resource/${r.clusterRef.split('/')[1]}`}>
            {r.clusterRef}
          </Link>
        </>
      ),
    },
    { title: 'StorageClass', render: r => r.options.storageClassName },
    { title: 'Requested by', field: 'requester' },
    { title: 'Approved by', render: r => r.approver ?? '-' },
    { title: 'Asked', render: r => new Date(r.createdAt).toLocaleString() },
    { title: '', render: r => <Actions request={r} canApprove={canApprove} /> },
  ];

  return (
    <Page themeId="tool">
      <Header
        title="Cross-account EFS requests"
        subtitle="Shared storage from the shared-services account, per cluster"
      />
      <Content>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <Table<ConnectionRequest>
            title="Requests"
            options={{ paging: value.length > 20, pageSize: 20, search: true }}
            columns={columns}
            data={value}
            detailPanel={({ rowData }) => <PlanTable plan={rowData.plan} />}
            emptyContent={
              <div style={{ padding: 16 }}>
                No requests yet. Ask for storage with the{' '}
                <Link to="/create/templates/default/cross-account-efs-request">
                  request form
                </Link>
                .
              </div>
            }
          />
        )}
      </Content>
    </Page>
  );
}
