/** Connections: sign in to HighLevel, AroFlo and Aimfox, test them, sign out. */
import type { BridgeApi } from '../../../preload/contract.js';
import { need, needText, type HandlerContext, type Shared } from './common.js';

type ConnectionsApi = Pick<
  BridgeApi,
  | 'getConnections'
  | 'saveGhlOAuthApp'
  | 'startGhlLogin'
  | 'saveGhlPrivateToken'
  | 'saveArofloCredentials'
  | 'saveAimfoxKey'
  | 'replaceCredential'
  | 'testConnection'
  | 'signOut'
>;

export function connectionHandlers(ctx: HandlerContext, { publishStatus }: Shared): ConnectionsApi {
  return {
    async getConnections() {
      return ctx.connections.list();
    },
    async saveGhlOAuthApp({ clientId, clientSecret, redirectUri }) {
      return ctx.connections.saveGhlOAuthApp({
        clientId: need(clientId, 'The client ID').trim(),
        clientSecret: need(clientSecret, 'The client secret').trim(),
        redirectUri: redirectUri?.trim() || undefined,
      });
    },
    async startGhlLogin() {
      return ctx.connections.startGhlLogin();
    },
    async saveGhlPrivateToken({ token, locationId }) {
      return ctx.connections.saveGhlPrivateToken({
        token: needText(token, 'The Private Integration token'),
        locationId: needText(locationId, 'The location ID'),
      });
    },
    async saveArofloCredentials(c) {
      return ctx.connections.saveArofloCredentials({
        uEncoded: needText(c?.uEncoded, 'uEncoded'),
        pEncoded: needText(c?.pEncoded, 'pEncoded'),
        orgEncoded: needText(c?.orgEncoded, 'orgEncoded'),
        secretKey: needText(c?.secretKey, 'The secret key'),
      });
    },
    async saveAimfoxKey({ apiKey }) {
      return ctx.connections.saveAimfoxKey({ apiKey: needText(apiKey, 'The API key') });
    },
    async replaceCredential(a) {
      const info = await ctx.connections.replaceCredential({ ...a, system: need(a?.system, 'The system') });
      await publishStatus();
      return info;
    },
    async testConnection({ system }) {
      const info = await ctx.connections.test(need(system, 'The system'));
      await publishStatus();
      return info;
    },
    async signOut({ system }) {
      const info = await ctx.connections.signOut(need(system, 'The system'));
      await publishStatus();
      return info;
    },
  };
}
