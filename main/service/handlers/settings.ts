/** Settings: read them, save a patch of them (the timer follows at once). */
import type { BridgeApi, Settings } from '../../../preload/contract.js';
import { BridgeError } from '../errors.js';
import type { HandlerContext, Shared } from './common.js';
import { checkAfterRunOf } from '../../domain/defaults.js';

type SettingsApi = Pick<BridgeApi, 'getSettings' | 'saveSettings'>;

export function settingsHandlers(ctx: HandlerContext, { publishStatus }: Shared): SettingsApi {
  return {
    async getSettings() {
      return ctx.config.read().settings;
    },
    async saveSettings({ settings }) {
      const cfg = ctx.config.read();
      const next: Settings = {
        ...cfg.settings,
        ...(settings ?? {}),
        notifications: { ...cfg.settings.notifications, ...(settings?.notifications ?? {}) },
        guard: { ...cfg.settings.guard, ...(settings?.guard ?? {}) },
        budget: { ...cfg.settings.budget, ...(settings?.budget ?? {}) },
        checkAfterRun: { ...checkAfterRunOf(cfg.settings), ...(settings?.checkAfterRun ?? {}) },
      };
      try {
        ctx.config.write({ ...cfg, settings: next });
      } catch (e) {
        throw new BridgeError((e as Error).message);
      }
      ctx.sync.reschedule();
      await publishStatus();
      return ctx.config.read().settings;
    },
  };
}
