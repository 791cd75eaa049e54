// The install test: the packed tarballs, installed into fresh Backstage apps
// made by pinned @backstage/create-app versions, with only the lines the
// package READMEs give. The oldest release line the packages support and the
// newest: create-app 0.9.0 makes a Backstage 1.53 app, 0.9.2 a 1.55 one.
// Run by `./dev test` (node --test) after the other suites;
// `INSTALL_TEST_CREATE_APP` picks other create-app versions (comma-separated).
// Both apps install from yarn's global cache, so the second is mostly a link.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = resolve(
  process.env.INSTALL_TEST_DIR ?? join(ROOT, 'test-output/install'),
);
const CREATE_APP_VERSIONS = (
  process.env.INSTALL_TEST_CREATE_APP ?? '0.9.0,0.9.2'
).split(',');
const SCOPE = '@cross-account-efs';
const BACKEND_PORT = Number(process.env.INSTALL_TEST_PORT ?? 7107);
// A static token for the test's own API calls (backend.auth.externalAccess).
const TOKEN = 'install-test-static-token-0123456789';

const run = (cmd, args, cwd, env = {}, input = '') =>
  execFileSync(cmd, args, {
    cwd,
    input,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
const yarn = (args, cwd, env) => run('yarn', args, cwd, env);
const readJson = file => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

/** Every package we publish: the workspaces that are not private. */
const publishedPackages = readdirSync(join(ROOT, 'plugins'))
  .filter(d => existsSync(join(ROOT, 'plugins', d, 'package.json')))
  .map(d => ({
    dir: join(ROOT, 'plugins', d),
    ...readJson(join(ROOT, 'plugins', d, 'package.json')),
  }))
  .filter(p => !p.private);
const tarballOf = name =>
  join(WORK, 'tarballs', `${name.replace('@', '').replace('/', '-')}.tgz`);

/** A long-running child in its own process group, stopped with the group. */
function start(cmd, args, cwd, env, logFile) {
  const child = spawn(cmd, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = chunk => {
    output += chunk;
    writeFileSync(logFile, output);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return {
    child,
    output: () => output,
    stop: () => {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    },
  };
}

async function until(what, fn, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${seconds} s`);
    await new Promise(r => setTimeout(r, 1000));
  }
}

before(() => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'tarballs'), { recursive: true });
});

describe('the published packages', () => {
  test('build and pack, each tarball holding dist, README, CHANGELOG and its config schema, and no tests, fixtures or sandbox code', () => {
    yarn(['tsc'], ROOT);
    for (const p of publishedPackages) {
      yarn(['workspace', p.name, 'build'], ROOT);
      yarn(['workspace', p.name, 'pack', '--out', tarballOf(p.name)], ROOT);
      const files = run('tar', ['tzf', tarballOf(p.name)], WORK)
        .split('\n')
        .filter(Boolean);
      const manifest = JSON.parse(
        run('tar', ['xzOf', tarballOf(p.name), 'package/package.json'], WORK),
      );
      assert.ok(
        manifest.main?.startsWith('dist/'),
        `${p.name}: main is not the build output`,
      );
      // What adopters load and read: entry points, types, docs, config schema.
      const wanted = [
        'README.md',
        'CHANGELOG.md',
        manifest.main,
        manifest.module,
        manifest.types,
        manifest.configSchema,
      ].filter(Boolean);
      for (const file of wanted) {
        assert.ok(
          files.includes(`package/${file.replace(/^\.\//, '')}`),
          `${p.name}: ${file} is missing from the tarball`,
        );
      }
      const unwanted = files.filter(f =>
        /\.test\.|__testUtils__|__fixtures__|setupTests|sandbox|^package\/src\//.test(
          f,
        ),
      );
      assert.deepEqual(
        unwanted,
        [],
        `${p.name}: the tarball holds test or sandbox files`,
      );
      assert.ok(
        !JSON.stringify(manifest.dependencies ?? {}).includes('workspace:'),
        `${p.name}: a workspace: range survived packing`,
      );
      assert.ok(
        !Object.keys(manifest.dependencies ?? {}).some(d =>
          d.startsWith('@internal/'),
        ),
        `${p.name}: depends on a private package`,
      );
    }
  });
});

