"""E-mail to the duty targeting team when detectors find hits worth a look before landing.

One message per run lists every hit not yet sent; each hit gets a `notifications` row, `sent` or
`failed`. Failed hits are sent again on the next run (the duty team must hear of them), so
delivery is at least once: a crash between sending and recording, or two runs at once, can
repeat a hit, which is better than losing one.

The e-mail leaves the secure system, so it names no one: ids, category, severity, score,
source, flight and the link; the officer logs in to see who. Hit titles are left out on
purpose, as a watchlist hit's title carries the listed person's name.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from firstline.exc import ConfigurationError
from firstline.logs import get_logger
from firstline.settings import Settings
from firstline.store import Store
from firstline.store.repos import notifications as repo
from firstline.store.repos.notifications import PendingHit

CHANNEL = "email"
# Long enough for a slow relay, short enough not to hold an ingest run hostage.
SMTP_TIMEOUT_SECONDS = 20.0
_SEVERITY_ORDER = ("high", "medium", "low")

log = get_logger(__name__)


@dataclass(slots=True)
class NotifySummary:
    """What one run did; `error` says why the send failed, or which recipients refused it."""

    hits: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    recipients: int = 0
    hit_ids: list[int] = field(default_factory=list)
    error: str | None = None


def notify_if_enabled(store: Store, settings: Settings) -> NotifySummary | None:
    """`notify_new_hits` when SMTP is configured, else nothing (notifications are optional)."""
    if not settings.notifications_enabled:
        return None
    return notify_new_hits(store, settings)


def notify_new_hits(
    store: Store, settings: Settings, *, now: datetime | None = None
) -> NotifySummary:
    """Send every hit due to the duty team in one e-mail and record the attempt per hit.

    An unreachable or refusing server does not raise: the hits are recorded as failed with
    the reason and retried by the next run.
    """
    if not settings.notifications_enabled:
        raise ConfigurationError("e-mail notifications are off: set FIRSTLINE_SMTP_HOST")
    with store.connect() as conn:
        pending = repo.pending_hits(
            conn,
            channel=CHANNEL,
            severities=settings.notify_severity_set(),
            arriving_after=datetime.now(UTC),
        )
    summary = NotifySummary(hits=len(pending), hit_ids=[hit.id for hit in pending])
    if not pending:
        return summary
    recipients = settings.duty_team_addresses()
    status, summary.error = send(compose(pending, settings), settings)
    with store.begin() as conn:
        repo.record(
            conn,
            summary.hit_ids,
            channel=CHANNEL,
            recipients=recipients,
            status=status,
            error=summary.error,
            now=now or datetime.now(UTC),
        )
    _conclude(summary, pending, status, len(recipients))
    return summary


def _conclude(summary: NotifySummary, pending: Sequence[PendingHit], status: str, to: int) -> None:
    summary.retried = sum(1 for hit in pending if hit.retry)
    summary.recipients = to
    if status == "sent":
        summary.sent = len(pending)
    else:
        summary.failed = len(pending)
    # Ids and counts only: the hit ids lead an officer to the people, the log does not.
    emit = log.info if status == "sent" else log.warning  # a failed alert deserves attention
    emit(
        "notified",
        status=status,
        channel=CHANNEL,
        hits=len(pending),
        hit_ids=summary.hit_ids,
        retried=summary.retried,
        recipients=to,
        error=summary.error,
    )


def compose(hits: Sequence[PendingHit], settings: Settings) -> EmailMessage:
    """The e-mail listing `hits`, with a link to each and nothing that identifies a person."""
    message = EmailMessage()
    message["Subject"] = subject(hits)
    message["From"] = settings.mail_from
    message["To"] = ", ".join(settings.duty_team_addresses())
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    base_url = settings.base_url.rstrip("/")
    intro = (
        f"{len(hits)} hit{_plural(hits)} to review before landing. Open a link and log in "
        "to see who the traveller is: this e-mail names no one on purpose.\n"
    )
    message.set_content("\n".join([intro, *(_describe(hit, base_url) for hit in hits)]))
    return message


def subject(hits: Sequence[PendingHit]) -> str:
    """E.g. "firstline: 3 high-severity hits to review, first arrival 14:05 FRA"."""
    severities = sorted({hit.severity for hit in hits}, key=_severity_rank)
    text = f"firstline: {len(hits)} {'/'.join(severities)}-severity hit{_plural(hits)} to review"
    first = _first_arrival(hits)
    if first is not None and first.scheduled_arrival is not None:
        text += f", first arrival {first.scheduled_arrival:%H:%M} {first.destination or ''}"
    return text.rstrip()


def _describe(hit: PendingHit, base_url: str) -> str:
    flight = f"{hit.carrier or ''}{hit.number or ''}" or "unknown flight"
    route = f"{hit.origin or '?'}-{hit.destination or '?'}"
    arrival = f"{hit.scheduled_arrival:%Y-%m-%d %H:%M}" if hit.scheduled_arrival else "not known"
    return (
        f"Hit {hit.id}: {hit.severity} severity, {hit.category}, score {hit.score:.2f}, "
        f"from {hit.source}\n"
        f"  Flight {flight} {route}, scheduled arrival {arrival}\n"
        f"  {base_url}/hits/{hit.id}\n"
    )


def _first_arrival(hits: Sequence[PendingHit]) -> PendingHit | None:
    # In Python, not SQL: SQLite and PostgreSQL sort NULL arrivals at opposite ends.
    timed = [hit for hit in hits if hit.scheduled_arrival is not None]
    return min(timed, key=lambda hit: hit.scheduled_arrival or datetime.min, default=None)


def _severity_rank(severity: str) -> tuple[int, str]:
    known = severity in _SEVERITY_ORDER
    return (_SEVERITY_ORDER.index(severity) if known else len(_SEVERITY_ORDER), severity)


def _plural(items: Sequence[object]) -> str:
    return "" if len(items) == 1 else "s"


def send(message: EmailMessage, settings: Settings) -> tuple[str, str | None]:
    """Hand `message` to the SMTP server: ("sent", None), ("sent", recipients refused) or
    ("failed", why)."""
    try:
        refused = _deliver(message, settings)
    except (smtplib.SMTPException, OSError) as exc:  # OSError: refused, timeout, DNS, TLS
        return "failed", _reason(exc, settings)
    if refused:
        # The rest of the team has it, so the hits count as sent; the refusal stays on record
        # for the administrator.
        return "sent", f"recipients refused: {', '.join(sorted(refused))}"
    return "sent", None


def _deliver(message: EmailMessage, settings: Settings) -> dict[str, tuple[int, bytes]]:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_username, password)
        return smtp.send_message(message)


def _reason(exc: Exception, settings: Settings) -> str:
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"SMTP server {where} refused the login ({exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPException):
        return f"SMTP server {where} failed: {type(exc).__name__}: {exc}"
    return f"cannot reach SMTP server {where}: {type(exc).__name__}: {exc}"
