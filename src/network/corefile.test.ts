import { test } from "node:test";
import assert from "node:assert/strict";
import { CorefileError, corefileSHA512, lex, loadCorefile, parseCorefile, serverBlocksJSON, zoneFor } from "./corefile.ts";

/** kubeadm's Corefile of v1.26-v1.31 (before the cache's `disable` lines). */
const KUBEADM_131 = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

/** The Customizing DNS Service page's final ConfigMap's Corefile (a stub domain, an upstream). */
const PAGE_STUB = `.:53 {
    errors
    health
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . 172.16.0.1
    cache 30
    loop
    reload
    loadbalance
}
consul.local:53 {
    errors
    cache 30
    forward . 10.150.0.1
}
`;

test("the reload plugin's SHA512 is of the parsed blocks: the value real CoreDNS pods log for kubeadm's Corefile", () => {
  // `[INFO] plugin/reload: Running configuration SHA512 = 591cf328…` in the logs of kubeadm clusters v1.26-v1.31.
  assert.equal(
    corefileSHA512(KUBEADM_131, "/etc/coredns/Corefile"),
    "591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908",
  );
  // Comments, blank lines and indentation change nothing; a moved line does (tokens carry their line).
  assert.equal(corefileSHA512(KUBEADM_131.replace("    errors\n", "    errors   # log errors\n"), "x"), corefileSHA512(KUBEADM_131, "y"));
  assert.notEqual(corefileSHA512(KUBEADM_131.replace("    errors\n", "\n    errors\n"), "x"), corefileSHA512(KUBEADM_131, "x"));
});

test("json.Marshal of the server blocks: keys, directives sorted, each token with its line", () => {
  assert.equal(
    serverBlocksJSON(parseCorefile('.:53 {\n  whoami\n  log "a b" <x>\n}\n', "f")),
    '[{"Keys":[".:53"],"Tokens":{"log":[{"File":"","Line":3,"Text":"log"},{"File":"","Line":3,"Text":"a b"},{"File":"","Line":3,"Text":"\\u003cx\\u003e"}],"whoami":[{"File":"","Line":2,"Text":"whoami"}]}}]',
  );
});

test("lexer: quotes, escaped quotes, comments to the end of the line", () => {
  assert.deepEqual(lex('a "b c" "d\\"e" # f g\nh'), [
    { line: 1, text: "a" },
    { line: 1, text: "b c" },
    { line: 1, text: 'd"e' },
    { line: 2, text: "h" },
  ]);
});

test("caddy's parse errors, with the file and line", () => {
  const err = (text: string) => {
    try {
      parseCorefile(text, "/etc/coredns/Corefile");
    } catch (e) {
      assert.ok(e instanceof CorefileError);
      return e.message;
    }
    return "parsed";
  };
  assert.equal(err(".:53 {\n    errors\n    proxy . /etc/resolv.conf\n}\n"), "/etc/coredns/Corefile:3 - Error during parsing: Unknown directive 'proxy'");
  assert.equal(err(".:53 {\n    errors\n"), "/etc/coredns/Corefile:2 - Syntax error: Unexpected token 'errors', expecting '}'");
  // caddy takes a nested block's `}` that ends the file as the server block's own.
  assert.equal(err(".:53 {\n    health {\n       lameduck 5s\n    }\n"), "parsed");
  assert.equal(err(".:53 {\n    cache 30 {\n"), "/etc/coredns/Corefile:2 - Error during parsing: Unexpected EOF");
  assert.equal(err(".:53 {\n    cache 30 }\n}\n"), "/etc/coredns/Corefile:2 - Error during parsing: Unexpected '}' because no matching opening brace");
  // The reload plugin's own parse checks no directive names.
  assert.doesNotThrow(() => parseCorefile(".:53 {\n    proxy . 8.8.8.8\n}\n", "f", null));
});

test("the page's stub domain: zones, the upstreams of forward, the most specific zone answers", () => {
  const cfg = loadCorefile(PAGE_STUB, "/etc/coredns/Corefile");
  assert.deepEqual(cfg.startup, [".:53", "consul.local.:53"]);
  assert.equal(zoneFor(cfg, "web.consul.local")?.zone, "consul.local.");
  assert.deepEqual(zoneFor(cfg, "web.consul.local")?.forward, { from: ".", to: ["10.150.0.1"] });
  assert.equal(zoneFor(cfg, "consul.local")?.zone, "consul.local.");
  assert.equal(zoneFor(cfg, "notconsul.local")?.zone, ".");
  assert.deepEqual(zoneFor(cfg, "www.kubernetes.io")?.forward, { from: ".", to: ["172.16.0.1"] });
  assert.deepEqual(zoneFor(cfg, "x")?.kubernetes, ["cluster.local.", "in-addr.arpa.", "ip6.arpa."]);
  const kubeadm = loadCorefile(KUBEADM_131, "f");
  assert.deepEqual(zoneFor(kubeadm, "example.com")?.forward, { from: ".", to: ["/etc/resolv.conf"] });
  // Without a root zone, a name outside every zone has no server block (CoreDNS answers REFUSED).
  assert.equal(zoneFor(loadCorefile("example.org {\n    whoami\n}\n", "f"), "example.com"), undefined);
});

test("hosts entries inline, forward's upstream forms, and what plugin setup refuses", () => {
  const cfg = loadCorefile(".:53 {\n    hosts {\n       10.0.0.5 db.example.com db\n       fallthrough\n    }\n    forward . dns://8.8.8.8:53 8.8.4.4\n}\n", "f");
  const z = zoneFor(cfg, "a.b")!;
  assert.equal(z.hosts?.entries.get("db.example.com."), "10.0.0.5");
  assert.equal(z.hosts?.fallthrough, true);
  assert.deepEqual(z.forward?.to, ["8.8.8.8", "8.8.4.4"]);
  assert.throws(() => loadCorefile(".:53 {\n    forward . ns.example.com\n}\n", "f"), /plugin\/forward: not an IP address or file: "ns.example.com"/);
  assert.throws(() => loadCorefile(".:53 {\n    forward .\n}\n", "f"), /plugin\/forward: Wrong argument count/);
  assert.throws(() => loadCorefile(".:53 {\n}\n.:53 {\n}\n", "f"), /cannot serve dns:\/\/\.:53 - it is already defined/);
});
