"""List imports started from the web: run in a background thread, followed by their page.

The registry lives in memory in the app (`app.state.watchlist_imports`), keyed by a random id
and bound to the user who started the import. That is enough because `firstline serve` runs
one process: the thread, the upload's temporary files and the page that polls them are in
the same process. On a restart the registry is empty: an import that was still running is
lost with its transaction (nothing half-stored: an import is one transaction) and its page
answers 404; a finished import stays in the list's versions with its report and rejections.
"""

from __future__ import annotations

import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from firstline.cases.access import Actor
from firstline.exc import FirstlineError, NotFoundError
from firstline.logs import get_logger
from firstline.services import watchlists as list_service
from firstline.services.notifications import notify_if_enabled
from firstline.services.screening import Screener
from firstline.settings import Settings
from firstline.store import Store

log = get_logger(__name__)

KEEP_FINISHED_SECONDS = 6 * 3600  # a finished import's page stays this long
REJECTIONS_SHOWN = 500


@dataclass
class ImportJob:
    id: str
    user_id: int | None
    username: str
    list_id: int
    list_name: str
    format: str
    files: list[str]
    started_at: datetime
    phase: str = "queued"  # reading, comparing, storing, re-screening, done, failed
    records: int = 0
    finished_at: datetime | None = None
    error: str | None = None
    report: dict[str, Any] | None = None
    rescreen: dict[str, int] | None = None
    _finished: float | None = field(default=None, repr=False)

    @property
    def running(self) -> bool:
        return self.phase not in ("done", "failed")

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("_finished")
        data["running"] = self.running
        return data


class ImportJobs:
    """The imports of this process, with a lock: threads write, requests read."""

    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str, actor: Actor) -> ImportJob:
        """The import, only for the user who started it (anyone else: not found)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.user_id != actor.user_id or job.username != actor.username:
            raise NotFoundError("no such import (imports are forgotten when the server restarts)")
        return job

    def start(
        self,
        store: Store,
        settings: Settings,
        actor: Actor,
        *,
        list_id: int,
        format_name: str,
        folder: Path,
        paths: list[Path],
        client: str | None,
    ) -> ImportJob:
        listed = list_service.list_by_id(store, list_id)
        job = ImportJob(
            id=secrets.token_urlsafe(16), user_id=actor.user_id, username=actor.username,
            list_id=list_id, list_name=str(listed["name"]), format=format_name,
            files=[p.name for p in paths], started_at=datetime.now(UTC),
        )  # fmt: skip
        with self._lock:
            self._forget_old()
            self._jobs[job.id] = job

        def work() -> None:
            try:
                _run(job, store, settings, actor, paths, client)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
                job._finished = time.monotonic()

        threading.Thread(target=work, name=f"watchlist-import-{job.id[:6]}", daemon=True).start()
        return job

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [
            k
            for k, j in self._jobs.items()
            if j._finished is not None and now - j._finished > KEEP_FINISHED_SECONDS
        ]:
            del self._jobs[key]


_CREATE_LOCK = threading.Lock()


def jobs_of(app: FastAPI) -> ImportJobs:
    """The app's import registry, made on first use."""
    with _CREATE_LOCK:
        jobs: ImportJobs | None = getattr(app.state, "watchlist_imports", None)
        if jobs is None:
            jobs = ImportJobs()
            app.state.watchlist_imports = jobs
        return jobs


def _run(
    job: ImportJob,
    store: Store,
    settings: Settings,
    actor: Actor,
    paths: list[Path],
    client: str | None,
) -> None:
    def phase(name: str) -> None:
        job.phase = name

    def progress(count: int) -> None:
        job.records = count

    try:
        report = list_service.import_list(
            store, job.list_name, paths, job.format, progress=progress, on_phase=phase
        )
        list_service.audit_import(store, actor, job.list_id, report, client=client)
        job.report = {
            "version": report.version, "published": report.info.published,
            "notes": report.info.notes, "entries": report.entries, "added": report.added,
            "changed": report.changed, "removed": report.removed,
            "unchanged": report.unchanged, "rejected": report.rejected,
            "rejections": [asdict(r) for r in report.rejections[:REJECTIONS_SHOWN]],
        }  # fmt: skip
        job.phase = "re-screening"
        job.rescreen = rescreen(store, settings)
        job.phase = "done"
    except FirstlineError as exc:
        job.error, job.phase = str(exc), "failed"
    except Exception as exc:  # noqa: BLE001 - a thread has nobody to raise to: say it on the page
        log.exception("watchlist_import_failed", job=job.id)
        job.error, job.phase = f"the import failed: {type(exc).__name__}", "failed"
    finally:
        job.finished_at = datetime.now(UTC)


def rescreen(
    store: Store, settings: Settings, notify: Callable[..., Any] = notify_if_enabled
) -> dict[str, int]:
    """Re-screen travellers of flights not yet arrived against the lists as they are now
    (as `firstline watchlist import` does), then tell the duty team of new hits."""
    summary = Screener(store).screen_pending(arriving_after=datetime.now(UTC))
    try:
        notify(store, settings)
    except Exception:  # noqa: BLE001 - a failed mail must not fail the list change
        log.exception("notify_failed")
    return {
        "screened": summary.screened,
        "new_hits": summary.new_hits,
        "withdrawn_hits": summary.withdrawn_hits,
    }
