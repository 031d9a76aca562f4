"""The soak's plumbing: the production server in a child process, and an open-loop client.

The server is started exactly as in production, with `essaim serve` (gunicorn, its worker
count, recycling and timeouts), on the demo database, behind an imaginary TLS proxy
(``ESSAIM_BEHIND_PROXY=1``): the client sends ``X-Forwarded-Proto: https`` and an
``X-Forwarded-For`` address, so secure cookies, CSRF's referer check and the per-address
limits all behave as on a real site. Visitors' addresses are spread over a private /8, as
a real audience is, so the anti-spam and API limits stay at their defaults (a 429 is
counted apart, as expected, never as an error).

The client is open-loop: request n is sent at ``n / rate`` seconds whatever the server's
pace, and its latency counts from that instant (no coordinated omission: a slow server
shows as latency, not as a lower sending rate).
"""

import asyncio
import logging
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.server import children

logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request

ROOT = Path(__file__).resolve().parent.parent
ESSAIM = str(Path(sys.executable).parent / "essaim")
# Visit every page once before the run (BENCH_SOAK_WARM_UP=0: start with a cold cache).
WARM_UP = os.environ.get("BENCH_SOAK_WARM_UP", "1") != "0"
MAX_IN_FLIGHT = 1000  # past this the server is drowning: count as dropped, do not pile up
# One request in twenty proposes an initiative or an event (BENCH_SOAK_WRITES, a share).
WRITE_SHARE = float(os.environ.get("BENCH_SOAK_WRITES", "0.05"))
# Centre-Val de Loire and some views inside it, at the zooms people use.
MAP_VIEWS = [
    ("0.05,46.35,3.13,48.94", 7), ("0.4,47.1,1.2,47.6", 10), ("1.6,47.7,2.2,48.05", 11),
    ("2.2,46.9,2.6,47.2", 12), ("-0.5,46.0,3.6,49.2", 8),
]  # fmt: skip
LISTS = ["/", "/initiatives/", "/agenda/", "/agenda/?vue=calendrier", "/articles/",
         "/annuaire/", "/experiences/", "/consultations/", "/veille/", "/carte/",
         "/recherche/?q=jardin", "/api/v1/initiatives", "/observatoire/"]  # fmt: skip
FEEDS = ["/agenda.rss", "/agenda.ics", "/articles.rss", "/veille.rss"]


WINDOW = 30.0  # seconds per line of the soak's timeline


@dataclass
class Window:
    answered: int = 0  # responses received, whatever their status
    misses: int = 0
    errors: int = 0
    dropped: int = 0
    latencies_ms: list[float] = field(default_factory=list)


@dataclass
class Stats:
    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # "GET /path 500" → count
    limited: int = 0  # 429: the per-address limits doing their job
    writes_done: int = 0
    server_cpu: float = 0.0  # CPU seconds of gunicorn's processes during the run
    retried: int = 0  # GETs sent again after a keep-alive connection closed under them
    page_cache: Counter = field(default_factory=Counter)  # X-Page-Cache: hit / miss
    elapsed: float = 0.0
    # Per WINDOW seconds from the start: answers, misses, errors, drops and latencies, so
    # a bad stretch (a cold cache, a recycled worker) shows when it happened. The run's
    # answers, drops and latencies are their sums.
    windows: dict[int, Window] = field(default_factory=dict)
    rss: list[tuple[float, dict[int, int]]] = field(default_factory=list)  # (t, {pid: kB})

    def window(self, due: float) -> Window:
        """The timeline window of a request scheduled ``due`` seconds after the start."""
        return self.windows.setdefault(int(due // WINDOW), Window())

    @property
    def answered(self) -> int:
        return sum(window.answered for window in self.windows.values())

    @property
    def dropped(self) -> int:
        return sum(window.dropped for window in self.windows.values())

    @property
    def latencies_ms(self) -> list[float]:
        return [ms for window in self.windows.values() for ms in window.latencies_ms]


# --- the server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update({
        "ESSAIM_DATA_DIR": str(data_dir), "ESSAIM_DEBUG": "0",
        "ESSAIM_SECRET_KEY": "essaim-soak-only", "ESSAIM_ALLOWED_HOSTS": "127.0.0.1",
        "ESSAIM_BEHIND_PROXY": "1", "ESSAIM_PROXY_HOPS": "1", "ESSAIM_LOG_LEVEL": "WARNING",
        "ESSAIM_EMAIL_URL": "console://",
    })  # fmt: skip
    # As deployed: the anonymous page cache is on with Redis (bench/settings.py turns it
    # off for in-process figures, and its environment would reach the server).
    env.pop("ESSAIM_PAGE_CACHE_SECONDS", None)
    env.pop("ESSAIM_API_RATE_LIMIT", None)  # the soak spreads its visitors: the default
    if page_cache := os.environ.get("BENCH_SOAK_PAGE_CACHE"):
        env["ESSAIM_PAGE_CACHE_SECONDS"] = page_cache
    return env


