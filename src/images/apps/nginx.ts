/**
 * `nginx`: listens on port 80 at once; `GET /` answers 200 with nginx's welcome page, other paths
 * 404 with nginx's error page. A volume mounted at the document root /usr/share/nginx/html is
 * served instead: its files, index.html for a directory, 403 for a directory without one.
 * SIGTERM makes it stop at once (fast shutdown, exit 0).
 */
import type { AppSpec } from "./model.ts";

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

export const NGINX_404 = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.27.3</center>
</body>
</html>
`;

export const NGINX_403 = `<html>
<head><title>403 Forbidden</title></head>
<body>
<center><h1>403 Forbidden</h1></center>
<hr><center>nginx/1.27.3</center>
</body>
</html>
`;

export function nginxSpec(): AppSpec {
  return {
    ports: [80],
    startup: 0,
    routes: { "/": { status: 200, body: NGINX_WELCOME }, "/index.html": { status: 200, body: NGINX_WELCOME } },
    notFound: { status: 404, body: NGINX_404 },
    docroot: "/usr/share/nginx/html",
    forbidden: { status: 403, body: NGINX_403 },
    onSigterm: { exitCode: 0 },
    memory: "8Mi",
  };
}
