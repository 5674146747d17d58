/**
 * The sandbox's data and the machinery on top of it, rebuilt from the world on start and on reset.
 */
import type { World } from '../world.js';
import { ArofloDb } from './db.js';
import { makeId } from './ids.js';
import { loadWorld } from './load-world.js';
import { ArofloOps, type Actor } from './ops.js';
import { QueryEngine } from './query.js';
import { Renderer } from './render.js';
import type { SiteZone } from './time.js';
import type { LastUpdateFeedOptions, NoteAuthor } from './types.js';
import { PostHandler } from './writes.js';
import { buildZones, type ZoneName, type ZoneSpec } from './zones.js';

export class Core {
  db!: ArofloDb;
  ops!: ArofloOps;
  zones!: Record<ZoneName, ZoneSpec<unknown>>;
  query!: QueryEngine;
  posts!: PostHandler;
  readonly authors: Record<Actor, NoteAuthor>;

  constructor(
    private readonly world: World,
    readonly feed: Required<LastUpdateFeedOptions>,
    readonly site: SiteZone,
    private readonly now: () => number,
  ) {
    this.authors = {
      api: { userid: makeId(world.seed, 'user', 1), username: 'API User' },
      web: { userid: makeId(world.seed, 'user', 2), username: 'Office Admin' },
    };
    this.load();
  }

  load(): void {
    this.db = new ArofloDb(this.world.seed);
    loadWorld(this.db, this.world, this.feed, this.authors.web);
    this.ops = new ArofloOps(this.db, this.now, this.feed, this.authors);
    this.zones = buildZones(this.db, new Renderer(this.db, this.site));
    this.query = new QueryEngine(this.db, this.zones, this.site, this.now);
    this.posts = new PostHandler(this.db, this.ops);
  }
}
