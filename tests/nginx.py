"""Real nginx on 127.0.0.1 in front of gunicorns, with the production file deploy/nginx-sticky.conf.

Only the lines marked ``# sagsflow:`` change (the addresses), and the wrapper adds what a standalone nginx
needs (its own pid file and temporary folders) and an ``X-Upstream`` header naming the process that
answered, which a test reads and production does not send.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from tests.gunicorn import wait_for_port

ROOT = Path(__file__).resolve().parents[1]
STICKY_CONF = ROOT / "deploy" / "nginx-sticky.conf"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def render_sticky_conf(listen_port: int, backend_ports: list[int]) -> str:
    """deploy/nginx-sticky.conf with this machine's loopback addresses."""
    text = STICKY_CONF.read_text(encoding="utf-8")
    backends = "\n".join(f"    server 127.0.0.1:{port};" for port in backend_ports)
    text, n = re.subn(r"(?:^    server \S+;  # sagsflow: backend\n)+", backends + "\n", text, flags=re.M)
    assert n == 1, "deploy/nginx-sticky.conf: the backend lines are marked '# sagsflow: backend'"
    text, n = re.subn(
        r"^    listen \S+;  # sagsflow: listen$", f"    listen 127.0.0.1:{listen_port};", text, flags=re.M
    )
    assert n == 1, "deploy/nginx-sticky.conf: the listen line is marked '# sagsflow: listen'"
    return text


class StickyProxy:
    """``with StickyProxy(port, [backend ports]):`` nginx runs in the foreground of its own folder."""

    def __init__(self, listen_port: int, backend_ports: list[int]) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed (bash scripts/nginx.sh)")
        self.binary, self.port, self.backends = binary, listen_port, backend_ports
        self.folder = Path(tempfile.mkdtemp(prefix="sagsflow-nginx-"))
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> StickyProxy:
        folder = self.folder
        (folder / "sagsflow.conf").write_text(render_sticky_conf(self.port, self.backends), encoding="utf-8")
        (folder / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    add_header X-Upstream $upstream_addr always;
    include {folder}/sagsflow.conf;
}}
""",
            encoding="utf-8",
        )
        command = [self.binary, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for_port(self.port, self._process)
        except RuntimeError:
            errors = self._process.stderr.read().decode() if self._process.poll() is not None else ""
            self.__exit__(None, None, None)
            raise RuntimeError(f"nginx did not start: {errors}") from None
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)
