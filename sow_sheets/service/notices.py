"""The e-mails of a run: failure and recovery alerts, the weekly digests, and what was sent.

    notices = Notices(settings, backend, log)
    notices.after_run(started, failure=None)    # never raises: mail never breaks a sync

What was sent is remembered in a small JSON file next to the run lock
(``sow-sheets-<hash>.notify-state.json``), read and written under its own ``flock`` so the
worker and a manual ``digest`` never both send one week's digest. A message that could not be
sent stays due for the next run. What the mail did goes into the run's Logboek row (`E-mail`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sow_sheets.model.errors import ConfigError
from sow_sheets.model.sheet import Backend, CellRange, WritePlan
from sow_sheets.notify.alerts import NotifyState
from sow_sheets.notify.digest import PartnerDigest, build_digests, digest_week
from sow_sheets.notify.messages import (
    Message,
    alert_message,
    digest_message,
    recovery_message,
)
from sow_sheets.notify.settings import organisation_key
from sow_sheets.service.health import Health
from sow_sheets.service.logs import RunLog
from sow_sheets.service.mailer import SmtpMailer, Trouble, smtp_password
from sow_sheets.service.runlock import LOCK_DIR_ENV, lock_path, lock_target
from sow_sheets.settings import Settings
from sow_sheets.sync.logbook import mail_note_writes

Mailer = Callable[[Sequence[Message]], list[tuple[Message, Trouble]]]
START_FORMAT = "%Y-%m-%d %H:%M:%S"  # as sync/run.py writes Logboek's `Start`


def state_path(settings: Settings, directory: Path | None = None) -> Path:
    """The state file beside the target's run lock (same hashed name, other suffix)."""
    return lock_path(lock_target(settings), directory).with_suffix(".notify-state.json")


def load_state(path: Path, log: RunLog) -> NotifyState:
    """The remembered state; a missing file is a fresh start, a damaged one too (logged)."""
    try:
        return NotifyState.from_json(json.loads(path.read_text("utf-8")))
    except FileNotFoundError:
        return NotifyState()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("mail", "notify state file unreadable: starting afresh", file=str(path))
        return NotifyState()


@contextlib.contextmanager
def locked_state(path: Path, log: RunLog) -> Iterator[list[NotifyState]]:
    """The state, locked for the block; whatever the block leaves in ``box[0]`` is saved, also
    when the block fails halfway (what was sent stays sent).

    A damaged or unreadable file is logged and starts afresh: at worst a message goes twice.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW
        fd = os.open(path.with_suffix(".lock"), flags, 0o600)
    except OSError as exc:
        raise ConfigError(
            f"cannot open {path.with_suffix('.lock')} ({exc.strerror}): run sow-sheets as the "
            f"service user, or set {LOCK_DIR_ENV} to a directory it can write"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        state = load_state(path, log)
        box = [state]
        try:
            yield box
        finally:
            if box[0] != state:
                _save(path, box[0])
    finally:
        os.close(fd)


def _save(path: Path, state: NotifyState) -> None:
    """Write the state atomically: a private temporary file beside it, then a rename."""
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(state.to_json(), out, indent=1)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def sheet_link(settings: Settings, backend: Backend) -> str:
    """Where messages point: ``[notify] link``, the spreadsheet (Signalen tab) or the
    workbook's path."""
    if settings.notify.link:
        return settings.notify.link
    if settings.sheet.workbook:
        return str(Path(settings.sheet.workbook).expanduser().resolve())
    tab_url: Callable[[str], str] | None = getattr(backend, "tab_url", None)
    return tab_url(settings.schema.tab("signalen").title) if tab_url else ""


def partner_link(settings: Settings, backend: Backend, organisation: str) -> str:
    """Where one partner's digest points. Per-partner filter views (one per organisation in
    Signalen) belong here once the sheet has them; until then, the sheet itself."""
    return sheet_link(settings, backend)


