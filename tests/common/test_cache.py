"""Our Redis cache backend (essaim.common.cache) against the real Redis of the machine."""

import threading

import pytest

from essaim.common.cache import RedisCache

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache():
    backend = RedisCache(REDIS_URL, {"KEY_PREFIX": "essaim-test-cache"})
    try:
        backend.get("probe")
    except Exception as exc:  # noqa: BLE001 (any connection error)
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    yield backend
    backend.delete_many(["a", "counter", "t0", "t1", "t2", "t3"])


def test_one_client_per_pool_serves_every_operation(redis_cache):
    """Django builds a redis.Redis per call; ours keeps one, and it still does the job."""
    client = redis_cache._cache.get_client()
    assert redis_cache._cache.get_client(write=True) is client

    redis_cache.set("a", {"page": "<p>Bonjour</p>"}, 30)
    assert redis_cache.get("a") == {"page": "<p>Bonjour</p>"}
    redis_cache.set("counter", 1, None)
    assert redis_cache.incr("counter") == 2
    with pytest.raises(ValueError):
        redis_cache.incr("absent")


def test_the_shared_client_is_safe_across_threads(redis_cache):
    errors = []

    def work(n):
        try:
            for i in range(200):
                redis_cache.set(f"t{n}", i, 30)
                assert redis_cache.get(f"t{n}") == i
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
