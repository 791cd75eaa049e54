import { Table, TableColumn } from '@backstage/core-components';
import type { ConnectionRequest } from '@internal/plugin-cross-account-efs-common';
import Typography from '@material-ui/core/Typography';

type Change = ConnectionRequest['plan']['changes'][number];

const columns: TableColumn<Change>[] = [
  { title: 'Layer', field: 'layer', width: '10%' },
  { title: 'Account', field: 'accountId', width: '12%' },
  { title: 'Action', field: 'action', width: '8%' },
  { title: 'Resource', field: 'resource', width: '15%' },
  { title: 'Change', field: 'summary' },
];

/** Every change provisioning would make, per account: what an approver reviews. */
export function PlanTable(props: { plan: ConnectionRequest['plan'] }) {
  const { changes, blockers } = props.plan;
  return (
    <>
      {blockers.map(b => (
        <Typography key={b.summary} color="error" variant="body2" paragraph>
          Blocked: {b.summary} Fix: {b.remedy}
        </Typography>
      ))}
      <Table<Change>
        title={`Plan: ${changes.length} change${
          changes.length === 1 ? '' : 's'
        }`}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={changes.map(c => ({ ...c }))}
        emptyContent={
          <Typography variant="body2">
            Nothing to change: everything is in place.
          </Typography>
        }
      />
    </>
  );
}
