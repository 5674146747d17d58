import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CommandSpec } from '../cli.js';
import type { ConnectionInfo, SystemId } from '../../preload/contract.js';
import type { Service } from '../service/index.js';
import { profilePaths } from '../store/profile.js';
import { openHeadlessVault } from '../store/vault.js';
import { chosenLocationId, openService, print } from './common.js';
import { connectionLine } from './words.js';

const SYSTEMS: SystemId[] = ['ghl', 'aroflo', 'aimfox'];

function systemArg(v: string | undefined): SystemId {
  if (!v || !SYSTEMS.includes(v as SystemId)) throw new Error('Name the system: ghl, aroflo or aimfox.');
  return v as SystemId;
}

/** Ask on the terminal; secrets are not echoed. Without a terminal, name the option that gives the value instead. */
async function ask(question: string, option: string, secret = false): Promise<string> {
  if (!process.stdin.isTTY)
    throw new Error(
      `Missing ${question.replace(/:\s*$/, '')}: there is no terminal to ask on, so pass it as ${option}.`,
    );
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  if (secret)
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) =>
      void (s.startsWith(question) ? process.stdout.write(question) : undefined);
  const answer = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  if (secret) process.stdout.write('\n');
  return answer.trim();
}

/**
 * Before asking for anything: can this computer keep a secret where the next command finds it? Writes the (empty)
 * change through the vault, which needs a key from GHL_BRIDGE_VAULT_KEY or a persistent keyring.
 */
async function checkVault(svc: Service): Promise<void> {
  if (svc.connections.vaultProblem) throw new Error(svc.connections.vaultProblem);
  await svc.vault.setMany({});
}

/** After saving: the sign-in must open from a fresh process's point of view (a new vault, its key looked up again). */
async function checkReadableLater(svc: Service): Promise<void> {
  const again = openHeadlessVault(profilePaths(svc.profileDir).vault, svc.profileDir);
  try {
    await again.names();
  } catch (e) {
    throw new Error(`The sign-in was saved but the next command could not read it: ${(e as Error).message}`);
  }
}

export function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    spawn(cmd, args, { stdio: 'ignore', detached: true })
      .on('error', () => undefined)
      .unref();
  } catch {
    /* the URL is printed too */
  }
}

function describe(c: ConnectionInfo): string {
  return connectionLine(c);
}

