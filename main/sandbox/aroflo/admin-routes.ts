/**
 * The admin over HTTP under /__admin (only with `admin: true`). Every request needs `x-sandbox-admin: <token>`
 * (401 otherwise). Exempt from limits and faults. JSON in, JSON out; errors are { error } with 400/404/409.
 *
 *   GET    /__admin/clients[?includeArchived=false]      POST /__admin/clients            GET /__admin/clients/:id
 *   PATCH  /__admin/clients/:id                           POST /__admin/clients/:id/archive
 *   GET    /__admin/contacts[?clientid=]                  POST /__admin/clients/:id/contacts
 *   GET    /__admin/contacts/:id   PATCH /__admin/contacts/:id   POST /__admin/contacts/:id/archive
 *   GET    /__admin/tasks[?clientid=]   POST /__admin/tasks   GET|PATCH /__admin/tasks/:id
 *   POST   /__admin/tasks/:id/status {status}
 *   GET|POST /__admin/tasks/:id/notes                     PATCH /__admin/tasknotes/:noteid
 *   GET    /__admin/clientnotes[?clientid=]   POST /__admin/clients/:id/notes   PATCH /__admin/clientnotes/:noteid
 *   GET    /__admin/lastupdate[?zonename=&sinceMs=]
 *   PUT    /__admin/faults {spec}   GET /__admin/stats   POST /__admin/stats/reset   GET /__admin/usage
 *   POST   /__admin/reset   GET /__admin/credentials   POST /__admin/secret/regenerate
 *   POST   /__admin/api-access {enabled}   POST /__admin/secret-saved {saved}
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { FaultSpecError } from '../faults.js';
import { ArofloAdminError, NOTE_FILTERS, TASK_STATUSES, type ArofloAdmin } from './types.js';

const str = z.string();
const address = z.object({
  addressline1: str.optional(),
  addressline2: str.optional(),
  suburb: str.optional(),
  state: str.optional(),
  postcode: str.optional(),
  country: str.optional(),
});
const clientInput = z.strictObject({
  clientname: str,
  firstname: str.optional(),
  surname: str.optional(),
  phone: str.optional(),
  mobile: str.optional(),
  fax: str.optional(),
  email: str.optional(),
  abn: str.optional(),
  shortname: str.optional(),
  website: str.optional(),
  address: address.optional(),
  orgids: z.array(str).optional(),
});
const clientPatch = clientInput.partial().extend({ postable: z.boolean().optional(), externalid: str.optional() });
const contactInput = z.strictObject({
  givennames: str.optional(),
  surname: str.optional(),
  email: str.optional(),
  email2: str.optional(),
  phone: str.optional(),
  mobile: str.optional(),
  fax: str.optional(),
  username: str.optional(),
});
const status = z.enum(TASK_STATUSES);
const taskInput = z.strictObject({
  clientid: str,
  taskname: str,
  duedate: str,
  orgid: str.optional(),
  tasktypeid: str.optional(),
  description: str.optional(),
  contactUserid: str.optional(),
  custon: str.optional(),
  status: status.optional(),
});
const taskPatch = taskInput.omit({ clientid: true }).partial().extend({ linkprocessed: z.boolean().optional() });
const noteInput = z.strictObject({
  content: str,
  filter: z.enum(NOTE_FILTERS).optional(),
  sticky: z.boolean().optional(),
});

type Params = { id: string };

export function registerAdminRoutes(app: FastifyInstance, admin: ArofloAdmin, token: string): void {
  app.register(
    async (r) => {
      r.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
        const got = Buffer.from(String(req.headers['x-sandbox-admin'] ?? ''));
        const want = Buffer.from(token);
        if (got.length !== want.length || !timingSafeEqual(got, want))
          return reply.code(401).send({ error: 'x-sandbox-admin header missing or wrong' });
      });
      r.setErrorHandler((err, _req, reply) => {
        if (err instanceof ArofloAdminError) return reply.code(err.status).send({ error: err.message });
        if (err instanceof z.ZodError)
          return reply
            .code(400)
            .send({ error: err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
        if (err instanceof FaultSpecError) return reply.code(400).send({ error: err.message });
        const status = (err as { statusCode?: number }).statusCode;
        return reply
          .code(status && status >= 400 && status < 500 ? status : 500)
          .send({ error: (err as Error).message });
      });
      const q = (req: FastifyRequest): Record<string, string> => req.query as Record<string, string>;
      const p = (req: FastifyRequest): string => (req.params as Params).id;
      const found = <T>(x: T | undefined, what: string): T => {
        if (x === undefined) throw new ArofloAdminError(404, `${what} was not found`);
        return x;
      };

      r.get('/clients', async (req) => admin.listClients({ includeArchived: q(req).includeArchived !== 'false' }));
      r.post('/clients', async (req, reply) => reply.code(201).send(admin.createClient(clientInput.parse(req.body))));
      r.get('/clients/:id', async (req) => found(admin.getClient(p(req)), `client ${p(req)}`));
      r.patch('/clients/:id', async (req) => admin.updateClient(p(req), clientPatch.parse(req.body)));
      r.post('/clients/:id/archive', async (req) => admin.archiveClient(p(req)));
      r.post('/clients/:id/contacts', async (req, reply) =>
        reply.code(201).send(admin.createContact(p(req), contactInput.parse(req.body))),
      );
      r.post('/clients/:id/notes', async (req, reply) =>
        reply.code(201).send(admin.addClientNote(p(req), noteInput.parse(req.body))),
      );

      r.get('/contacts', async (req) => admin.listContacts({ clientid: q(req).clientid || undefined }));
      r.get('/contacts/:id', async (req) => found(admin.getContact(p(req)), `contact ${p(req)}`));
      r.patch('/contacts/:id', async (req) => admin.updateContact(p(req), contactInput.parse(req.body)));
      r.post('/contacts/:id/archive', async (req) => admin.archiveContact(p(req)));

      r.get('/tasks', async (req) => admin.listTasks({ clientid: q(req).clientid || undefined }));
      r.post('/tasks', async (req, reply) => reply.code(201).send(admin.createTask(taskInput.parse(req.body))));
      r.get('/tasks/:id', async (req) => found(admin.getTask(p(req)), `task ${p(req)}`));
      r.patch('/tasks/:id', async (req) => admin.updateTask(p(req), taskPatch.parse(req.body)));
      r.post('/tasks/:id/status', async (req) =>
        admin.setTaskStatus(p(req), z.object({ status }).parse(req.body).status),
      );
      r.get('/tasks/:id/notes', async (req) => admin.listTaskNotes(p(req)));
      r.post('/tasks/:id/notes', async (req, reply) =>
        reply.code(201).send(admin.addTaskNote(p(req), noteInput.parse(req.body))),
      );
      r.patch('/tasknotes/:id', async (req) => admin.updateTaskNote(p(req), noteInput.partial().parse(req.body)));

      r.get('/clientnotes', async (req) => admin.listClientNotes({ clientid: q(req).clientid || undefined }));
      r.patch('/clientnotes/:id', async (req) => admin.updateClientNote(p(req), noteInput.partial().parse(req.body)));

      r.get('/lastupdate', async (req) => {
        const zonename = q(req).zonename;
        const since = q(req).sinceMs;
        return admin.lastUpdates({
          zonename: zonename === 'clients' || zonename === 'tasks' || zonename === 'contacts' ? zonename : undefined,
          sinceMs: since !== undefined ? Number(since) : undefined,
        });
      });
      r.put('/faults', async (req) => {
        admin.setFaults(z.object({ spec: str }).parse(req.body).spec);
        return { ok: true };
      });
      r.get('/stats', async () => admin.stats());
      r.post('/stats/reset', async () => {
        admin.resetStats();
        return { ok: true };
      });
      r.get('/usage', async () => admin.usage());
      r.post('/reset', async () => {
        admin.reset();
        return { ok: true };
      });
      r.get('/credentials', async () => admin.credentials());
      r.post('/secret/regenerate', async () => ({ secretKey: admin.regenerateSecret() }));
      r.post('/api-access', async (req) => {
        admin.setApiAccess(z.object({ enabled: z.boolean() }).parse(req.body).enabled);
        return { ok: true };
      });
      r.post('/secret-saved', async (req) => {
        admin.setSecretSaved(z.object({ saved: z.boolean() }).parse(req.body).saved);
        return { ok: true };
      });
    },
    { prefix: '/__admin' },
  );
}
