#!/usr/bin/python3
"""A fake Azure (ARM, Resource Graph, Monitor, Entra ID token and managed identity endpoints) on loopback.

Standard library only. Usage:
    server.py --config CONFIG.json --port-file FILE [--log FILE] [--idle-timeout SECONDS]

It binds 127.0.0.1 on a free port, writes the port to --port-file, serves the estate described by
the config, injects the configured faults, appends one JSON line per request to --log (time, method,
path, query, status, fault; never a token or secret) and exits by itself after --idle-timeout
seconds without requests. A second listener, the "sink" (127.0.0.2 when it can bind there, else
127.0.0.1, another port; "HOST:PORT" in PORT_FILE.sink), stands for a host that must never see our
requests: it logs each one with "sink": true and whether an Authorization header arrived.
Each log line is written, in one write, before the response is sent, so a client that has its
answer finds the line in the log. See tests/fake-azure/README.md for the config format.
"""
import argparse
import base64
import json
import os
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def append_log(server, entry):
    """One line, one write(2) on an O_APPEND descriptor: lines never interleave or tear."""
    if not server.log_path:
        return
    data = (json.dumps(entry) + "\n").encode()
    fd = os.open(server.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def b64(n):
    return base64.urlsafe_b64encode(str(n).encode()).decode()


def unb64(s):
    try:
        return int(base64.urlsafe_b64decode(s.encode()).decode())
    except Exception:
        return None


class State:
    def __init__(self, config):
        self.config = config
        estate = config.get("estate")
        if estate is None and config.get("estate_file"):
            with open(config["estate_file"], encoding="utf-8") as f:
                estate = json.load(f)
        self.estate = estate or {}
        # A test may add subscriptions (say, an empty one) and redefine management groups without its own estate.
        if config.get("extra_subscriptions") or config.get("management_groups"):
            self.estate = dict(self.estate)
            self.estate["subscriptions"] = self.estate.get("subscriptions", []) + config.get("extra_subscriptions", [])
            self.estate["managementGroups"] = config.get("management_groups", self.estate.get("managementGroups", {}))
        self.lock = threading.Lock()
        self.tokens = set(config.get("static_tokens", []))
        self.faults = [dict(f, used=0) for f in config.get("faults", [])]
        self.last_activity = time.monotonic()
        self.counter = 0
        self.resources = sorted(self.estate.get("resources", []), key=lambda r: r["id"].lower())
        self.by_id = {r["id"].lower(): r for r in self.resources}
        self.arm = {k.lower(): v for k, v in self.estate.get("arm", {}).items()}
        self.diag = {k.lower(): v for k, v in self.estate.get("diagnosticSettings", {}).items()}

    def fresh(self):
        """A number never returned before (endless paging)."""
        with self.lock:
            self.counter += 1
            return self.counter

    def new_token(self):
        with self.lock:
            self.counter += 1
            tok = "fake-token-%d-%s" % (self.counter, secrets.token_hex(8))
            self.tokens.add(tok)
            return tok

    def take_fault(self, target):
        """The first matching fault that still has uses left (consumed)."""
        with self.lock:
            for f in self.faults:
                if f.get("method") and not target.startswith(f["method"] + " "):
                    continue
                if f.get("match", "") not in target:
                    continue
                count = f.get("count", 1)
                if count >= 0 and f["used"] >= count:
                    continue
                after = f.get("after", 0)  # let this many matching requests pass first
                f["seen"] = f.get("seen", 0) + 1
                if f["seen"] <= after:
                    continue
                f["used"] += 1
                return f
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid the 40 ms delayed-ACK stall
    server_version = "FakeAzure/1.0"

    def log_message(self, fmt, *args):  # quiet
        pass

    # ---- plumbing ----
    @property
    def st(self):
        return self.server.state

    def record(self, status, fault=None, extra=None):
        entry = {"t": time.time(), "method": self.command, "path": self.url.path,
                 "query": self.url.query, "status": status, "fault": fault}
        if extra:
            entry.update(extra)
        append_log(self.server, entry)

    def send_json(self, status, obj, headers=None, fault=None, raw=None, extra=None):
        body = raw if raw is not None else json.dumps(obj, separators=(",", ":")).encode()
        self.record(status, fault, extra)  # before the answer: whoever has the answer finds the line
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(body)

    def arm_error(self, status, code, message, headers=None, fault=None, flat=False):
        body = {"code": code, "message": message} if flat else {"error": {"code": code, "message": message}}
        self.send_json(status, body, headers, fault)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def base(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    # ---- dispatch ----
    def do_GET(self):
        self.handle_any(b"")

    def do_POST(self):
        self.handle_any(self.read_body())

    def handle_any(self, body):
        self.st.last_activity = time.monotonic()
        self.url = urllib.parse.urlsplit(self.path)
        self.q = urllib.parse.parse_qs(self.url.query)
        path = self.url.path
        if path.endswith("/oauth2/v2.0/token") and self.command == "POST":
            return self.token_endpoint(body)
        if path == "/msi/token":
            return self.appservice_identity()
        if path == "/metadata/identity/oauth2/token":
            return self.imds()
        self.arm(body)

    # ---- identity ----
    def issue(self, mi=False):
        life = int(self.st.config.get("token_lifetime", 3600))
        tok = self.st.new_token()
        if mi:
            return {"access_token": tok, "expires_in": str(life), "expires_on": str(int(time.time()) + life),
                    "resource": self.q.get("resource", [""])[0], "token_type": "Bearer"}
        return {"token_type": "Bearer", "expires_in": life, "ext_expires_in": life, "access_token": tok}

    def token_endpoint(self, body):
        creds = self.st.config.get("credentials", {})
        form = urllib.parse.parse_qs(body.decode())
        get = lambda k: form.get(k, [""])[0]
        fault = self.st.take_fault("POST " + self.url.path)
        if fault and fault.get("kind") == "status":
            return self.send_json(fault["status"], fault.get("body", {}), fault=fault["kind"])
        if fault and fault.get("kind") == "echo_secret":
            # A token endpoint that repeats what it was sent, with terminal escapes around it.
            echoed = get("client_secret") or get("client_assertion")
            raw = urllib.parse.quote(echoed, safe="")
            desc = "AADSTS7000215: Invalid client secret provided: '%s' (form: %s)\x1b[2J\r\nFAKE: OK" % (echoed, raw)
            return self.send_json(401, {"error": "invalid_client\x1b[31m", "error_description": desc},
                                  fault=fault["kind"], extra={"auth": "echo"})
        ok = get("grant_type") == "client_credentials" and get("client_id") == creds.get("client_id") \
            and get("scope").endswith("/.default")
        if get("client_secret"):
            ok = ok and get("client_secret") == creds.get("client_secret")
            method = "secret"
        else:
            ok = ok and get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" \
                and get("client_assertion") == creds.get("federated_assertion")
            method = "federated"
        if not ok:
            body = {"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.",
                    "error_codes": [7000215]}
            return self.send_json(401, body, extra={"auth": method})
        self.send_json(200, self.issue(), extra={"auth": method})

    def appservice_identity(self):
        creds = self.st.config.get("credentials", {})
        if self.headers.get("X-IDENTITY-HEADER") != creds.get("identity_header") or \
                self.q.get("api-version", [""])[0] != "2019-08-01" or not self.q.get("resource"):
            return self.send_json(400, {"error": "invalid_request"})
        self.send_json(200, self.issue(mi=True), extra={"auth": "appservice"})

    def imds(self):
        if self.headers.get("Metadata") != "true" or self.q.get("api-version", [""])[0] != "2018-02-01" \
                or not self.q.get("resource"):
            return self.send_json(400, {"error": "invalid_request"})
        self.send_json(200, self.issue(mi=True), extra={"auth": "imds"})

    # ---- ARM ----
    def authorized(self):
        h = self.headers.get("Authorization", "")
        return h.startswith("Bearer ") and h[7:] in self.st.tokens

    def arm(self, body):
        target = "%s %s?%s %s" % (self.command, self.url.path, self.url.query, body.decode(errors="replace"))
        fault = self.st.take_fault(target)
        self.fault = fault or {}
        kind = fault.get("kind") if fault else None
        if kind == "expire_tokens":
            with self.st.lock:
                self.st.tokens = set()
        if not self.authorized():
            return self.arm_error(401, "InvalidAuthenticationToken",
                                  "The access token is invalid or has expired.", fault=kind)
        latency = self.st.config.get("latency_ms", 0) / 1000.0
        if latency:
            time.sleep(latency)
        if kind == "slow":
            time.sleep(fault.get("delay", 3))
        elif kind == "reset":
            self.record(0, kind)
            self.close_connection = True
            try:
                import socket
                import struct
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
            self.connection.close()
            return
        elif kind == "throttle":
            headers = {}
            if "retry_after" in fault:
                headers["Retry-After"] = fault["retry_after"]
            if "resets_after" in fault:
                headers["x-ms-user-quota-resets-after"] = fault["resets_after"]
                headers["x-ms-user-quota-remaining"] = 0
            return self.arm_error(429, "TooManyRequests", "The request is being throttled.", headers, kind)
        elif kind == "echo_token":
            # An ARM error that repeats the Authorization header, with control characters.
            msg = "The token in '%s' is not valid here.\x1b]0;pwned\x07\r\nOK 200\u202e" % self.headers.get("Authorization", "")
            return self.arm_error(fault.get("status", 403), "InvalidAuthenticationTokenTenant", msg, fault=kind)
        elif kind == "status":
            if fault.get("flat"):
                return self.arm_error(fault["status"], fault.get("code", "Error"), fault.get("message", "injected"),
                                      fault=kind, flat=True)
            return self.arm_error(fault["status"], fault.get("code", "Error"), fault.get("message", "injected"),
                                  fault.get("headers"), kind)
        status, obj = self.route(body, kind)
        raw = None
        if kind == "truncate":
            full = json.dumps(obj, separators=(",", ":")).encode()
            raw = full[: len(full) // 2]
        headers = dict(self.st.config.get("response_headers", {}))
        if kind == "headers":
            headers.update(fault.get("headers", {}))
        self.send_json(status, obj, headers, kind, raw)

    def page(self, items, size, make_link):
        start = unb64(self.q.get("$skipToken", ["MA=="])[0]) or 0
        if size <= 0:
            return {"value": items}
        out = {"value": items[start:start + size]}
        if start + size < len(items):
            out["nextLink"] = make_link(b64(start + size))
        return out

    def route(self, body, kind):
        path = self.url.path
        lower = path.lower()
        ps = self.st.config.get("page_size", {})
        subs = self.st.estate.get("subscriptions", [])
        if lower == "/subscriptions":
            link = lambda tok: "%s/subscriptions?api-version=2022-12-01&$skipToken=%s" % (self.base(), tok)
            out = self.page(subs, ps.get("subscriptions", 0), link)
            if kind == "evil_subscriptions":  # ids that are not GUIDs, a name with terminal escapes
                out["value"] = [dict(v, displayName=v.get("displayName", "") + "\x1b[2J\r\nOK") for v in out["value"]]
                out["value"] += [{"subscriptionId": i.replace("{sink}", self.server.sink_addr), "displayName": "evil"}
                                 for i in self.fault.get("ids", [])]
            return 200, out
        if lower.startswith("/subscriptions/") and lower.count("/") == 2:
            for s in subs:
                if s["subscriptionId"].lower() == lower.split("/")[2]:
                    return 200, dict(s, id="/subscriptions/" + s["subscriptionId"])
            return 404, {"error": {"code": "SubscriptionNotFound", "message": "The subscription was not found."}}
        if lower == "/providers/microsoft.resourcegraph/resources" and self.command == "POST":
            return self.resource_graph(json.loads(body or b"{}"), kind)
        suffix = "/providers/microsoft.insights/diagnosticsettings"
        if lower.endswith(suffix):
            rid = lower[: -len(suffix)]
            if rid not in self.st.by_id and rid not in self.st.arm:
                return 404, {"code": "ResourceNotFound", "message": "The resource was not found."}
            settings = self.st.diag.get(rid, [])
            link = lambda tok: "%s%s?api-version=2021-05-01-preview&$skipToken=%s" % (self.base(), path, tok)
            out = self.page(settings, ps.get("diag", 0), link)
            if kind == "loop_nextlink":
                out["nextLink"] = "%s%s?%s" % (self.base(), path, self.url.query)
            elif kind == "endless_nextlink":  # every page links to a new one
                out["nextLink"] = link(b64(1000000 + self.st.fresh()))
            elif kind == "foreign_nextlink":  # the next page is "on" the sink
                out["nextLink"] = "http://%s%s?api-version=2021-05-01-preview" % (self.server.sink_addr, path)
            return 200, out
        if kind == "plant_token" and (lower in self.st.arm or lower in self.st.by_id):
            # The resource comes back with our Authorization header in a tag.
            obj = dict(self.st.arm.get(lower) or self.st.by_id[lower])
            obj["tags"] = {"note": "seen: " + self.headers.get("Authorization", "")}
            return 200, obj
        if lower in self.st.arm:
            return 200, self.st.arm[lower]
        if lower in self.st.by_id:
            return 200, self.st.by_id[lower]
        return 404, {"error": {"code": "ResourceNotFound", "message": "The Resource was not found."}}

    def resource_graph(self, req, kind):
        est = self.st.estate
        scope_subs = set(s.lower() for s in req.get("subscriptions", []))
        for mg in req.get("managementGroups", []):
            scope_subs.update(s.lower() for s in est.get("managementGroups", {}).get(mg, []))
        query = req.get("query", "").lower()
        if query.startswith("resourcecontainers"):  # the subscriptions in scope, with or without resources
            rows = [{"id": "/subscriptions/" + s["subscriptionId"], "subscriptionId": s["subscriptionId"],
                     "type": "microsoft.resources/subscriptions"}
                    for s in est.get("subscriptions", []) if s["subscriptionId"].lower() in scope_subs]
        else:
            rows = [r for r in self.st.resources
                    if r.get("subscriptionId", "").lower() in scope_subs and r.get("type", "").lower() in query]
        opts = req.get("options", {})
        top = min(int(opts.get("$top", 1000)), int(self.st.config.get("page_size", {}).get("arg", 1000)))
        start = unb64(opts["$skipToken"]) if opts.get("$skipToken") else 0
        if start is None:
            return 400, {"error": {"code": "BadRequest", "message": "invalid $skipToken"}}
        data = rows[start:start + top]
        out = {"totalRecords": len(rows), "count": len(data), "resultTruncated": "false", "facets": [], "data": data}
        if start + top < len(rows):
            out["$skipToken"] = b64(start + top)
        if kind == "loop_skiptoken":
            out["$skipToken"] = b64(start)
        if kind == "endless_skiptoken":
            out["$skipToken"] = b64(1000000 + self.st.fresh())
        if kind == "evil_rows":  # rows whose ids are not clean ARM paths ("{sink}" = the sink's HOST:PORT)
            f = self.fault
            extra = [{"id": i.replace("{sink}", self.server.sink_addr), "name": "evil",
                      "subscriptionId": f.get("subscription", "11111111-1111-1111-1111-111111111111"),
                      "type": f.get("type", "microsoft.network/expressroutecircuits"), "properties": {}}
                     for i in f.get("ids", [])]
            out["data"] = extra + out["data"]
        if kind == "truncated_result":
            out["resultTruncated"] = "true"
        return 200, out


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # listen() backlog; the default 5 drops SYNs of parallel clients (1 s retransmit)

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return  # the client gave up on a slow answer (a timeout test): expected, not worth a traceback
        super().handle_error(request, client_address)


class SinkHandler(BaseHTTPRequestHandler):
    """Another host: logs what reached it (and whether it carried a token), answers an empty page."""
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            self.rfile.read(n)
        url = urllib.parse.urlsplit(self.path)
        append_log(self.server, {"t": time.time(), "sink": True, "method": self.command, "path": url.path,
                                 "query": url.query, "status": 200,
                                 "authorization": "Authorization" in self.headers})
        body = b'{"value":[],"data":[]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = answer
    do_POST = answer


def start_sink(log_path):
    for host in ("127.0.0.2", "127.0.0.1"):
        try:
            sink = Server((host, 0), SinkHandler)
            break
        except OSError:
            continue
    sink.log_path = log_path
    threading.Thread(target=sink.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return sink


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--idle-timeout", type=float, default=30.0)
    a = ap.parse_args()
    with open(a.config, encoding="utf-8") as f:
        config = json.load(f)
    srv = Server(("127.0.0.1", 0), Handler)
    srv.state = State(config)
    srv.log_path = a.log
    sink = start_sink(a.log)
    srv.sink_addr = "%s:%d" % sink.server_address[:2]
    with open(a.port_file + ".sink.tmp", "w") as f:
        f.write(srv.sink_addr + "\n")
    os.replace(a.port_file + ".sink.tmp", a.port_file + ".sink")
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, a.port_file)

    parent = os.getppid()

    def watchdog():
        # Stop when idle, or when the test that started us is gone.
        while True:
            time.sleep(0.2)
            if time.monotonic() - srv.state.last_activity > a.idle_timeout or os.getppid() != parent:
                srv.shutdown()
                return

    threading.Thread(target=watchdog, daemon=True).start()
    srv.serve_forever(poll_interval=0.1)
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