export const login: CommandSpec = {
  summary: 'sign in to HighLevel (OAuth or Private Integration token), AroFlo or Aimfox',
  usage:
    'ghl-bridge login ghl [--token T --location L | --client-id ID --client-secret S [--redirect-uri U]] [--base-url URL] [--authorize-url URL]\n' +
    '       ghl-bridge login aroflo [--u UENCODED --p PENCODED --org ORGENCODED --secret SECRET]\n' +
    '       ghl-bridge login aimfox [--key KEY]\n' +
    '       ghl-bridge login ghl|aroflo|aimfox --rotate [--token T | --u … --p … --org … --secret … | --key KEY]\n' +
    '         replace the stored token/key with a new one for the same location, organisation or workspace; all sync state is kept',
  options: {
    token: { type: 'string' },
    location: { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string' },
    u: { type: 'string' },
    p: { type: 'string' },
    org: { type: 'string' },
    secret: { type: 'string' },
    key: { type: 'string' },
    'base-url': { type: 'string' },
    'authorize-url': { type: 'string' },
    rotate: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    const system = systemArg(positionals[0]);
    const svc = await openService(values, {}, values.rotate ? 'change' : 'first-run');
    try {
      await checkVault(svc);
      const code = values.rotate ? await rotate(svc, system, values) : await signIn(svc, system, values);
      if (code === 0) await checkReadableLater(svc);
      return code;
    } finally {
      await svc.close();
    }
  },
};

async function signIn(
  svc: Service,
  system: SystemId,
  values: Record<string, string | boolean | undefined>,
): Promise<number> {
  // Another address for the API (a company proxy, or the local sandboxes).
  const base = values['base-url'] as string | undefined;
  if (base || values['authorize-url']) {
    if (base && !/^https?:\/\//.test(base)) throw new Error('--base-url must start with http:// or https://');
    svc.connections.setEndpoints({ [system]: base, ghlAuthorize: values['authorize-url'] as string | undefined });
  }
  if (system === 'ghl') {
    if (!values.token && !values['client-id'] && !process.stdin.isTTY) {
      throw new Error(
        'Say how to sign in to HighLevel — there is no terminal to ask on: --token T --location L (a Private Integration token) or --client-id ID --client-secret S (your Marketplace app; the browser opens).',
      );
    }
    if (
      values.token ||
      (!values['client-id'] && (await ask('Use a Private Integration token? [Y/n]: ', '--token')).toLowerCase() !== 'n')
    ) {
      const token = (values.token as string | undefined) ?? (await ask('Private Integration token: ', '--token', true));
      // With several locations --location chose this one (by id or name): its id is the one the token must read.
      const locationId =
        chosenLocationId(values) ??
        (values.location as string | undefined) ??
        (await ask('Location (sub-account) ID: ', '--location'));
      const c = await svc.api.saveGhlPrivateToken({ token, locationId });
      print(describe(c));
      return 0;
    }
    const clientId =
      (values['client-id'] as string | undefined) ?? (await ask('Marketplace app client ID: ', '--client-id'));
    const clientSecret =
      (values['client-secret'] as string | undefined) ?? (await ask('Client secret: ', '--client-secret', true));
    await svc.api.saveGhlOAuthApp({
      clientId,
      clientSecret,
      redirectUri: values['redirect-uri'] as string | undefined,
    });
    const done = new Promise<{ ok: boolean; message: string }>((resolve) => {
      svc.subscribe((e) => {
        if (e.type === 'login') resolve(e);
      });
    });
    const { authorizeUrl } = await svc.api.startGhlLogin();
    print(`Opening your browser to sign in. If it does not open, visit:\n${authorizeUrl}`);
    openBrowser(authorizeUrl);
    const r = await done;
    print(r.message);
    if (r.ok) print(describe(await svc.api.testConnection({ system: 'ghl' })));
    return r.ok ? 0 : 1;
  }
  if (system === 'aroflo') {
    const creds = {
      uEncoded: (values.u as string | undefined) ?? (await ask('uEncoded: ', '--u')),
      pEncoded: (values.p as string | undefined) ?? (await ask('pEncoded: ', '--p', true)),
      orgEncoded: (values.org as string | undefined) ?? (await ask('orgEncoded: ', '--org')),
      secretKey: (values.secret as string | undefined) ?? (await ask('API secret key: ', '--secret', true)),
    };
    const c = await svc.api.saveArofloCredentials(creds);
    print(describe(c));
    return c.health === 'ok' ? 0 : 1;
  }
  const c = await svc.api.saveAimfoxKey({
    apiKey: (values.key as string | undefined) ?? (await ask('Aimfox API key: ', '--key', true)),
  });
  print(describe(c));
  return c.health === 'ok' ? 0 : 1;
}

/** Replace the stored credential with a new one for the same account (main/service/README.md, "Credential age"). */
async function rotate(
  svc: Service,
  system: SystemId,
  values: Record<string, string | boolean | undefined>,
): Promise<number> {
  const c =
    system === 'ghl'
      ? await svc.api.replaceCredential({
          system,
          token:
            (values.token as string | undefined) ?? (await ask('New Private Integration token: ', '--token', true)),
        })
      : system === 'aroflo'
        ? await svc.api.replaceCredential({
            system,
            aroflo: {
              uEncoded: (values.u as string | undefined) ?? (await ask('uEncoded: ', '--u')),
              pEncoded: (values.p as string | undefined) ?? (await ask('pEncoded: ', '--p', true)),
              orgEncoded: (values.org as string | undefined) ?? (await ask('orgEncoded: ', '--org')),
              secretKey: (values.secret as string | undefined) ?? (await ask('API secret key: ', '--secret', true)),
            },
          })
        : await svc.api.replaceCredential({
            system,
            apiKey: (values.key as string | undefined) ?? (await ask('New Aimfox API key: ', '--key', true)),
          });
  print(`Replaced. ${describe(c)}`);
  return c.health === 'ok' ? 0 : 1;
}

export const logout: CommandSpec = {
  summary: 'sign out of a system (removes its stored credentials)',
  usage: 'ghl-bridge logout ghl|aroflo|aimfox',
  options: {},
  async run({ values, positionals }) {
    const system = systemArg(positionals[0]);
    const svc = await openService(values);
    try {
      print(describe(await svc.api.signOut({ system })));
      return 0;
    } finally {
      await svc.close();
    }
  },
};

export const testConnection: CommandSpec = {
  summary: 'check the credentials of each connected system and show the remaining quota',
  usage: 'ghl-bridge test-connection [ghl|aroflo|aimfox]',
  options: {},
  async run({ values, positionals }) {
    const svc = await openService(values, {}, 'read');
    try {
      const systems = positionals[0] ? [systemArg(positionals[0])] : SYSTEMS;
      let bad = 0;
      for (const s of systems) {
        const c = await svc.api.testConnection({ system: s });
        const quota = c.quota?.map((q) => `${q.remaining}/${q.limit} ${q.window}`).join(', ');
        print(`${describe(c)}${quota ? ` — quota ${quota}` : ''}`);
        if (c.configured && c.health !== 'ok') bad++;
      }
      // "not configured" is not the truth when the stored sign-ins could not be read (the warning above says why).
      return bad || svc.connections.vaultProblem ? 1 : 0;
    } finally {
      await svc.close();
    }
  },
};
