"""What the three hardening harnesses share (issue 14): the release binary started alone in a folder, a
demo data directory and its accounts, plain HTTP calls, the server's resident memory."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.environ.get("EMJPM_BINARY", os.path.join(ROOT, "target", "release", "emjpm"))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """`emjpm serve` on a data directory, its log in the work folder."""

    def __init__(self, work, data, port=None, extra=()):
        self.work, self.data, self.port = work, data, port or free_port()
        self.extra = list(extra)
        self.process = None
        self.log_path = os.path.join(work, "server.log")

    def start(self, timeout=30):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [os.path.join(self.work, "emjpm"), "serve", "--listen", f"127.0.0.1:{self.port}",
             "--data-dir", self.data, *self.extra],
            stdout=log, stderr=log, cwd=self.work)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/sante", timeout=1)
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("le serveur s'est arrêté au démarrage : " + self.log())
            time.sleep(0.05)
        raise RuntimeError("le serveur ne répond pas")

    def kill9(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()


def workspace():
    """An empty folder holding a copy of the binary, as a jurisdiction would install it."""
    work = tempfile.mkdtemp(prefix="emjpm-harness-")
    shutil.copy(BINARY, os.path.join(work, "emjpm"))
    return work


def demo(work, data):
    """`emjpm demo` on `data`; returns {identifiant: password}."""
    out = subprocess.run([os.path.join(work, "emjpm"), "demo", "--data-dir", data],
                         capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^\s+(demo-[a-z]+)\s+.*?\s(\S+)$", out, re.M))


def verify(work, data, dossiers=False):
    """`emjpm verifier` (server stopped): (exit code, output)."""
    args = [os.path.join(work, "emjpm"), "verifier", "--data-dir", data]
    if dossiers:
        args.append("--numeros-de-dossier")
    done = subprocess.run(args, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def request(port, method, path, body=None, headers=None, timeout=30, conn=None):
    """One request; returns (status, headers dict, body bytes). `conn` reuses a keep-alive connection."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    all_headers = {"Origin": f"http://127.0.0.1:{port}"}
    all_headers.update(headers or {})
    if isinstance(body, str):
        body = body.encode()
    conn.request(method, path, body=body, headers=all_headers)
    response = conn.getresponse()
    data = response.read()
    headers_out = {k.lower(): v for k, v in response.getheaders()}
    cookies = response.msg.get_all("set-cookie") or []
    if cookies:
        headers_out["set-cookie"] = "\n".join(cookies)
    result = (response.status, headers_out, data)
    if own:
        conn.close()
    return result


def log_in(port, identifiant, password):
    """A session cookie ("name=value") for the account."""
    body = urllib.parse.urlencode({"identifiant": identifiant, "mot_de_passe": password, "retour": ""})
    status, headers, data = request(port, "POST", "/api/connexion", body,
                                    {"Content-Type": "application/x-www-form-urlencoded"})
    cookie = headers.get("set-cookie", "")
    match = re.search(r"((?:__Host-)?emjpm_session=[^;]+)", cookie)
    if not match:
        raise RuntimeError(f"connexion de {identifiant} impossible ({status}) : {data[:200]!r}")
    return match.group(1)
