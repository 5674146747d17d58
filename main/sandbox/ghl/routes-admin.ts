/**
 * The admin over HTTP under /__admin (only when `admin: true`). Every request needs the header
 * `x-sandbox-admin: <adminToken>` (401 otherwise). Exempt from rate limits, faults and stats.
 *
 *   GET    /__admin/contacts[?locationId=]            → {contacts}
 *   POST   /__admin/contacts[?locationId=]            → 201 {contact}
 *   GET|PUT|DELETE /__admin/contacts/:id             → {contact} | {contact} | {deleted}
 *   PUT    /__admin/contacts/:id/tags   {tags}        → {contact}
 *   GET    /__admin/tasks[?locationId=]               → {tasks} (every task of the location's contacts)
 *   GET|POST /__admin/contacts/:id/tasks             ; GET|PUT|DELETE …/tasks/:taskId ; POST …/tasks/:taskId/complete {completed?}
 *   GET|POST /__admin/contacts/:id/notes             ; GET|PUT|DELETE …/notes/:noteId
 *   GET    /__admin/calendars                         → {calendars: [{id, name}]}
 *   POST   /__admin/contacts/:id/appointments         → 201 {event} ; PUT …/appointments/:eventId (reschedule, cancel) → {event}
 *   PUT    /__admin/location {country?, timezone?}  → {location}
 *   POST   /__admin/custom-fields {name, dataType?, picklistOptions?} → 201 {customField} ; DELETE /__admin/custom-fields/:id → {deleted}
 *   POST   /__admin/private-token/revoke | /__admin/private-token/rotate (→ {privateToken}) | /__admin/oauth/revoke
 *   POST   /__admin/private-token/other-location → {privateToken} (valid for the second location only)
 *   PUT    /__admin/faults {spec}   GET /__admin/stats   POST /__admin/reset
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AdminError, type GhlAdmin } from './options.js';

type P = { id: string; taskId: string; noteId: string };

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const found = <T>(v: T | undefined, what: string): T => {
  if (v === undefined) throw new AdminError(404, `No ${what}`);
  return v;
};

export function adminRoutes(app: FastifyInstance, admin: GhlAdmin, adminToken: string): void {
  app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const given = request.headers['x-sandbox-admin'];
        if (typeof given !== 'string' || !sameSecret(given, adminToken)) {
          return reply.code(401).send({
            statusCode: 401,
            message: 'Admin requests need the header x-sandbox-admin with the sandbox admin token.',
          });
        }
      });
      const body = (b: unknown) => (b ?? {}) as Record<string, unknown>;
      const loc = (query: unknown) => (query as { locationId?: string }).locationId || undefined;

      scope.get('/contacts', async (req) => ({ contacts: admin.listContacts(loc(req.query)) }));
      // Every task of the location's contacts in one answer (benchmarks count them without 10,000 admin calls).
      scope.get('/tasks', async (req) => ({
        tasks: admin.listContacts(loc(req.query)).flatMap((c) => admin.listTasks(c.id)),
      }));
      scope.get('/calendars', async (req) => ({ calendars: admin.listCalendars(loc(req.query)) }));
      scope.post('/contacts', async (req, reply) =>
        reply.code(201).send({ contact: admin.createContact(body(req.body), loc(req.query)) }),
      );
      scope.get('/contacts/:id', async (req) => ({
        contact: found(admin.getContact((req.params as P).id), 'such contact'),
      }));
      scope.put('/contacts/:id', async (req) => ({
        contact: admin.updateContact((req.params as P).id, body(req.body)),
      }));
      scope.delete('/contacts/:id', async (req) => ({ deleted: admin.deleteContact((req.params as P).id) }));
      scope.put('/contacts/:id/tags', async (req) => ({
        contact: admin.setTags((req.params as P).id, (body(req.body).tags as string[]) ?? []),
      }));

      scope.get('/contacts/:id/tasks', async (req) => ({ tasks: admin.listTasks((req.params as P).id) }));
      scope.post('/contacts/:id/tasks', async (req, reply) =>
        reply.code(201).send({
          task: admin.createTask((req.params as P).id, body(req.body) as Parameters<GhlAdmin['createTask']>[1]),
        }),
      );
      scope.get('/contacts/:id/tasks/:taskId', async (req) => {
        const p = req.params as P;
        return { task: found(admin.getTask(p.id, p.taskId), 'such task') };
      });
      scope.put('/contacts/:id/tasks/:taskId', async (req) => {
        const p = req.params as P;
        return { task: admin.updateTask(p.id, p.taskId, body(req.body)) };
      });
      scope.post('/contacts/:id/tasks/:taskId/complete', async (req) => {
        const p = req.params as P;
        const completed = body(req.body).completed;
        return { task: admin.completeTask(p.id, p.taskId, completed === undefined ? true : completed === true) };
      });
      scope.delete('/contacts/:id/tasks/:taskId', async (req) => {
        const p = req.params as P;
        return { deleted: admin.deleteTask(p.id, p.taskId) };
      });

      scope.put('/location', async (req) => ({
        location: admin.setLocation(body(req.body) as Parameters<GhlAdmin['setLocation']>[0]),
      }));
      scope.post('/custom-fields', async (req, reply) =>
        reply.code(201).send({
          customField: admin.addCustomField(body(req.body) as unknown as Parameters<GhlAdmin['addCustomField']>[0]),
        }),
      );
      scope.delete('/custom-fields/:id', async (req) => ({ deleted: admin.deleteCustomField((req.params as P).id) }));

      scope.get('/contacts/:id/notes', async (req) => ({ notes: admin.listNotes((req.params as P).id) }));
      scope.post('/contacts/:id/notes', async (req, reply) =>
        reply.code(201).send({
          note: admin.createNote((req.params as P).id, body(req.body) as Parameters<GhlAdmin['createNote']>[1]),
        }),
      );
      scope.get('/contacts/:id/notes/:noteId', async (req) => {
        const p = req.params as P;
        return { note: found(admin.getNote(p.id, p.noteId), 'such note') };
      });
      scope.put('/contacts/:id/notes/:noteId', async (req) => {
        const p = req.params as P;
        return { note: admin.updateNote(p.id, p.noteId, body(req.body)) };
      });
      scope.delete('/contacts/:id/notes/:noteId', async (req) => {
        const p = req.params as P;
        return { deleted: admin.deleteNote(p.id, p.noteId) };
      });

      scope.post('/contacts/:id/appointments', async (req, reply) =>
        reply.code(201).send({
          event: admin.addAppointment(
            (req.params as P).id,
            body(req.body) as unknown as Parameters<GhlAdmin['addAppointment']>[1],
          ),
        }),
      );
      scope.put('/contacts/:id/appointments/:eventId', async (req) => {
        const p = req.params as P & { eventId: string };
        return {
          event: admin.updateAppointment(
            p.id,
            p.eventId,
            body(req.body) as unknown as Parameters<GhlAdmin['updateAppointment']>[2],
          ),
        };
      });

      scope.post('/private-token/revoke', async (_req, reply) => {
        admin.revokePrivateToken();
        return reply.code(204).send();
      });
      scope.post('/private-token/rotate', async () => ({ privateToken: admin.rotatePrivateToken() }));
      scope.post('/private-token/other-location', async () => ({ privateToken: admin.otherLocationPrivateToken() }));
      scope.post('/oauth/revoke', async (_req, reply) => {
        admin.revokeOAuthTokens();
        return reply.code(204).send();
      });
      scope.put('/faults', async (req, reply) => {
        const spec = body(req.body).spec;
        if (typeof spec !== 'string')
          throw new AdminError(400, 'Send {"spec": "<fault spec>"} (an empty string clears the faults)');
        admin.setFaults(spec);
        return reply.code(204).send();
      });
      scope.get('/stats', async () => admin.stats());
      scope.post('/reset', async (_req, reply) => {
        admin.reset();
        return reply.code(204).send();
      });
    },
    { prefix: '/__admin' },
  );
}
