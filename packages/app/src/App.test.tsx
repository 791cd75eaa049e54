import { render, screen } from '@testing-library/react';
import App from './App';

jest.setTimeout(30_000);

describe('App', () => {
  it('offers the sandbox sign-in choices: guest, requester, approver', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Cross-account EFS' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    for (const name of ['Guest', 'Requester', 'Approver']) {
      expect(
        await screen.findByRole('button', { name }, { timeout: 20_000 }),
      ).toBeInTheDocument();
    }
  });
});