def demo_data_dir() -> Path:
    """A fresh copy of the demo site (built once under var/bench/soak-demo/, then copied:
    the writes of one run do not leak into the next)."""
    template, data_dir = ROOT / "var/bench/soak-demo", ROOT / "var/bench/soak"
    if not (template / "essaim.sqlite3").exists() or os.environ.get("DATABASE_URL"):
        template.mkdir(parents=True, exist_ok=True)
        env = server_env(template)
        for command in (["migrate", "--noinput", "-v0"], ["demo", "--if-empty"]):
            subprocess.run([ESSAIM, *command], env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)  # fmt: skip
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns("*.log"))
    return data_dir


def empty_redis() -> None:
    """Empty ``REDIS_URL``'s database (give the bench one of its own): a fresh demo needs a
    fresh cache, or the last run's per-address anti-spam counts (5 proposals an hour)
    refuse this run's first proposals, and its kept pages may be served."""
    if url := os.environ.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(url).flushdb()


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    command = [ESSAIM, "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(command, env=server_env(data_dir), stdout=log, stderr=log)
    deadline = time.monotonic() + 120  # collectstatic first
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"essaim serve exited; see {data_dir / 'server.log'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/sante/", headers=HEADERS).status_code < 500:
                return server
        except httpx.TransportError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("essaim serve did not answer within 120 s")