@dataclass
class Outcome:
    """What one round of sending did, for the console, the log and Logboek."""

    sent: list[Message] = field(default_factory=list)
    failed: list[tuple[Message, Trouble]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # organisations without an address

    def note(self) -> str:
        """Dutch, for the run's `E-mail` cell in Logboek; "" when nothing happened."""
        parts = []
        kinds = {"digest": "weekoverzicht", "alert": "waarschuwing", "recovery": "herstelbericht"}
        for kind, word in kinds.items():
            n = sum(1 for m in self.sent if m.kind == kind)
            if n:
                parts.append(f"{word} verstuurd" + (f": {n}" if kind == "digest" else ""))
        if self.failed:
            reason = self.failed[0][1].dutch
            parts.append(
                f"mislukt ({len(self.failed)} niet verstuurd): {reason}; "
                "de volgende verwerking probeert het opnieuw"
            )
        return "; ".join(parts)


class Notices:
    """The mail side of runs, for one target. ``mailer`` is injectable for tests."""

    def __init__(
        self,
        settings: Settings,
        backend: Backend,
        log: RunLog,
        mailer: Mailer | None = None,
        directory: Path | None = None,
    ) -> None:
        self.settings = settings
        self.notify = settings.notify
        self.backend = backend
        self.log = log
        self._mailer = mailer
        self.path = state_path(settings, directory)

    def mailer(self) -> Mailer:
        if self._mailer is None:
            self._mailer = SmtpMailer(self.notify, smtp_password(self.notify)).send
        return self._mailer

    # --- after a run -------------------------------------------------------------------------

    def after_run(self, started: dt.datetime, failure: str | None) -> Outcome:
        """Alerts, recovery and a due digest after a run of ``started`` (local time); logs
        and notes in Logboek what happened. Never raises."""
        outcome = Outcome()
        if not self.notify.configured:
            return outcome
        try:
            with locked_state(self.path, self.log) as box:
                if failure is None:
                    box[0] = box[0].succeeded(started)
                else:
                    box[0] = box[0].failed(started, failure)
                self._alerts(box, outcome)
                if failure is None:
                    self._digests(box, started, outcome)
        except Exception as exc:  # sending never breaks a sync
            self.log.error("mail", "notifications failed", error=type(exc).__name__)
        self._report(outcome, started)
        return outcome

    def health_check(self, now: dt.datetime, state: Health) -> Outcome:
        """Alert when ``status`` finds no successful run in 36 hours (``status --notify``,
        worker start); a healthy verdict ends a streak. Never raises."""
        outcome = Outcome()
        if not self.notify.configured:
            return outcome
        try:
            with locked_state(self.path, self.log) as box:
                if state.stale:
                    box[0] = box[0].unhealthy(now, state.last_success)
                elif state.ok and state.last_success is not None:
                    box[0] = box[0].succeeded(state.last_success)
                self._alerts(box, outcome)
        except Exception as exc:
            self.log.error("mail", "health notification failed", error=type(exc).__name__)
        self._report(outcome, None)
        return outcome

    def _alerts(self, box: list[NotifyState], outcome: Outcome) -> None:
        state = box[0]
        to = self.notify.alert_to
        link = sheet_link(self.settings, self.backend)
        streak = state.streak
        if streak and not streak.alerted and self._send([alert_message(streak, to, link)], outcome):
            box[0] = box[0].alert_sent()
        if state.recovered is not None and state.recovered_since is not None:
            message = recovery_message(state.recovered_since, state.recovered, to, link)
            if self._send([message], outcome):
                box[0] = box[0].recovery_sent()

    # --- the weekly digest -------------------------------------------------------------------

    def week(self, now: dt.datetime) -> dt.date:
        return digest_week(now, self.notify.digest_day, self.notify.digest_time())

    def _digests(self, box: list[NotifyState], now: dt.datetime, outcome: Outcome) -> None:
        week = self.week(now)
        wanted = [organisation_key(p) for p in self.notify.partners] + [""]
        if all(box[0].digests.get(k) == week for k in wanted):
            return
        digests = self.digests(box[0], week)
        self.deliver(box, digests, outcome, lambda key: box[0].digests.get(key) != week)

    def digests(self, state: NotifyState, week: dt.date) -> dict[str, PartnerDigest]:
        """Every organisation's digest for ``week`` from one fresh read of the sheet."""
        return build_digests(
            self.backend.read(),
            self.settings.schema,
            week,
            state.reported,
            self.notify.partners,
        )

    def message(self, key: str, digest: PartnerDigest) -> Message:
        """A digest as it is sent: to the partner, or to the coordinator for rows without an
        organisation; no address configured → no recipients."""
        to = self.notify.addresses(digest.organisation) if key else (self.notify.coordinator,)
        link = partner_link(self.settings, self.backend, digest.organisation)
        to = tuple(a for a in to if a)
        return digest_message(digest, to, link, self.notify.coordinator, digest.organisation)

    def deliver(
        self,
        box: list[NotifyState],
        digests: dict[str, PartnerDigest],
        outcome: Outcome,
        due: Callable[[str], bool],
    ) -> None:
        """Send the due digests that have recipients; remember each one sent (or pointless)."""
        batch: list[tuple[str, Message]] = []
        for key, digest in sorted(digests.items()):
            if not due(key):
                continue
            message = self.message(key, digest)
            if message.to and (key or not digest.empty):
                batch.append((key, message))
                continue
            if not message.to and not digest.empty:
                outcome.skipped.append(digest.organisation)
            # Nothing to send, or nobody to send it to: settled for this week, nothing told.
            box[0] = box[0].digest_sent(key, digest.week, None)
        lost = {id(m) for m in self._send_all([message for _, message in batch], outcome)}
        for key, message in batch:
            if id(message) not in lost:
                digest = digests[key]
                box[0] = box[0].digest_sent(key, digest.week, digest.keys("problems"))

    def preview(self, now: dt.datetime, only: str | None = None) -> list[Message]:
        """``digest --dry-run``: this week's messages as they would be sent, none sent."""
        digests = self.digests(load_state(self.path, self.log), self.week(now))
        return [
            self.message(key, digest)
            for key, digest in sorted(digests.items())
            if (only is None or key == organisation_key(only)) and (key or not digest.empty)
        ]

    def send_digests(self, now: dt.datetime, only: str | None = None) -> tuple[Outcome, list[str]]:
        """``digest``: send this week's digests not sent yet; returns what happened and the
        organisations whose digest had already gone out this week."""
        outcome = Outcome()
        week = self.week(now)
        done: list[str] = []
        with locked_state(self.path, self.log) as box:
            digests = self.digests(box[0], week)
            wanted = {k for k in digests if only is None or k == organisation_key(only)}
            sent = box[0].digests
            done = [digests[k].organisation for k in sorted(wanted) if sent.get(k) == week]

            def due(key: str) -> bool:
                return key in wanted and box[0].digests.get(key) != week

            self.deliver(box, digests, outcome, due)
        self._report(outcome, None)
        return outcome, done

    # --- sending -----------------------------------------------------------------------------

    def _send(self, messages: Sequence[Message], outcome: Outcome) -> bool:
        return not self._send_all(messages, outcome)

    def _send_all(self, messages: Sequence[Message], outcome: Outcome) -> list[Message]:
        if not messages:
            return []
        try:
            failed = self.mailer()(messages)
        except ConfigError as exc:  # e.g. the password's variable is not set
            problem = Trouble(str(exc), "de e-mailinstellingen zijn niet compleet")
            failed = [(m, problem) for m in messages]
        lost = [m for m, _ in failed]
        outcome.sent += [m for m in messages if all(m is not x for x in lost)]
        outcome.failed += failed
        return lost

    def _report(self, outcome: Outcome, started: dt.datetime | None) -> None:
        """Log the outcome (counts and organisations only) and note it in Logboek."""
        for message in outcome.sent:
            self.log.info("mail", "mail sent", kind=message.kind, organisation=message.about)
        for message, problem in outcome.failed:
            self.log.warning(
                "mail",
                f"mail not sent: {problem.reason}; the next run retries",
                kind=message.kind,
                organisation=message.about,
            )
        for name in outcome.skipped:
            self.log.info(
                "mail", "no address for this organisation in [notify.partners]", organisation=name
            )
        note = outcome.note()
        if started is None or not note:
            return
        spec = self.settings.schema.tab("logboek")
        try:
            (table,) = self.backend.reread([CellRange(spec.title)])
            writes = mail_note_writes(spec, table, started.strftime(START_FORMAT), note)
            if writes:
                self.backend.write(WritePlan(cells=writes))
        except Exception as exc:  # best effort: the log has it all
            self.log.warning("mail", "could not note mail in Logboek", error=type(exc).__name__)
