"""Two workers on the Redis queue: every task runs exactly once."""

import os
import subprocess
import sys

import pytest
import redis

REDIS_DB_URL = "redis://127.0.0.1:6379/14"  # a database of its own, flushed by the test
TASKS = 120


def essaim(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "essaim", *args], env=env, check=True,  # noqa: S603
                          capture_output=True, text=True, timeout=300, **kwargs)  # fmt: skip


@pytest.fixture
def redis_env(tmp_path):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the workers use their own SQLite database: the SQLite run covers this")
    client = redis.Redis.from_url(REDIS_DB_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    client.flushdb()
    env = {**os.environ, "ESSAIM_DATA_DIR": str(tmp_path), "ESSAIM_DEBUG": "1",
           "REDIS_URL": REDIS_DB_URL}  # fmt: skip
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)  # the workers' own SQLite: the queue under test is Redis
    essaim("migrate", "-v0", env=env)
    yield env, client
    client.flushdb()


def test_two_redis_workers_run_every_task_exactly_once(redis_env):
    env, client = redis_env
    enqueue = ("from essaim.common.tasks import probe\n"
               f"for i in range({TASKS}): probe.enqueue(key=str(i))")  # fmt: skip
    essaim("shell", "-c", enqueue, env=env)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "essaim", "worker", "--batch"],
            env=env,  # noqa: S603
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=300)[0] for worker in workers]

    assert [w.returncode for w in workers] == [0, 0], outputs
    counts = [client.get(f":1:essaim:probe:{i}") for i in range(TASKS)]
    assert counts == [b"1"] * TASKS
