/**
 * The sub-account (location) itself: GET /locations/{locationId}, shaped as the official
 * `GetLocationByIdSuccessfulResponseDto` (shared/specs/ghl/apps/locations.json; README "Location"). The bridge reads
 * its `country` (phones) and `timezone` (dates).
 */
import type { FastifyInstance } from 'fastify';
import { LOCATION_READ, type GhlContext, assertLocation, send } from './context.js';

export function locationRoutes(app: FastifyInstance, ctx: GhlContext): void {
  app.get('/locations/:locationId', { config: { guard: LOCATION_READ } }, async (request, reply) => {
    const { locationId } = request.params as { locationId: string };
    assertLocation(request, locationId);
    const loc = ctx.store.location(locationId)!;
    return send(reply, 200, {
      location: {
        id: loc.id,
        companyId: loc.companyId,
        name: loc.name,
        address: loc.address.address,
        city: loc.address.city,
        state: loc.address.state,
        country: loc.country,
        postalCode: loc.address.postalCode,
        timezone: loc.timezone,
        settings: { allowDuplicateContact: ctx.opts.allowDuplicates },
      },
    });
  });
}
