import {
  Content,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ConnectionRequest,
  requestApprovePermission,
  RequestStatus,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { crossAccountEfsApiRef } from '../api/CrossAccountEfsApi';
import { templateRouteRef } from '../routes';
import { PlanTable } from './PlanTable';

const STATUS: Record<RequestStatus, JSX.Element> = {
  pending: <StatusPending>pending</StatusPending>,
  approved: <StatusWarning>approved</StatusWarning>,
  provisioning: <StatusRunning>provisioning</StatusRunning>,
  provisioned: <StatusOK>provisioned</StatusOK>,
  failed: <StatusError>failed</StatusError>,
  rejected: <StatusAborted>rejected</StatusAborted>,
  expired: <StatusAborted>expired</StatusAborted>,
  removing: <StatusRunning>removing</StatusRunning>,
  removed: <StatusAborted>removed</StatusAborted>,
};

/**
 * Links to the scaffolder's form of one of our templates, with values filled
 * in: through the plugin's template route and the configured namespace
 * (`crossAccountEfs.templates.namespace`), undefined when no scaffolder is
 * bound.
 */
export function useTemplateLink() {
  const route = useRouteRef(templateRouteRef);
  const namespace =
    useApi(configApiRef).getOptionalString(
      'crossAccountEfs.templates.namespace',
    ) ?? 'default';
  return (templateName: string, formData?: object) =>
    route &&
    `${route({ namespace, templateName })}${
      formData
        ? `?formData=${encodeURIComponent(JSON.stringify(formData))}`
        : ''
    }`;
}

function RejectButton(props: { request: ConnectionRequest; onDone(): void }) {
  const api = useApi(crossAccountEfsApiRef);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const reject = async () => {
    try {
      await api.rejectRequest(props.request.id, reason);
      setOpen(false);
      props.onDone();
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <>
      <Button variant="outlined" size="small" onClick={() => setOpen(true)}>
        Reject
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth>
        <DialogTitle>Reject this request</DialogTitle>
        <DialogContent>
          <TextField
            label="Reason (the requester is told)"
            value={reason}
            onChange={e => setReason(e.target.value)}
            multiline
            fullWidth
          />
          {error && (
            <Typography color="error" variant="body2">
              {error.message}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            disabled={!reason.trim()}
            onClick={reject}
          >
            Reject
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** What an approver can do next; provisioning again resumes (finished layers change nothing). */
function Actions(props: { request: ConnectionRequest; onChange(): void }) {
  const { request } = props;
  // Decided per request: a policy may let only the file system's owners approve.
  const { allowed: canApprove } = usePermission({
    permission: requestApprovePermission,
    resourceRef: request.id,
  });
  const templateLink = useTemplateLink();
  if (!canApprove) return null;
  const provision = (label: string, primary = false) => (
    <Button
      variant={primary ? 'contained' : 'outlined'}
      color={primary ? 'primary' : 'default'}
      size="small"
      href={templateLink('cross-account-efs-provision', {
        requestId: request.id,
      })}
    >
      {label}
    </Button>
  );
  const remove = (
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
  const buttons: Partial<Record<RequestStatus, JSX.Element[]>> = {
    pending: [
      provision('Review and provision', true),
      <RejectButton request={request} onDone={props.onChange} />,
    ],
    approved: [provision('Provision', true), remove],
    failed: [provision('Retry', true), remove],
    provisioned: [provision('Repair'), remove],
  };
  // Stacked, so the buttons keep their words whatever the table's width.
  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="stretch"
      style={{ gap: 8, whiteSpace: 'nowrap' }}
    >
      {(buttons[request.status] ?? []).map((b, i) => (
        <span key={i}>{b}</span>
      ))}
    </Box>
  );
}

/** Why the last task stopped, or why the request was turned down. */
function Outcome(props: { request: ConnectionRequest }) {
  const { failure, reason, rejectedBy, status } = props.request;
  if (status === 'failed' && failure) {
    return (
      <Typography color="error" variant="body2" paragraph>
        {failure.operation === 'remove' ? 'Removal' : 'Provisioning'} failed at
        step <b>{failure.step}</b> ({new Date(failure.at).toLocaleString()}):{' '}
        <span style={{ whiteSpace: 'pre-wrap' }}>{failure.message}</span>
      </Typography>
    );
  }
  if (status === 'rejected') {
    return (
      <Typography variant="body2" paragraph>
        Rejected by {rejectedBy}: {reason}
      </Typography>
    );
  }
  return null;
}

/**
 * Every connection request: status, who asked, who approved, the plan. In
 * the new frontend system the plugin's page supplies the header; the
 * legacy export (`withHeader`) brings its own.
 */
export function RequestsPage(props: { withHeader?: boolean } = {}) {
  const api = useApi(crossAccountEfsApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listRequests(),
    [api],
  );
  const templateLink = useTemplateLink();
  // A link to one request (?id=, as notifications and templates give it) shows that one.
  const [params, setParams] = useSearchParams();
  const only = params.get('id');
  const rows = only ? value?.filter(r => r.id === only) : value;

  const columns: TableColumn<ConnectionRequest>[] = [
    {
      title: 'Status',
      render: r => (
        <>
          {STATUS[r.status] ?? r.status}
          {r.status === 'failed' && r.failure && (
            <Typography variant="caption" display="block">
              at {r.failure.step}
            </Typography>
          )}
        </>
      ),
      customFilterAndSearch: (term, r) => r.status.includes(term),
      width: '10%',
      cellStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: 'Connection',
      render: r => (
        <>
          <EntityRefLink entityRef={r.fileSystemRef} /> {' → '}
          <EntityRefLink entityRef={r.clusterRef} />
        </>
      ),
    },
    { title: 'StorageClass', render: r => r.options.storageClassName },
    {
      title: 'Requester / approver',
      render: r => (
        <>
          <EntityRefLink entityRef={r.requester} />
          <br />
          {r.approver ? <EntityRefLink entityRef={r.approver} /> : '-'}
        </>
      ),
    },
    { title: 'Asked', render: r => new Date(r.createdAt).toLocaleDateString() },
    {
      title: '',
      render: r => <Actions request={r} onChange={retry} />,
    },
  ];

  const content = (
    <Content>
      {loading && <Progress />}
      {error && <ResponseErrorPanel error={error} />}
      {only && (
        <Typography variant="body2" paragraph>
          Showing request {only}.{' '}
          <Link to="?" onClick={() => setParams({})}>
            Show all requests
          </Link>
        </Typography>
      )}
      {rows && (
        <Table<ConnectionRequest>
          title="Requests"
          options={{ paging: rows.length > 20, pageSize: 20, search: true }}
          columns={columns}
          data={rows}
          detailPanel={({ rowData }) => (
            <Box padding={2}>
              <Outcome request={rowData} />
              <PlanTable plan={rowData.plan} />
            </Box>
          )}
          emptyContent={
            <div style={{ padding: 16 }}>
              No requests yet. Ask for storage with the{' '}
              <Link to={templateLink('cross-account-efs-request') ?? '/'}>
                request form
              </Link>
              .
            </div>
          }
        />
      )}
    </Content>
  );
  if (!props.withHeader) return content;
  return (
    <Page themeId="tool">
      <Header
        title="Cross-account EFS requests"
        subtitle="Shared storage from the shared-services account, per cluster"
      />
      {content}
    </Page>
  );
}
