import { Table, TableColumn } from '@backstage/core-components';
import type { ConnectionRequest } from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import Typography from '@material-ui/core/Typography';

type Change = ConnectionRequest['plan']['changes'][number];

/**
 * The plan as a reviewer reads it: per account, then per layer, one line per
 * change (`create route: ...`).
 */
export function planByAccountAndLayer(
  changes: Change[],
): Record<string, Record<string, string[]>> {
  const grouped: Record<string, Record<string, string[]>> = {};
  for (const c of changes) {
    const account = (grouped[`account ${c.accountId}`] ??= {});
    (account[c.layer] ??= []).push(`${c.action} ${c.resource}: ${c.summary}`);
  }
  return grouped;
}

const columns: TableColumn<Change>[] = [
  { title: 'Account', field: 'accountId', width: '12%', defaultGroupOrder: 0 },
  { title: 'Layer', field: 'layer', width: '10%', defaultGroupOrder: 1 },
  { title: 'Action', field: 'action', width: '8%' },
  { title: 'Resource', field: 'resource', width: '15%' },
  { title: 'Change', field: 'summary' },
];

/** Every change provisioning (or removal) would make, per account: what an approver reviews. */
export function PlanTable(props: {
  plan: ConnectionRequest['plan'];
  /** Default "Plan". */
  title?: string;
}) {
  const { changes, blockers } = props.plan;
  return (
    <>
      {blockers.map(b => (
        <Typography key={b.summary} color="error" variant="body2" paragraph>
          Blocked{b.layer ? ` (${b.layer})` : ''}: {b.summary} Fix: {b.remedy}
        </Typography>
      ))}
      <Table<Change>
        title={`${props.title ?? 'Plan'}: ${changes.length} change${
          changes.length === 1 ? '' : 's'
        }`}
        options={{
          paging: false,
          search: false,
          padding: 'dense',
          grouping: false,
          defaultExpanded: true,
        }}
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
