import { Hono } from 'hono';
import { VIEWER_HTML } from './page.js';

/** The viewer at `/ui`: a static page over the public API; it holds no state and no secrets of its own. */
export function viewerRoutes(): Hono {
  const app = new Hono();
  const page = (c: import('hono').Context) =>
    c.html(VIEWER_HTML, 200, {
      'cache-control': 'no-cache',
      'content-security-policy':
        "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
    });
  app.get('/ui', page);
  app.get('/ui/', page);
  return app;
}
