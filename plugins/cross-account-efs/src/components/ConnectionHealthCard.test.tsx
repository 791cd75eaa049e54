import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  connection,
  fakeApi,
  fileSystem,
  renderCard,
} from '../__testUtils__/healthCard';

describe('ConnectionHealthCard', () => {
  it('on a file system, shows one row per connected cluster with its overall status', async () => {
    await renderCard(
      fakeApi([
        connection('ok'),
        connection('error', 'resource:default/other-cluster'),
      ]),
    );
    expect(
      await screen.findByText('resource:default/apps-cluster'),
    ).toBeInTheDocument();
    expect(
      screen.getByTestId('connection-resource:default/apps-cluster'),
    ).toHaveTextContent('ok');
    expect(
      screen.getByTestId('connection-resource:default/other-cluster'),
    ).toHaveTextContent('error');
  });

  it('expands to the layers, with the remedy of a failing one', async () => {
    await renderCard(fakeApi([connection('error')]));
    fireEvent.click(await screen.findByText('resource:default/apps-cluster'));
    expect(
      await screen.findByText('rtb-1 has no route to 10.0.0.0/16.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Fix: Re-run provisioning: it adds the route.'),
    ).toBeInTheDocument();
    expect(screen.getByText('pcx-1 is active.')).toBeInTheDocument();
  });

  it("links a row's resource to the AWS console: the peering it checked", async () => {
    await renderCard(fakeApi([connection('ok')]));
    fireEvent.click(await screen.findByText('resource:default/apps-cluster'));
    expect(
      await screen.findByRole('link', { name: /pcx-1 in the AWS console/ }),
    ).toHaveAttribute(
      'href',
      'https://us-west-2.console.aws.amazon.com/vpcconsole/home?region=us-west-2#PeeringConnectionDetails:VpcPeeringConnectionId=pcx-1',
    );
  });

  it('says which connectivity each connection uses', async () => {
    const overTransitGateway = connection('ok', 'resource:default/tgw-cluster');
    overTransitGateway.request.options.connectivity = 'existing';
    await renderCard(fakeApi([connection('ok'), overTransitGateway]));
    expect(
      await screen.findByTestId('connection-resource:default/apps-cluster'),
    ).toHaveTextContent('StorageClass efs-shared · VPC peering');
    expect(
      screen.getByTestId('connection-resource:default/tgw-cluster'),
    ).toHaveTextContent('StorageClass efs-shared · existing connectivity');
  });

  it('on a cluster, names the file system on each row', async () => {
    const cluster = {
      ...fileSystem,
      metadata: { ...fileSystem.metadata, name: 'apps-cluster' },
      spec: { type: 'kubernetes-cluster' },
    };
    await renderCard(fakeApi([connection('ok')]), cluster);
    expect(
      await screen.findByText('resource:default/shared-efs'),
    ).toBeInTheDocument();
  });

  it('offers "Check now" to users allowed to refresh, and reloads after it', async () => {
    const api = fakeApi([connection('ok')]);
    await renderCard(api);
    fireEvent.click(await screen.findByText('resource:default/apps-cluster'));
    fireEvent.click(await screen.findByRole('button', { name: 'Check now' }));
    await waitFor(() =>
      expect(api.refreshed).toEqual(['r-resource:default/apps-cluster']),
    );
  });

  it('says so when there are no connections yet', async () => {
    await renderCard(fakeApi([]));
    expect(await screen.findByText(/No connections yet/)).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderCard(fakeApi(new Error('backend unavailable')));
    expect(
      (await screen.findAllByText(/backend unavailable/))[0],
    ).toBeInTheDocument();
  });

  it('explains what to add when the entity has no AWS annotations', async () => {
    const bare = {
      ...fileSystem,
      metadata: { name: 'bare', namespace: 'default' },
    };
    await renderCard(fakeApi([]), bare);
    expect(await screen.findByText(/Not configured/)).toBeInTheDocument();
  });
});
