"""Service settings, read once from the environment so tests and deployments agree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def default_workers() -> int:
    """Twice the usable CPUs, 2 to 16: a long query then holds one worker while short ones
    still share the cores, instead of queueing behind it (each worker costs a process)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return min(16, max(2, 2 * cpus))


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    store: str | None = None  # EVKG_STORE; None: graph.config's default
    token: str | None = field(default=None, repr=False)  # writes need it; None: read-only
    query_timeout: float = 30.0
    update_timeout: float = 300.0  # a SPARQL update's trial run in a worker
    max_rows: int = 10_000
    cors_origins: tuple[str, ...] = ()
    allow_service: bool = False
    allow_load: bool = False
    workers: int = field(default_factory=default_workers)  # query worker processes
    rest_workers: int = 2  # more, reserved for the REST routes' own reads
    warm_extractor: bool = False  # build the extractor's caches before the first request

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ) if env is None else env
        origins = tuple(o.strip() for o in env.get("EVKG_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            store=env.get("EVKG_STORE") or None,
            token=env.get("EVKG_TOKEN") or None,
            query_timeout=float(env.get("EVKG_QUERY_TIMEOUT") or 30),
            update_timeout=float(env.get("EVKG_UPDATE_TIMEOUT") or 300),
            max_rows=int(env.get("EVKG_MAX_ROWS") or 10_000),
            cors_origins=origins,
            allow_service=_flag(env.get("EVKG_ALLOW_SERVICE")),
            allow_load=_flag(env.get("EVKG_ALLOW_LOAD")),
            workers=max(1, int(env.get("EVKG_QUERY_WORKERS") or default_workers())),
            rest_workers=max(1, int(env.get("EVKG_REST_WORKERS") or 2)),
            warm_extractor=_flag(env.get("EVKG_WARM_EXTRACTOR")),
        )
