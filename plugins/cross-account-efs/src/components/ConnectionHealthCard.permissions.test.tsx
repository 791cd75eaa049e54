import { fireEvent, screen } from '@testing-library/react';
import {
  connection,
  fakeApi,
  fileSystem,
  renderCard,
} from '../__testUtils__/healthCard';

// Its own file: permission answers are cached per test file.
describe('ConnectionHealthCard without the refresh permission', () => {
  it('hides "Check now" from users who may not refresh', async () => {
    await renderCard(fakeApi([connection('ok')]), fileSystem, false);
    fireEvent.click(await screen.findByText('resource:default/apps-cluster'));
    expect(await screen.findByText('pcx-1 is active.')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Check now' }),
    ).not.toBeInTheDocument();
  });
});
