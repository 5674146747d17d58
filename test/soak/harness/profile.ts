/**
 * The soak's profile: wired once to the sandboxes as a new user would (credentials, mappings previewed and
 * enabled), then used by every child sync. Between runs the soak may open it to sign in again after a revoked
 * credential, as a person would after "sign in again".
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService, type Service, type ServiceOptions } from '../../../main/service/index.js';
import { throwawayVaultKey, type Sandboxes } from '../../../main/sandbox/index.js';
import { wireToSandboxes } from '../../../main/cli/demo.js';

export interface SoakProfile {
  dir: string;
  vaultKey: string;
}

export async function withService<T>(
  p: SoakProfile,
  fn: (svc: Service) => Promise<T>,
  opts: Pick<ServiceOptions, 'openStore'> = {},
): Promise<T> {
  const svc = await createService({ profileDir: p.dir, env: { GHL_BRIDGE_VAULT_KEY: p.vaultKey }, ...opts });
  try {
    return await fn(svc);
  } finally {
    await svc.close();
  }
}

export async function prepareProfile(boxes: Sandboxes, rateScale: number, dir?: string): Promise<SoakProfile> {
  const p: SoakProfile = { dir: dir ?? mkdtempSync(join(tmpdir(), 'ghlb-soak-')), vaultKey: throwawayVaultKey() };
  await withService(p, async (svc) => {
    await wireToSandboxes(svc, boxes, { rateScale });
    for (const pair of ['ghl-aroflo', 'ghl-aimfox'] as const) {
      await svc.api.previewMapping({ pair });
      await svc.api.setSyncEnabled({ pair, enabled: true });
    }
  });
  return p;
}

/** After a "revoke" fault: get a new credential from the service (as its web app would) and save it in the profile. */
export async function signInAgain(
  p: SoakProfile,
  boxes: Sandboxes,
  systems: Array<'ghl' | 'aroflo'>,
): Promise<string[]> {
  const fresh: string[] = [];
  await withService(p, async (svc) => {
    if (systems.includes('ghl')) {
      const token = boxes.ghl.admin.rotatePrivateToken();
      fresh.push(token);
      await svc.api.saveGhlPrivateToken({ token, locationId: boxes.ghl.credentials.locationId });
    }
    if (systems.includes('aroflo')) {
      // AroFlo's "revoke" is a regenerated secret key: the person copies the new one from AroFlo's settings.
      const c = boxes.aroflo.credentials;
      fresh.push(c.secretKey);
      await svc.api.saveArofloCredentials({
        uEncoded: c.uEncoded,
        pEncoded: c.pEncoded,
        orgEncoded: c.orgEncoded,
        secretKey: c.secretKey,
      });
    }
  });
  return fresh;
}
