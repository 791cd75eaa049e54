import {
  Link,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { consoleLinks } from './consoleLinks';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CheckStatus,
  healthRefreshPermission,
} from '@cross-account-efs/backstage-plugin-cross-account-efs-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  ConnectionHealth,
  crossAccountEfsApiRef,
} from '../api/CrossAccountEfsApi';
import { connectivityLabel } from './connectivityLabel';

const ACCOUNT_ANNOTATION = 'aws.amazon.com/account-id';

export function StatusLabel(props: { status?: CheckStatus }) {
  switch (props.status) {
    case 'ok':
      return <StatusOK>ok</StatusOK>;
    case 'warning':
      return <StatusWarning>warning</StatusWarning>;
    case 'error':
      return <StatusError>error</StatusError>;
    default:
      return <StatusPending>not checked yet</StatusPending>;
  }
}

function ConnectionRow(props: {
  item: ConnectionHealth;
  otherSide: string;
  canRefresh: boolean;
  onRefreshed: () => void;
}) {
  const api = useApi(crossAccountEfsApiRef);
  const { item, otherSide, canRefresh, onRefreshed } = props;
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<Error>();
  const snapshot = item.snapshot;
  const refresh = async () => {
    setRefreshing(true);
    setError(undefined);
    try {
      await api.refreshHealth(item.request.id);
      onRefreshed();
    } catch (e) {
      setError(e as Error);
    } finally {
      setRefreshing(false);
    }
  };
  return (
    <Accordion data-testid={`connection-${otherSide}`}>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Box
          display="flex"
          alignItems="center"
          justifyContent="space-between"
          width="100%"
        >
          <Typography variant="body1">
            <b>{otherSide}</b> · StorageClass{' '}
            {item.request.options.storageClassName} ·{' '}
            {connectivityLabel(item.request.options.connectivity)}
          </Typography>
          <Box display="flex" alignItems="center" style={{ gap: 16 }}>
            <StatusLabel status={snapshot?.status} />
            <Typography variant="caption" color="textSecondary">
              {snapshot
                ? `checked ${new Date(snapshot.checkedAt).toLocaleString()}`
                : ''}
            </Typography>
          </Box>
        </Box>
      </AccordionSummary>
      <AccordionDetails>
        <Box width="100%">
          {(snapshot?.results ?? []).map(r => (
            <Box
              key={`${r.layer}:${r.id}`}
              display="flex"
              py={0.5}
              style={{ gap: 12 }}
            >
              <Box minWidth={90}>
                <StatusLabel status={r.status} />
              </Box>
              <Box minWidth={110}>
                <Typography variant="body2">{r.layer}</Typography>
              </Box>
              <Box>
                <Typography variant="body2">{r.summary}</Typography>
                {r.status !== 'ok' && r.remedy && (
                  <Typography variant="body2" color="textSecondary">
                    Fix: {r.remedy}
                  </Typography>
                )}
                {consoleLinks(r, item.request.spec).map(link => (
                  <Link
                    key={link.href}
                    to={link.href}
                    variant="caption"
                    style={{ marginRight: 12 }}
                  >
                    {link.label} in the AWS console
                  </Link>
                ))}
              </Box>
            </Box>
          ))}
          {!snapshot && (
            <Typography variant="body2">
              The next health sweep checks this connection.
            </Typography>
          )}
          {error && <ResponseErrorPanel error={error} />}
          {canRefresh && (
            <Button
              size="small"
              variant="outlined"
              onClick={refresh}
              disabled={refreshing}
            >
              {refreshing ? 'Checking…' : 'Check now'}
            </Button>
          )}
        </Box>
      </AccordionDetails>
    </Accordion>
  );
}

/**
 * Every cross-account EFS connection of this entity: on a file system, one
 * row per cluster; on a cluster, one row per file system. Each row: the
 * overall status, when it was checked, and the layers with their remedies.
 */
export function ConnectionHealthCard() {
  const { entity } = useEntity();
  const api = useApi(crossAccountEfsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const configured = !!entity.metadata.annotations?.[ACCOUNT_ANNOTATION];
  const { allowed: canRefresh } = usePermission({
    permission: healthRefreshPermission,
  });
  const state = useAsyncRetry(
    async () => (configured ? api.health(entityRef) : []),
    [api, entityRef, configured],
  );

  let content;
  if (!configured) {
    content = (
      <Typography variant="body2">
        Not configured: add the <code>{ACCOUNT_ANNOTATION}</code>,{' '}
        <code>aws.amazon.com/region</code> and file system id or EKS cluster
        name annotations to this entity to connect it.
      </Typography>
    );
  } else if (state.loading && !state.value) {
    content = <Progress />;
  } else if (state.error) {
    content = <ResponseErrorPanel error={state.error} />;
  } else if (!state.value?.length) {
    content = (
      <Typography variant="body2">
        No connections yet. Ask for one with the request form (Create, “Request
        shared EFS storage for a cluster”).
      </Typography>
    );
  } else {
    content = state.value.map(item => {
      const otherSide =
        item.request.fileSystemRef === entityRef
          ? item.request.clusterRef
          : item.request.fileSystemRef;
      return (
        <ConnectionRow
          key={item.request.id}
          item={item}
          otherSide={otherSide}
          canRefresh={canRefresh}
          onRefreshed={state.retry}
        />
      );
    });
  }
  return <InfoCard title="Cross-account EFS connections">{content}</InfoCard>;
}