for (const createAppVersion of CREATE_APP_VERSIONS) {
  describe(`a fresh app from @backstage/create-app@${createAppVersion}`, () => {
    const app = join(WORK, `app-${createAppVersion}`);
    const started = [];
    let sandboxEnv = {};
    after(() => started.forEach(s => s.stop()));

    test('is created, gets the tarballs and the README lines, and installs', () => {
      // create-app asks for the app's name on stdin.
      run(
        'npx',
        [
          '-y',
          `@backstage/create-app@${createAppVersion}`,
          '--skip-install',
          '--path',
          app,
        ],
        WORK,
        {},
        'install-test-app\n',
      );
      // The tarballs stand in for the registry: the app's resolutions point
      // every package of ours at its packed file.
      const rootManifest = readJson(join(app, 'package.json'));
      rootManifest.resolutions = {
        ...rootManifest.resolutions,
        ...Object.fromEntries(
          publishedPackages.map(p => [p.name, `file:${tarballOf(p.name)}`]),
        ),
      };
      writeJson(join(app, 'package.json'), rootManifest);
      // Known fix-ups of create-app's own output on this registry (see
      // TOOLCHAIN notes): backend-defaults 0.18 crashes the signals plugin.
      const backendManifestFile = join(app, 'packages/backend/package.json');
      const backendManifest = readJson(backendManifestFile);
      backendManifest.dependencies['@backstage/backend-defaults'] = '^0.19.0';

      // Backend README lines (backend plugin, scaffolder module, policy module).
      for (const pkg of [
        `${SCOPE}/backstage-plugin-cross-account-efs-backend`,
        `${SCOPE}/backstage-plugin-scaffolder-backend-module-cross-account-efs`,
        `${SCOPE}/backstage-plugin-permission-backend-module-cross-account-efs-policy`,
      ]) {
        backendManifest.dependencies[pkg] = '^0.1.0';
      }
      delete backendManifest.dependencies[
        '@backstage/plugin-permission-backend-module-allow-all-policy'
      ];
      writeJson(backendManifestFile, backendManifest);
      const indexFile = join(app, 'packages/backend/src/index.ts');
      let index = readFileSync(indexFile, 'utf8');
      const allowAll = `backend.add(\n  import('@backstage/plugin-permission-backend-module-allow-all-policy'),\n);`;
      assert.ok(
        index.includes(allowAll),
        'create-app no longer adds the allow-all policy as this test expects',
      );
      index = index.replace(
        allowAll,
        [
          `backend.add(\n  import('${SCOPE}/backstage-plugin-permission-backend-module-cross-account-efs-policy'),\n);`,
          `backend.add(import('${SCOPE}/backstage-plugin-cross-account-efs-backend'));`,
          `backend.add(\n  import('${SCOPE}/backstage-plugin-scaffolder-backend-module-cross-account-efs'),\n);`,
        ].join('\n'),
      );
      writeFileSync(indexFile, index);

      // Frontend README line: the dependency; feature discovery does the rest.
      const appManifestFile = join(app, 'packages/app/package.json');
      const appManifest = readJson(appManifestFile);
      appManifest.dependencies[`${SCOPE}/backstage-plugin-cross-account-efs`] =
        '^0.1.0';
      writeJson(appManifestFile, appManifest);
      assert.match(
        readFileSync(join(app, 'app-config.yaml'), 'utf8'),
        /packages: all/,
        'the app does not discover features',
      );

      // Config README blocks: permissions on, the templates registered.
      writeFileSync(
        join(app, 'app-config.local.yaml'),
        [
          'backend:',
          `  baseUrl: http://localhost:${BACKEND_PORT}`,
          '  listen:',
          `    port: ${BACKEND_PORT}`,
          '  auth:',
          '    externalAccess:',
          '      - type: static',
          '        options:',
          `          token: ${TOKEN}`,
          '          subject: install-test',
          'app:',
          `  baseUrl: http://localhost:${BACKEND_PORT}`,
          'permission:',
          '  enabled: true',
          'crossAccountEfs:',
          '  approvers: [group:default/guests]',
          'catalog:',
          '  rules:',
          '    - allow: [Component, System, API, Resource, Location, Template, User, Group]',
          '  locations:',
          ...['request', 'provision', 'deprovision'].flatMap(t => [
            '    - type: file',
            `      target: ${join(
              ROOT,
              'templates',
              `cross-account-efs-${t}`,
              'template.yaml',
            )}`,
          ]),
          '    - type: file',
          `      target: ${join(ROOT, 'examples/sandbox-resources.yaml')}`,
          '',
        ].join('\n'),
      );
      yarn(['install', '--no-immutable'], app);
    });

    test('its frontend builds with the requests page, the health card and the form fields', () => {
      yarn(['workspace', 'app', 'build'], app, {
        NODE_OPTIONS: '--max-old-space-size=4096',
      });
      const dist = join(app, 'packages/app/dist/static');
      const bundle = readdirSync(dist)
        .filter(f => f.endsWith('.js'))
        .map(f => readFileSync(join(dist, f), 'utf8'))
        .join('\n');
      for (const marker of [
        '/cross-account-efs/requests',
        'connection-health',
        'CrossAccountEfsPreflight',
        'CrossAccountEfsRequestReview',
      ]) {
        assert.ok(bundle.includes(marker), `the app's bundle has no ${marker}`);
      }
    });

    test('its backend starts against the sandbox with the plugins, routes that refuse a missing token, the actions and the templates', async () => {
      const stateDir = join(app, '.sandbox');
      const sandbox = start(
        'yarn',
        ['workspace', '@internal/sandbox', 'start', '--state-dir', stateDir],
        ROOT,
        {},
        join(WORK, `sandbox-${createAppVersion}.log`),
      );
      started.push(sandbox);
      await until('the sandbox', () => existsSync(join(stateDir, 'env')), 180);
      sandboxEnv = Object.fromEntries(
        readFileSync(join(stateDir, 'env'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map(l => l.split(/=(.*)/s).slice(0, 2)),
      );
      const backend = start(
        'yarn',
        [
          'workspace',
          'backend',
          'start',
          '--config',
          '../../app-config.yaml',
          '--config',
          '../../app-config.local.yaml',
          '--config',
          join(stateDir, 'app-config.sandbox.yaml'),
        ],
        app,
        sandboxEnv,
        join(WORK, `backend-${createAppVersion}.log`),
      );
      started.push(backend);
      const base = `http://localhost:${BACKEND_PORT}`;
      await until(
        'backend readiness',
        async () => (await fetch(`${base}/.backstage/health/v1/readiness`)).ok,
        240,
      ).catch(e => {
        throw new Error(`${e.message}\n${backend.output().slice(-4000)}`);
      });

      const anonymous = await fetch(`${base}/api/cross-account-efs/requests`);
      assert.equal(
        anonymous.status,
        401,
        'the requests route answers without a token',
      );
      const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
      // Requests are a user's to read: a service token is refused too.
      const asService = await fetch(
        `${base}/api/cross-account-efs/requests`,
        auth,
      );
      assert.equal(asService.status, 403, await asService.text());

      const actions = await (
        await fetch(`${base}/api/scaffolder/v2/actions`, auth)
      ).json();
      const ids = actions.map(a => a.id);
      for (const id of [
        'cross-account-efs:peering',
        'cross-account-efs:routes',
        'cross-account-efs:iam',
        'cross-account-efs:kubernetes',
        'cross-account-efs:remove',
      ]) {
        assert.ok(ids.includes(id), `the scaffolder does not list ${id}`);
      }

      const templates = await until(
        'the templates in the catalog',
        async () => {
          const res = await fetch(
            `${base}/api/catalog/entities/by-query?filter=kind=template`,
            auth,
          );
          const names = (await res.json()).items.map(e => e.metadata.name);
          return names.length >= 3 ? names : undefined;
        },
        120,
      );
      for (const name of [
        'cross-account-efs-request',
        'cross-account-efs-provision',
        'cross-account-efs-deprovision',
      ]) {
        assert.ok(
          templates.includes(name),
          `template ${name} is not registered (${templates})`,
        );
      }
    });

    test('served by its backend, the requests page, the template form and the health card render in Chromium', async () => {
      const browser = await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      try {
        const page = await browser.newPage({
          baseURL: `http://localhost:${BACKEND_PORT}`,
        });
        const expectText = async (path, text) => {
          await page.goto(path);
          await page
            .getByText(text, { exact: true })
            .filter({ visible: true })
            .first()
            .waitFor({ timeout: 60_000 });
        };
        await page.goto('/');
        // create-app's default sign-in page: Guest. Signed in once the page has gone.
        const enter = page.getByRole('button', { name: 'Enter' });
        await enter.click();
        await enter.waitFor({ state: 'detached', timeout: 60_000 });
        await expectText('/cross-account-efs/requests', 'Requests');
        await expectText(
          '/create/templates/default/cross-account-efs-request',
          'Request shared EFS storage for a cluster',
        );
        await expectText(
          '/catalog/default/resource/shared-efs',
          'Cross-account EFS connections',
        );
      } finally {
        await browser.close();
      }
    });
  });
}
