import { test } from "node:test";
import assert from "node:assert/strict";
import { MemFs } from "../../runtime/vfs.ts";
import { MountedFs } from "../../runtime/vfs.ts";
import { VfsError } from "../../runtime/types.ts";
import type { Container, Pod } from "../../api/types.gen.ts";
import { AppArmorFs, AppArmorParseError, attrCurrent, confine, getProfile, globToRegExp, NodeAppArmor, parseProfiles, profileAllows, PROFILES_FILE } from "./apparmor.ts";
import { harness } from "../../runtime/shell/testutil.ts";
import { nodeCommands } from "./apparmor_parser.ts";

// The page's profile (tutorials/security/apparmor).
const DENY_WRITE = `#include <tunables/global>

profile k8s-apparmor-example-deny-write flags=(attach_disconnected) {
  #include <abstractions/base>

  file,

  # Deny all file writes.
  deny /** w,
}
`;

const pod = (annotations: Record<string, string> | undefined, podProfile?: NonNullable<Pod["spec"]>["securityContext"], c: Partial<Container> = {}): [Pod, Container] => {
  const container = { name: "hello", image: "busybox:1.28", ...c } as Container;
  return [{ apiVersion: "v1", kind: "Pod", metadata: { name: "p", ...(annotations ? { annotations } : {}) }, spec: { securityContext: podProfile, containers: [container] } }, container];
};

test("globbing: * stays within a path component, ** crosses them, {a,b} and [...] as apparmor.d(5)", () => {
  assert.ok(globToRegExp("/**").test("/tmp/test"));
  assert.ok(globToRegExp("/**").test("/tmp/"));
  assert.ok(globToRegExp("/tmp/*").test("/tmp/a"));
  assert.ok(!globToRegExp("/tmp/*").test("/tmp/a/b"));
  assert.ok(globToRegExp("/{etc,tmp}/?").test("/etc/x"));
  assert.ok(!globToRegExp("/{etc,tmp}/?").test("/var/x"));
  assert.ok(globToRegExp("/proc/[0-9]*/attr").test("/proc/1/attr"));
  assert.ok(globToRegExp("/a.b").test("/a.b") && !globToRegExp("/a.b").test("/axb"));
  assert.throws(() => globToRegExp("/{a,b"), /unterminated alternation/);
});

test("the page's deny-write profile: file access allowed, writes denied everywhere", () => {
  const [p] = parseProfiles(DENY_WRITE);
  assert.equal(p!.name, "k8s-apparmor-example-deny-write");
  assert.equal(p!.mode, "enforce");
  assert.ok(profileAllows(p!, "/proc/1/attr/current", "read"));
  assert.ok(!profileAllows(p!, "/tmp/test", "write"));
});

test("complain mode, several profiles, attachment-path profiles, child profiles and unenforced rule kinds", () => {
  const ps = parseProfiles(`
profile a flags=(complain) {
  capability net_admin,
  network inet tcp,
  /etc/** r,
  deny owner /tmp/* rw,
  ^hat {
    /** w,
  }
}
/usr/bin/b {
  file /var/** rw,
}
`);
  assert.deepEqual(ps.map((p) => [p.name, p.mode]), [["a", "complain"], ["/usr/bin/b", "enforce"]]);
  assert.ok(profileAllows(ps[0]!, "/etc/hosts", "read"));
  assert.ok(!profileAllows(ps[0]!, "/etc/hosts", "write"), "the hat's rules are not the profile's");
  assert.ok(!profileAllows(ps[0]!, "/tmp/x", "read"));
  assert.ok(profileAllows(ps[1]!, "/var/log/x", "write"));
  assert.ok(!profileAllows(ps[1]!, "/tmp/x", "write"), "no rule allows it");
});

test("syntax errors name their line", () => {
  const err = (t: string) => {
    try {
      parseProfiles(t);
    } catch (e) {
      assert.ok(e instanceof AppArmorParseError);
      return `${e.line}: ${e.message}`;
    }
    return "parsed";
  };
  assert.match(err("profile x {\n  /tmp/** w\n}\n"), /^2: .*rules end with ","/);
  assert.match(err("profile x {\n  /tmp/** w,\n"), /not closed/);
  assert.match(err("profile x flags=(bogus) {\n}\n"), /^1: Invalid profile flag: bogus/);
  assert.match(err("# only a comment\n"), /no profile found/);
  assert.match(err("profile x {\n  @{NOPE}/** r,\n}\n"), /@\{NOPE\}, but is never declared/);
  assert.match(err("profile x {\n  /tmp/** zz,\n}\n"), /expecting a path and its permissions/);
});

test("the node's kernel: profiles listed as the securityfs file shows them; add refuses a loaded name, replace does not", () => {
  const fs = new MemFs();
  const node = new NodeAppArmor(fs);
  assert.equal(fs.readFile("/sys/module/apparmor/parameters/enabled"), "Y\n");
  assert.equal(fs.readFile(PROFILES_FILE), "");
  const [p] = parseProfiles(DENY_WRITE);
  assert.equal(node.load(p!, false), undefined);
  assert.equal(node.load(p!, false), "exists");
  assert.equal(node.load(p!, true), undefined);
  assert.equal(fs.readFile(PROFILES_FILE), "k8s-apparmor-example-deny-write (enforce)\n");
  assert.ok(node.remove(p!.name));
  assert.ok(!node.remove(p!.name));
  assert.equal(fs.readFile(PROFILES_FILE), "");
});

