import { ProxiedSignInPage } from '@backstage/core-components';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Typography from '@material-ui/core/Typography';
import type { IdentityApi } from '@backstage/core-plugin-api';
import { useState } from 'react';

/** The chosen user survives reloads; signing out forgets it, so another can sign in. */
const STORAGE_KEY = 'cross-account-efs-sandbox-sign-in';

function forgettingOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      localStorage.removeItem(STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/** The sandbox's sign-in choices; each is a backend auth provider (development only). */
const CHOICES = [
  {
    provider: 'guest',
    label: 'Guest',
    about: 'Look around (member of apps-team)',
  },
  {
    provider: 'sandbox-requester',
    label: 'Requester',
    about: 'Riley, apps-team: asks for shared storage',
  },
  {
    provider: 'sandbox-approver',
    label: 'Approver',
    about: 'Avery, platform-team: reviews and provisions',
  },
];

/**
 * Sign in as one of the sandbox users, so the four-eyes flow can be tried
 * by hand: request as Riley, sign out, approve as Avery.
 */
export function SandboxSignInPage(props: SignInPageProps) {
  const [provider, setProvider] = useState<string | undefined>(
    () => localStorage.getItem(STORAGE_KEY) ?? undefined,
  );
  if (provider) {
    return (
      <ProxiedSignInPage
        {...props}
        provider={provider}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingOnSignOut(identity))
        }
      />
    );
  }
  return (
    <Box
      display="flex"
      justifyContent="center"
      alignItems="center"
      minHeight="100vh"
    >
      <Card style={{ maxWidth: 480 }}>
        <CardContent>
          <Typography variant="h5" gutterBottom>
            Cross-account EFS sandbox
          </Typography>
          <Typography variant="body2" paragraph>
            Sign in as one of the sandbox users.
          </Typography>
          {CHOICES.map(c => (
            <Box
              key={c.provider}
              display="flex"
              alignItems="center"
              justifyContent="space-between"
              my={1}
            >
              <Typography variant="body2">{c.about}</Typography>
              <Button
                variant="contained"
                color="primary"
                onClick={() => {
                  localStorage.setItem(STORAGE_KEY, c.provider);
                  setProvider(c.provider);
                }}
              >
                {c.label}
              </Button>
            </Box>
          ))}
        </CardContent>
      </Card>
    </Box>
  );
}

/** Sign-in through a proxy provider the backend runs (the ALB's, oauth2-proxy's): no choice to make. */
export function proxySignInPage(provider: string) {
  return (props: SignInPageProps) => (
    <ProxiedSignInPage {...props} provider={provider} />
  );
}
