import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Typography from '@material-ui/core/Typography';
import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { crossAccountEfsApiRef } from '../api/CrossAccountEfsApi';

/** @public */
export interface PreflightValue {
  checked?: string;
  problems?: number;
}

/**
 * Runs preflight on the chosen file system and cluster while the user fills
 * the form: overlapping CIDRs, regions, missing mount targets, DNS support.
 * Its value records the verdict, and the form refuses to go on with problems.
 */
export function PreflightField(
  props: FieldExtensionComponentProps<PreflightValue>,
) {
  const api = useApi(crossAccountEfsApiRef);
  const form = (props.formContext?.formData ?? {}) as {
    fileSystemRef?: string;
    clusterRef?: string;
  };
  const { fileSystemRef, clusterRef } = form;
  const { onChange } = props;
  const state = useAsync(async () => {
    if (!fileSystemRef || !clusterRef) return undefined;
    return api.preflight({ fileSystemRef, clusterRef });
  }, [api, fileSystemRef, clusterRef]);

  useEffect(() => {
    if (state.value)
      onChange({
        checked: `${fileSystemRef}|${clusterRef}`,
        problems: state.value.problems.length,
      });
  }, [state.value, fileSystemRef, clusterRef, onChange]);

  if (!fileSystemRef || !clusterRef) {
    return (
      <Typography variant="body2" color="textSecondary">
        Choose a file system and a cluster to run preflight.
      </Typography>
    );
  }
  if (state.loading) return <Progress />;
  if (state.error) {
    return (
      <Typography color="error" variant="body2">
        Preflight could not run: {state.error.message}
      </Typography>
    );
  }
  const problems = state.value?.problems ?? [];
  const recommendation = state.value?.recommendation && (
    <Typography variant="body2" data-testid="preflight-recommendation">
      Recommended connectivity: <b>{state.value.recommendation.connectivity}</b>
      . {state.value.recommendation.reason}
    </Typography>
  );
  if (problems.length === 0) {
    return (
      <div>
        <Typography variant="body2" data-testid="preflight-ok">
          Preflight passed: the networks do not overlap, the regions match,
          every AZ has a mount target.
        </Typography>
        {recommendation}
      </div>
    );
  }
  return (
    <div data-testid="preflight-problems">
      <Typography color="error" variant="subtitle2">
        Preflight found {problems.length} problem(s):
      </Typography>
      <ul>
        {problems.map(p => (
          <li key={`${p.field}${p.summary}`}>
            <Typography color="error" variant="body2">
              <b>{p.field}</b>: {p.summary} <i>Fix: {p.remedy}</i>
            </Typography>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function preflightValidation(
  value: PreflightValue | undefined,
  validation: { addError(message: string): void },
) {
  if (value?.problems) {
    validation.addError(
      `Preflight found ${value.problems} problem(s): fix them, or choose another cluster.`,
    );
  }
}
