/**
 * listLocations / switchLocation for one location's own service: it knows only itself. `serve` and the app put every
 * location of the profile behind one API with main/service/location-hub.ts, which answers these two for all of them.
 */
import type { BridgeApi } from '../../../preload/contract.js';
import { BridgeError } from '../errors.js';
import { overviewOf, readLocationInfo, ROOT_LOCATION_ID } from '../location-info.js';
import type { HandlerContext } from './common.js';

export function locationHandlers(
  ctx: HandlerContext,
  getStatus: BridgeApi['getStatus'],
): Pick<BridgeApi, 'listLocations' | 'switchLocation' | 'addLocation'> {
  const self = () => {
    const id = ctx.config.read().connections.ghl.locationId ?? ROOT_LOCATION_ID;
    const info = readLocationInfo(ctx.profileDir);
    return { id, name: info.name ?? id, primary: info.primary ?? !info.id };
  };
  const view = async () => {
    const me = self();
    return { current: me.id, locations: [overviewOf(me, await getStatus())], canAdd: false };
  };
  return {
    listLocations: view,
    async switchLocation({ id }) {
      if (id !== self().id) throw new BridgeError(`There is no location "${id}" here.`, 'not_found');
      return view();
    },
    async addLocation() {
      throw new BridgeError(
        'This window opens one location; add another with ghl-bridge locations add, then open them all with ghl-bridge serve.',
        'unsupported',
      );
    },
  };
}