test("GetProfile: the container's field, then the deprecated annotation, then the pod's field", () => {
  const ann = { "container.apparmor.security.beta.kubernetes.io/hello": "localhost/from-annotation" };
  const podLevel = { appArmorProfile: { type: "RuntimeDefault" } };
  assert.deepEqual(getProfile(...pod(ann, podLevel, { securityContext: { appArmorProfile: { type: "Unconfined" } } })), { type: "Unconfined" });
  assert.deepEqual(getProfile(...pod(ann, podLevel)), { type: "Localhost", localhostProfile: "from-annotation" });
  assert.deepEqual(getProfile(...pod(undefined, podLevel)), { type: "RuntimeDefault" });
  assert.deepEqual(getProfile(...pod({ "container.apparmor.security.beta.kubernetes.io/hello": "runtime/default" })), { type: "RuntimeDefault" });
  assert.equal(getProfile(...pod(undefined)), undefined);
});

test("containerd's choice: the runtime default when none is set (loaded when first needed), none when privileged, a Localhost profile must be loaded", () => {
  const fs = new MemFs();
  const node = new NodeAppArmor(fs);
  const def = confine(...pod(undefined), node);
  assert.ok(!("error" in def));
  assert.equal(attrCurrent(def), "cri-containerd.apparmor.d (enforce)\n");
  assert.equal(fs.readFile(PROFILES_FILE), "cri-containerd.apparmor.d (enforce)\n");
  const priv = confine(...pod(undefined, undefined, { securityContext: { privileged: true } }), node);
  assert.ok(!("error" in priv) && attrCurrent(priv) === "unconfined\n");
  const unconfined = confine(...pod(undefined, { appArmorProfile: { type: "Unconfined" } }), node);
  assert.ok(!("error" in unconfined) && attrCurrent(unconfined) === "unconfined\n");
  const missing = confine(...pod(undefined, { appArmorProfile: { type: "Localhost", localhostProfile: "k8s-apparmor-example-allow-write" } }), node);
  assert.deepEqual(missing, { error: "failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found k8s-apparmor-example-allow-write" });
  node.load(parseProfiles(DENY_WRITE)[0]!, false);
  const ok = confine(...pod(undefined, { appArmorProfile: { type: "Localhost", localhostProfile: "k8s-apparmor-example-deny-write" } }, { securityContext: { privileged: true } }), node);
  assert.ok(!("error" in ok) && attrCurrent(ok) === "k8s-apparmor-example-deny-write (enforce)\n", "a Localhost profile confines a privileged container too");
});

test("a confined filesystem: enforce mode refuses with EACCES before the filesystem's own checks; complain mode allows", () => {
  const root = new MemFs(undefined, { "/etc/hostname": "pod1\n" });
  root.mkdir("/tmp");
  const inner = new MountedFs(root, [], false, { uid: 0, gid: 0, groups: [0] });
  const fs = new AppArmorFs(inner, parseProfiles(DENY_WRITE)[0]!);
  assert.equal(fs.readFile("/etc/hostname"), "pod1\n");
  assert.deepEqual(fs.readdir("/tmp"), []);
  for (const op of [() => fs.touch("/tmp/test"), () => fs.writeFile("/tmp/x", "x"), () => fs.mkdir("/tmp/d"), () => fs.unlink("/etc/hostname"), () => fs.chmod("/etc/hostname", 0o600)]) {
    assert.throws(op, (e: unknown) => e instanceof VfsError && e.code === "EACCES");
  }
  assert.equal(root.stat("/tmp/test"), undefined);
  const complain = new AppArmorFs(inner, parseProfiles(DENY_WRITE.replace("flags=(attach_disconnected)", "flags=(attach_disconnected, complain)"))[0]!);
  complain.touch("/tmp/test");
  assert.equal(root.stat("/tmp/test")?.type, "file");
});

test("apparmor_parser on the node: the page's here-document, -v, -r, -R, refusals and bad input", () => {
  const fs = new MemFs();
  const node = new NodeAppArmor(fs);
  const run = (script: string) => {
    const h = harness();
    h.fs.mkdir("/root", { recursive: true });
    h.fs.writeFile("/root/p", DENY_WRITE);
    const r = h.run(["sh", "-c", script], { commands: nodeCommands(node) });
    return [r.exit(), h.stdout(), h.stderr()];
  };
  assert.deepEqual(run(`apparmor_parser -q <<EOF\n${DENY_WRITE}EOF\n`), [0, "", ""]);
  assert.equal(node.get("k8s-apparmor-example-deny-write")?.mode, "enforce");
  assert.deepEqual(run("apparmor_parser /root/p"), [1, "", 'apparmor_parser: Unable to add "k8s-apparmor-example-deny-write".  Profile already exists\n']);
  assert.deepEqual(run("apparmor_parser -r -v /root/p"), [0, 'Replacement succeeded for "k8s-apparmor-example-deny-write".\n', ""]);
  assert.deepEqual(run("apparmor_parser -R /root/p"), [0, "", ""]);
  assert.equal(fs.readFile(PROFILES_FILE), "");
  assert.deepEqual(run("apparmor_parser --remove /root/p"), [1, "", 'apparmor_parser: Unable to remove "k8s-apparmor-example-deny-write".  Profile doesn\'t exist\n']);
  assert.deepEqual(run("apparmor_parser /root/none"), [1, "", "File /root/none not found, skipping...\n"]);
  assert.deepEqual(run("apparmor_parser -z /root/p"), [1, "", "apparmor_parser: invalid option -- 'z'\n"]);
  assert.deepEqual(run("echo 'profile x {' | apparmor_parser"), [1, "", 'AppArmor parser error for /dev/stdin at line 2: syntax error, unexpected end of file: profile "x" is not closed\n']);
});