def stop_server(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def worker_rss(master: int) -> dict[int, int]:
    """VmRSS (kB) of each gunicorn worker: the children of the master process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master:
                continue
            status = (entry / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if rss:
            found[int(entry.name)] = int(rss.group(1))
    return found


def server_cpu(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and its workers, the
    recycled ones included (the master's cutime/cstime hold its reaped children's)."""
    total = 0
    for pid in [master, *children(master)]:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if pid == master:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


# --- the workload -----------------------------------------------------------------------

HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.1"}


def visitor(n: int) -> str:
    """A distinct address per request number, spread over 10.0.0.0/8."""
    n = n % (1 << 24)
    return f"10.{n >> 16}.{(n >> 8) & 255}.{n & 255}"


@dataclass
class FormTokens:
    referer: str
    path: str
    csrf_cookie: str
    csrf_field: str
    antispam_ts: str
    theme: str


def form_tokens(base: str, path: str) -> FormTokens:
    """The CSRF cookie and field, the anti-spam timestamp and a theme, as a browser gets
    them from the form; reused by every write of the run (valid for a day)."""
    response = httpx.get(base + path, headers=HEADERS)
    response.raise_for_status()
    html = response.text

    def field_value(name):
        match = re.search(rf'name="{name}" value="([^"]+)"', html) or re.search(
            rf'value="([^"]+)" name="{name}"', html
        )
        if not match:
            raise RuntimeError(f"{path}: no {name} in the form")
        return match.group(1)

    return FormTokens(base.replace("http://", "https://") + path, path,
                      response.cookies["csrftoken"], field_value("csrfmiddlewaretoken"),
                      field_value("antispam_ts"), field_value("themes"))  # fmt: skip


def initiative_data(tokens: FormTokens, n: int) -> dict:
    return {"name": f"Ressourcerie soak n°{n}", "summary": "Objets de seconde main.",
            "themes": tokens.theme, "address": "2 rue Voltaire", "postal_code": "37500",
            "commune_label": "Chinon", "proposer_email": f"soak{n}@example.net",
            "legal_form": "association", "not_duplicate": "on"}  # fmt: skip


def event_data(tokens: FormTokens, n: int) -> dict:
    day = date.today() + timedelta(days=7 + n % 60)
    return {"title": f"Troc de graines soak n°{n}", "summary": "Apportez vos graines.",
            "themes": tokens.theme, "attendance_mode": "offline", "commune_label": "Tours",
            "day": day.isoformat(), "start_time": "14:00", "end_time": "17:00",
            "registration_mode": "none", "licence": "CC-BY-SA-4.0",
            "proposer_email": f"soak{n}@example.net"}  # fmt: skip


def sitemap_paths(base: str) -> list[str]:
    """Every public detail page, from the sitemap index and its sections."""
    index = httpx.get(base + "/sitemap.xml", headers=HEADERS).text
    paths = []
    for section in re.findall(r"<loc>([^<]+)</loc>", index):
        body = httpx.get(base + httpx.URL(section).raw_path.decode(), headers=HEADERS).text
        paths += [httpx.URL(loc).raw_path.decode() for loc in re.findall(r"<loc>([^<]+)</loc>",
                                                                          body)]  # fmt: skip
    return paths


def read_paths(details: list[str]) -> list[str]:
    """The read mix: two thirds detail pages (each public one, from the sitemap), a third
    lists, map views, the API and feeds."""
    today = date.today()
    events = f"/api/v1/events?start={today}&end={today + timedelta(days=30)}"
    maps = [f"/api/v1/map/initiatives?bbox={bbox}&zoom={zoom}" for bbox, zoom in MAP_VIEWS]
    general = LISTS + FEEDS + maps * 2 + [events]
    return general * max(1, len(details) // (2 * len(general))) + details


# --- the client -------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection, as a browser's. Not httpx: the client shares
    the two cores with the server, and httpx spent half a core at 140 requests/s."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes = b"") -> tuple[int, dict[str, str]]:  # fmt: skip
        """Send a request and read the whole answer; (status, lower-cased headers)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 "Accept-Encoding: identity", f"Content-Length: {len(body)}",
                 *(f"{name}: {value}" for name, value in headers.items())]  # fmt: skip
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        received = {}
        for line in head[1:]:
            if line:
                name, _, value = line.partition(":")
                received[name.strip().lower()] = value.strip()
        if "content-length" in received:
            await self.reader.readexactly(int(received["content-length"]))
        elif received.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if received.get("connection") == "close":
            self.close()
        return status, received

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class ConnectionClosed(Exception):
    """The server closed the connection before answering."""


class Pool:
    """Idle keep-alive connections, reused (the most recent first); a new one when none is
    idle. A connection idle for IDLE_EXPIRY is closed rather than reused: gunicorn closes
    its side after ``keepalive`` (2 s) idle, and a request sent as it does so is lost. A
    reverse proxy in front of gunicorn is set up the same way (its upstream keep-alive
    timeout below the server's)."""

    IDLE_EXPIRY = 1.5

    def __init__(self, port: int):
        self.port, self.idle = port, deque()  # (connection, idle since), oldest first

    async def request(self, method, path, headers, body=b"", timeout=60.0):
        connection = self._reusable() or Connection(self.port)
        try:
            async with asyncio.timeout(timeout):
                answer = await connection.request(method, path, headers, body)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            connection.close()
            raise ConnectionClosed(type(exc).__name__) from exc
        except BaseException:
            connection.close()
            raise
        if connection.writer is not None:  # not closed by a "Connection: close"
            self.idle.append((connection, time.monotonic()))
        return answer

    def _reusable(self) -> Connection | None:
        expired_before = time.monotonic() - self.IDLE_EXPIRY
        while self.idle and self.idle[0][1] < expired_before:
            self.idle.popleft()[0].close()
        return self.idle.pop()[0] if self.idle else None


# --- the driver -------------------------------------------------------------------------


async def drive(*, base: str, master: int, seconds: float, rate: float, reads: list[str],
                forms: list[FormTokens]) -> Stats:  # fmt: skip
    stats = Stats()
    rng = random.Random(12)
    # Every request comes from another visitor: nothing a response sets (a CSRF cookie
    # from a page with a form, a message after a proposal) is sent again. Writes carry
    # their form's cookie themselves.
    client = Pool(int(base.rsplit(":", 1)[1]))
    sampler = asyncio.create_task(_sample_rss(master, stats))
    loop = asyncio.get_running_loop()
    start, in_flight, n = loop.time(), set(), 0
    while (due := start + n / rate) - start < seconds:
        if (delay := due - loop.time()) > 0:
            await asyncio.sleep(delay)
        window = stats.window(due - start)
        if len(in_flight) >= MAX_IN_FLIGHT:
            window.dropped += 1
        else:
            if rng.random() < WRITE_SHARE:
                job = _write(client, stats, window, forms[n % len(forms)], n)
            else:
                job = _send(client, stats, window, "GET", rng.choice(reads), n)
            task = asyncio.create_task(_timed(job, due, loop, window))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
            stats.sent += 1
        n += 1
    await asyncio.gather(*in_flight)
    stats.elapsed = loop.time() - start
    sampler.cancel()
    stats.rss.append((stats.elapsed, worker_rss(master)))
    return stats


async def _timed(job, due: float, loop, window: Window) -> None:
    await job
    window.latencies_ms.append((loop.time() - due) * 1000)


async def _write(client: Pool, stats: Stats, window: Window, tokens: FormTokens, n: int) -> None:
    data = (initiative_data if tokens.path.startswith("/initiatives") else event_data)(tokens, n)
    data |= {"csrfmiddlewaretoken": tokens.csrf_field, "antispam_ts": tokens.antispam_ts}
    headers = {"Cookie": f"csrftoken={tokens.csrf_cookie}", "Referer": tokens.referer,
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    await _send(client, stats, window, "POST", tokens.path, n, body=urlencode(data).encode(),
                headers=headers)  # fmt: skip


async def _send(client: Pool, stats: Stats, window: Window, method: str, path: str, n: int, *,
                body: bytes = b"", headers: dict | None = None) -> None:  # fmt: skip
    headers = {**HEADERS, "X-Forwarded-For": visitor(n), **(headers or {})}
    label = f"{method} {path.split('?')[0]}"
    try:
        try:
            status, received = await client.request(method, path, headers, body)
        except ConnectionClosed:
            # The server closed an idle keep-alive connection as this request went out (a
            # worker stopping does): a browser sends a GET again.
            if method != "GET":
                raise
            stats.retried += 1
            status, received = await client.request(method, path, headers, body)
    except (ConnectionClosed, TimeoutError, OSError) as exc:
        stats.errors[f"{label} {type(exc).__name__} {exc}"] += 1
        window.errors += 1
        return
    window.answered += 1
    stats.statuses[status] += 1
    cached = received.get("x-page-cache", "none")
    stats.page_cache[cached] += 1
    window.misses += cached == "miss"
    if status == 429:
        stats.limited += 1
    elif method == "POST" and status == 302:
        stats.writes_done += 1
    elif method == "POST" or status >= 400:
        # A write answered 200/400 is a refused form: an error here, the data are valid.
        stats.errors[f"{label} {status}"] += 1
        window.errors += 1


async def _sample_rss(master: int, stats: Stats, every: float = 2.0) -> None:
    start = time.monotonic()
    while True:
        stats.rss.append((time.monotonic() - start, worker_rss(master)))
        await asyncio.sleep(every)


def soak(*, seconds: float, rate: float, workers: int = 0) -> tuple[Stats, dict]:
    """Run the whole soak on a fresh copy of the demo; returns the stats and the set-up."""
    data_dir = demo_data_dir()
    empty_redis()
    port = free_port()
    server = start_server(data_dir, port, workers)
    try:
        base = f"http://127.0.0.1:{port}"
        details = sitemap_paths(base)
        forms = [form_tokens(base, "/initiatives/proposer/"),
                 form_tokens(base, "/agenda/proposer/")]  # fmt: skip
        reads = read_paths(details)
        warm_up = asyncio.run(warm(port, sorted(set(reads)))) if WARM_UP else None
        time.sleep(3.5)  # the anti-spam minimum fill time, as a person would take
        cpu_before = server_cpu(server.pid)
        stats = asyncio.run(drive(base=base, master=server.pid, seconds=seconds, rate=rate,
                                  reads=reads, forms=forms))  # fmt: skip
        stats.server_cpu = server_cpu(server.pid) - cpu_before
    finally:
        stop_server(server)
    return stats, {"detail_pages": len(details), "server_log": str(data_dir / "server.log"),
                   "warm_up": warm_up}  # fmt: skip


async def warm(port: int, paths: list[str], connections: int = 8) -> tuple[int, float]:
    """Ask for every page of the mix once, as a crawler would, before the timed run: a
    site in service has its pages kept (Redis outlives a restart of the web server), and
    a fresh copy of the demo would otherwise start the run with every page to render.
    Returns (pages, seconds): the cold start's cost, printed beside the figures."""
    pool, queue, start = Pool(port), list(paths), time.monotonic()

    async def crawler(n: int) -> None:
        while queue:
            path = queue.pop()
            await pool.request("GET", path, {**HEADERS, "X-Forwarded-For": visitor(n)})

    await asyncio.gather(*(crawler(n) for n in range(connections)))
    return len(paths), time.monotonic() - start
